package nl.onderdak.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.PersonalKeys;
import nl.onderdak.core.storage.StorageFixture;
import nl.onderdak.core.storage.Tables;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Against DynamoDB Local: retention counts from the case's end, for all that is personal of it. */
class RetentionTest {
  private final DynamoDbClient dynamo = StorageFixture.client();
  private final Tables tables = StorageFixture.tables();
  private final RegistrationService registrations = new RegistrationService(new CaseStore(dynamo, tables),
      Clock.systemUTC(), Duration.ofDays(365), () -> nl.onderdak.core.chain.Routing.EMPTY);

  private Map<String, AttributeValue> item(String table, String pk, String sk) {
    return dynamo.getItem(b -> b.tableName(table).key(Attr.key(pk, sk)).consistentRead(true)).item();
  }

  @Test
  void whenACaseEndsItsDetailsClaimsNotesAndReadsAreGivenTheSameEnd() {
    var body = SampleBodies.guest();
    String id = registrations.register(CaseKind.GUEST, body, null).id();
    String claim = RegistrationService.claimKeys(CaseKind.GUEST, new nl.onderdak.core.model.Contact(null,
        body.get("contact").get("email").asText().toLowerCase(), null)).get(0);
    dynamo.putItem(b -> b.tableName(tables.cases()).item(Attr.item("pk", CaseEvent.partitionKey(id),
        "sk", "READ#2026-12-01T10:00:00Z#P-1", "itemType", "READ", "caseId", id, "partnerId", "P-1")));
    dynamo.putItem(b -> b.tableName(tables.personalData()).item(Attr.item("pk", PersonalKeys.casePartition(id),
        "sk", PersonalKeys.NOTE + "2026-12-01T10:00:00Z#N-1", "caseId", id, "text", "a note")));
    assertFalse(item(tables.personalData(), PersonalKeys.casePartition(id), PersonalKeys.DETAILS)
        .containsKey("deleteAfter"), "no end while the case is open");

    Instant ended = Instant.parse("2027-03-01T12:00:00Z");
    Retention retention = new Retention(dynamo, tables, Duration.ofDays(365));
    retention.caseEnded(id, CaseKind.GUEST, ended);
    long end = ended.plus(Duration.ofDays(365)).getEpochSecond();
    assertEquals(end, Attr.num(item(tables.personalData(), PersonalKeys.casePartition(id), PersonalKeys.DETAILS),
        "deleteAfter"));
    assertEquals(end, Attr.num(item(tables.personalData(), PersonalKeys.casePartition(id),
        PersonalKeys.NOTE + "2026-12-01T10:00:00Z#N-1"), "deleteAfter"));
    assertEquals(end, Attr.num(item(tables.personalData(), claim, PersonalKeys.CLAIM), "deleteAfter"));
    assertEquals(end, Attr.num(item(tables.cases(), CaseEvent.partitionKey(id), "READ#2026-12-01T10:00:00Z#P-1"),
        "expiresAt"));
    assertFalse(item(tables.cases(), CaseEvent.partitionKey(id), "CASE").containsKey("expiresAt"),
        "the case itself stays, to be counted");
    retention.caseEnded(id, CaseKind.GUEST, ended);
    assertEquals(end, Attr.num(item(tables.personalData(), PersonalKeys.casePartition(id), PersonalKeys.DETAILS),
        "deleteAfter"), "done twice: the same end");
  }

  @Test
  void onlyAnEventThatEndsTheCaseStartsTheClock() {
    Instant at = Instant.now();
    assertTrue(Retention.ends(new CaseEvent("G-1", CaseKind.GUEST, 5, "status_changed", "PV26", "open", "withdrawn",
        at, "partner:P-1", "found_own_place")));
    assertFalse(Retention.ends(new CaseEvent("G-1", CaseKind.GUEST, 5, "status_changed", "PV26", "open", "proposed",
        at, "matcher", null)));
    assertFalse(Retention.ends(new CaseEvent("G-1", CaseKind.GUEST, 6, "personal_data_erased", "PV26", "closed",
        "closed", at, "admin", "subject_request")), "an ended case's later events do not restart it");
    assertTrue(Retention.ends(new CaseEvent("H-1", CaseKind.HOST, 2, "status_changed", "PV26", "screening",
        "rejected", at, "partner:P-1", "no_separate_room")));
  }
}
