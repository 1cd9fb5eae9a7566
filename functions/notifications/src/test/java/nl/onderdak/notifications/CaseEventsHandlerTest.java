package nl.onderdak.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.core.support.Ids;
import nl.onderdak.core.tally.RegionTallies;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The case-events reader fed DynamoDB stream events from a JSON fixture, counting into DynamoDB Local. */
class CaseEventsHandlerTest {
  private static CaseEventsHandler handler;
  private static RegionTallies tallies;

  @TempDir
  Path temp;

  @BeforeAll
  static void initLikeLambda() throws Exception {
    Map<String, String> env = DynamoDbFixture.shared().functionEnvironment();
    // No partner exists in this test JVM, so nothing is ever sent to the queue.
    handler = new CaseEventsHandler(nl.onderdak.function.Wiring.of(DynamoDbFixture.shared().client(),
        Env.with(env, Tables::fromEnv), java.time.Clock.systemUTC()), new InMemoryWebhookQueue());
    tallies = new RegionTallies(DynamoDbFixture.shared().client(), Env.with(env, Tables::fromEnv));
  }

  /** The fixture with its region and case ids made unique, so each test counts only its own events. */
  private DynamodbEvent fixture(String region) throws IOException {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/events/case-events.json")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    text = text.replace("\"REGION\"", "\"" + region + "\"")
        .replace("H-AAAAAAAAAAAAAAAA", Ids.newCaseId(CaseKind.HOST))
        .replace("G-BBBBBBBBBBBBBBBB", Ids.newCaseId(CaseKind.GUEST));
    Path file = temp.resolve("events-" + region + ".json");
    Files.writeString(file, text);
    return EventLoader.loadDynamoDbEvent(file.toString());
  }

  @Test
  void countsEventsAndSkipsCaseItems() throws IOException {
    String region = "T-" + Ids.newCaseId(CaseKind.GUEST);
    StreamsEventResponse response = handler.handleRequest(fixture(region), null);
    assertTrue(response.getBatchItemFailures().isEmpty());
    Map<String, Long> counts = tallies.region(region);
    assertEquals(0L, counts.get("host_screening"), "registered, then approved");
    assertEquals(1L, counts.get("host_approved"));
    assertEquals(1L, counts.get("guest_open"));
  }

  @Test
  void aRedeliveredBatchChangesNothing() throws IOException {
    String region = "T-" + Ids.newCaseId(CaseKind.GUEST);
    DynamodbEvent event = fixture(region);
    handler.handleRequest(event, null);
    Map<String, Long> once = tallies.region(region);
    handler.handleRequest(event, null);
    handler.handleRequest(event, null);
    assertEquals(once, tallies.region(region));
  }


  @Test
  void aRecordThatFailsIsReportedAndTheRestOfTheBatchWaitsForIt() throws IOException {
    String region = "T-" + Ids.newCaseId(CaseKind.GUEST);
    DynamodbEvent event = fixture(region);
    // Corrupt the third record (its timestamp): it cannot be applied.
    event.getRecords().get(2).getDynamodb().getNewImage().get("at").setS("not a time");
    StreamsEventResponse response = handler.handleRequest(event, null);
    assertEquals(1, response.getBatchItemFailures().size());
    assertEquals("100000000000000000003", response.getBatchItemFailures().get(0).getItemIdentifier());
    Map<String, Long> counts = tallies.region(region);
    assertEquals(1L, counts.get("host_screening"), "the record before the failure was applied");
    assertEquals(null, counts.get("guest_open"), "the record after it waits for the retry");
  }

  @Test
  void aBatchPartlyAppliedBeforeCountsEachEventOnce() throws IOException {
    String whole = "T-" + Ids.newCaseId(CaseKind.GUEST);
    handler.handleRequest(fixture(whole), null);

    String partly = "T-" + Ids.newCaseId(CaseKind.GUEST);
    DynamodbEvent event = fixture(partly);
    DynamodbEvent firstTwo = new DynamodbEvent();
    firstTwo.setRecords(event.getRecords().subList(0, 2));
    handler.handleRequest(firstTwo, null);
    StreamsEventResponse response = handler.handleRequest(event, null);

    assertTrue(response.getBatchItemFailures().isEmpty());
    assertEquals(tallies.region(whole), tallies.region(partly), "the same counts as the batch taken once");
  }
}
