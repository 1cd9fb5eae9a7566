package nl.onderdak.tallies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.core.support.Ids;
import nl.onderdak.core.tally.RegionTallies;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tally consumer fed DynamoDB stream events from a JSON fixture, counting into DynamoDB Local. */
class RegionTallyHandlerTest {
  private static RegionTallyHandler handler;
  private static RegionTallies tallies;

  @TempDir
  Path temp;

  @BeforeAll
  static void initLikeLambda() throws Exception {
    Map<String, String> env = DynamoDbFixture.shared().functionEnvironment();
    handler = Env.with(env, RegionTallyHandler::new);
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
  void theAdminRouteListsEveryProvinceWithItsHeadlineFigures() throws Exception {
    RegionTallyQueryHandler query = Env.with(DynamoDbFixture.shared().functionEnvironment(),
        RegionTallyQueryHandler::new);
    APIGatewayV2HTTPEvent request = new APIGatewayV2HTTPEvent();
    request.setRouteKey("GET /admin/regions");
    APIGatewayV2HTTPResponse response = query.handleRequest(request, null);
    assertEquals(200, response.getStatusCode());
    JsonNode regions = Json.parse(response.getBody()).get("regions");
    assertEquals(12, regions.size());
    assertEquals("PV20", regions.get(0).get("region").asText());
    assertEquals("Limburg", regions.get(11).get("name").asText());
    for (JsonNode r : regions) {
      for (String headline : RegionTallyQueryHandler.HEADLINE) {
        assertTrue(r.get("counts").get(headline).isIntegralNumber(), r.toString());
      }
    }
  }
}
