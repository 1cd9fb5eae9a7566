package nl.onderdak.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.Test;
import nl.onderdak.core.SampleBodies;

/** Which stream records start a matching run, and for which provinces. */
class MatchingHandlerTest {

  private static DynamodbEvent.DynamodbStreamRecord eventRecord(String eventName, String kind, String caseId,
      String region, String toStatus, String sequence) {
    Map<String, AttributeValue> image = Map.of(
        "itemType", new AttributeValue().withS("EVENT"),
        "kind", new AttributeValue().withS(kind),
        "caseId", new AttributeValue().withS(caseId),
        "region", new AttributeValue().withS(region),
        "toStatus", new AttributeValue().withS(toStatus));
    DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
    record.setEventName(eventName);
    StreamRecord body = new StreamRecord();
    body.setNewImage(image);
    body.setSequenceNumber(sequence);
    record.setDynamodb(body);
    return record;
  }

  @Test
  void anOpenedHouseholdAndAnApprovedHostStartOneRunOverTheirProvinces() throws Exception {
    DynamoDbFixture fixture = DynamoDbFixture.shared();
    Tables tables = Env.with(fixture.functionEnvironment(), Tables::fromEnv);
    CaseStore cases = new CaseStore(fixture.client(), tables);
    RegistrationService registrations = new RegistrationService(cases, Clock.systemUTC(), Duration.ofDays(30),
        new nl.onderdak.core.chain.RoutingStore(fixture.client(), tables.partners())::read);
    String guest = registrations.register(CaseKind.GUEST, SampleBodies.household("PV29", "PV30"), null).id();
    String host = registrations.register(CaseKind.HOST, SampleBodies.home("PV31", null), null).id();
    cases.transition(host, HostStatus.SCREENING, HostStatus.APPROVED, Instant.now(), "test", "ok");

    Set<String> pictured = new TreeSet<>();
    MatchStore store = new MatchStore(fixture.client(), tables);
    MatchingRun run = new MatchingRun(store, Clock.systemUTC(), 14, (province, picture) -> pictured.add(province));
    MatchingHandler handler = new MatchingHandler(run, store);

    DynamodbEvent event = new DynamodbEvent();
    List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
    records.add(eventRecord("INSERT", "guest", guest, "PV29", "open", "1"));
    records.add(eventRecord("INSERT", "host", host, "PV31", "approved", "2"));
    // Neither of these starts anything: a host still in screening, and a modified (not inserted) item.
    records.add(eventRecord("INSERT", "host", host, "PV20", "screening", "3"));
    records.add(eventRecord("MODIFY", "guest", guest, "PV21", "open", "4"));
    event.setRecords(records);

    StreamsEventResponse response = handler.handleRequest(event, null);
    assertTrue(response.getBatchItemFailures().isEmpty());
    // One run over PV29, PV30 (the household's provinces) and PV31 (the host's): pictures where anyone is.
    assertTrue(pictured.containsAll(Set.of("PV29", "PV31")), pictured.toString());
    assertTrue(Set.of("PV29", "PV30", "PV31").containsAll(pictured), pictured.toString());

    pictured.clear();
    DynamodbEvent nothing = new DynamodbEvent();
    nothing.setRecords(List.of(eventRecord("INSERT", "host", host, "PV20", "screening", "5")));
    handler.handleRequest(nothing, null);
    assertEquals(Set.of(), pictured, "no trigger, no run");
  }
}
