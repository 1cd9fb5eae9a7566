package nl.onderdak.core.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.registration.RegistrationService.IdempotencyKeyReused;
import nl.onderdak.core.registration.RegistrationService.Registered;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.StorageFixture;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.validation.ValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Registrations against a real DynamoDB engine (the fixture's), never a mock of it. */
class RegistrationServiceTest {
  private DynamoDbClient dynamo;
  private Tables tables;
  private RegistrationService service;

  @BeforeEach
  void setUp() {
    dynamo = StorageFixture.client();
    tables = StorageFixture.tables();
    service = new RegistrationService(new CaseStore(dynamo, tables), Clock.systemUTC(), Duration.ofDays(365),
        new nl.onderdak.core.chain.RoutingStore(dynamo, tables.partners())::read);
  }

  private Map<String, AttributeValue> item(String table, String pk, String sk) {
    Map<String, AttributeValue> key = sk == null ? Map.of("pk", Attr.s(pk)) : Attr.key(pk, sk);
    return dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
  }

  @Test
  void storesTheCaseItsFirstEventAndThePersonalDataApart() {
    Registered r = service.register(CaseKind.GUEST, SampleBodies.guest(), null);
    assertEquals("open", r.status());
    assertTrue(r.id().startsWith("G-"));

    Map<String, AttributeValue> caseItem = item(tables.cases(), "CASE#" + r.id(), "CASE");
    assertEquals("open", Attr.str(caseItem, "status"));
    assertEquals("PV26", Attr.str(caseItem, "region"));
    assertEquals("guest#open#PV26", Attr.str(caseItem, "poolKey"));
    assertEquals(2, Long.parseLong(caseItem.get("profile").m().get("adults").n()));
    String stored = caseItem.toString();
    assertFalse(stored.contains("Olena") || stored.contains("example.org") || stored.contains("cook"),
        "no personal data in the case item: " + stored);
    assertFalse(stored.contains(r.statusToken()), "only the token's hash is stored");

    Map<String, AttributeValue> event = item(tables.cases(), "CASE#" + r.id(), "EVENT#000001");
    assertEquals(CaseEvent.REGISTERED, Attr.str(event, "eventType"));
    assertEquals("open", Attr.str(event, "toStatus"));

    Map<String, AttributeValue> personal = item(tables.personalData(), "CASE#" + r.id(), nl.onderdak.core.storage.PersonalKeys.DETAILS);
    assertEquals("Olena Kovalenko", personal.get("contact").m().get("name").s());
    assertEquals("We can cook for ourselves.", Attr.str(personal, "notes"));
    assertFalse(personal.containsKey("deleteAfter"), "kept while the case is worked on: its end is set when it ends");
  }

  @Test
  void aHostStartsInScreening() {
    Registered r = service.register(CaseKind.HOST, SampleBodies.host(), null);
    assertEquals(HostStatus.SCREENING.wire(), r.status());
    CaseRecord c = new CaseStore(dynamo, tables).find(r.id()).orElseThrow();
    assertEquals(HostStatus.SCREENING, c.status());
    Map<String, AttributeValue> personal = item(tables.personalData(), "CASE#" + r.id(), nl.onderdak.core.storage.PersonalKeys.DETAILS);
    assertEquals("Oudegracht", personal.get("address").m().get("street").s());
    String caseText = item(tables.cases(), "CASE#" + r.id(), "CASE").toString();
    assertFalse(caseText.contains("Oudegracht") || caseText.contains("Jan de Vries"), caseText);
  }

  @Test
  void invalidInputWritesNothing() {
    long cases = StorageFixture.count(tables.cases());
    long personal = StorageFixture.count(tables.personalData());
    long idempotency = StorageFixture.count(tables.idempotency());
    ObjectNode body = SampleBodies.guest();
    body.put("adults", -1);
    assertThrows(ValidationException.class, () -> service.register(CaseKind.GUEST, body, "key-" + UUID.randomUUID()));
    assertEquals(cases, StorageFixture.count(tables.cases()));
    assertEquals(personal, StorageFixture.count(tables.personalData()));
    assertEquals(idempotency, StorageFixture.count(tables.idempotency()));
  }

  @Test
  void theSameKeyAndBodyReturnTheFirstAnswerAndWriteNothingNew() {
    ObjectNode body = SampleBodies.guest();
    String key = UUID.randomUUID().toString();
    Registered first = service.register(CaseKind.GUEST, body, key);
    long cases = StorageFixture.count(tables.cases());
    Registered again = service.register(CaseKind.GUEST, body.deepCopy(), key);
    assertEquals(first.id(), again.id());
    assertEquals(first.statusToken(), again.statusToken());
    assertEquals(first.registeredAt(), again.registeredAt());
    assertTrue(again.replayed());
    assertFalse(first.replayed());
    assertEquals(cases, StorageFixture.count(tables.cases()));
  }

  @Test
  void theSameKeyWithAnotherBodyIsRefused() {
    String key = UUID.randomUUID().toString();
    service.register(CaseKind.GUEST, SampleBodies.guest(), key);
    long cases = StorageFixture.count(tables.cases());
    ObjectNode other = SampleBodies.guest();
    other.put("adults", 3);
    assertThrows(IdempotencyKeyReused.class, () -> service.register(CaseKind.GUEST, other, key));
    assertEquals(cases, StorageFixture.count(tables.cases()));
  }

  @Test
  void keysAreScopedPerKind() {
    String key = UUID.randomUUID().toString();
    Registered guest = service.register(CaseKind.GUEST, SampleBodies.guest(), key);
    Registered host = service.register(CaseKind.HOST, SampleBodies.host(), key);
    assertNotEquals(guest.id(), host.id());
  }

  @Test
  void concurrentIdenticalRequestsCreateOneRegistration() throws Exception {
    ObjectNode body = SampleBodies.guest();
    String key = UUID.randomUUID().toString();
    long before = StorageFixture.count(tables.cases());
    int clients = 12;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Registered>> answers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Callable<Registered> call = () -> {
        go.await();
        return service.register(CaseKind.GUEST, body.deepCopy(), key);
      };
      answers.add(pool.submit(call));
    }
    go.countDown();
    Set<String> ids = new HashSet<>();
    Set<String> tokens = new HashSet<>();
    for (Future<Registered> f : answers) {
      Registered r = f.get();
      ids.add(r.id());
      tokens.add(r.statusToken());
    }
    pool.shutdown();
    assertEquals(1, ids.size(), "every client got the same registration");
    assertEquals(1, tokens.size());
    // One case item, its first event, and the row that lists it as waiting unassigned (no organisation here).
    assertEquals(before + 3, StorageFixture.count(tables.cases()), "one case item, one event, one holder row");
  }

  @Test
  void aSecondRegistrationWithTheSameContactIsLinkedAndHeldFromMatching() {
    ObjectNode first = SampleBodies.guest();
    Registered original = service.register(CaseKind.GUEST, first, null);
    ObjectNode second = SampleBodies.guest();
    // The same person, typed differently, with a new phone number and another household size.
    String email = first.get("contact").get("email").asText().toUpperCase();
    ((ObjectNode) second.get("contact")).put("email", " " + email + " ").put("phone", "+31 6 99887766");
    second.put("adults", 3);
    Registered duplicate = service.register(CaseKind.GUEST, second, null);

    assertNotEquals(original.id(), duplicate.id(), "the new registration is kept, not lost");
    assertEquals(GuestStatus.ON_HOLD.wire(), duplicate.status());
    CaseRecord c = new CaseStore(dynamo, tables).find(duplicate.id()).orElseThrow();
    assertEquals(original.id(), c.duplicateOf());
    assertEquals("guest#on_hold#PV26", Attr.str(item(tables.cases(), "CASE#" + duplicate.id(), "CASE"), "poolKey"));
    assertNull(new CaseStore(dynamo, tables).find(original.id()).orElseThrow().duplicateOf());
  }

  @Test
  void concurrentRegistrationsOfOnePersonLeaveOneOpenCase() throws Exception {
    ObjectNode body = SampleBodies.guest();
    int clients = 6;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Registered>> answers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      answers.add(pool.submit(() -> {
        go.await();
        // No idempotency key: think of several browser tabs submitting the same form.
        return service.register(CaseKind.GUEST, body.deepCopy(), null);
      }));
    }
    go.countDown();
    int open = 0;
    int held = 0;
    for (Future<Registered> f : answers) {
      String status = f.get().status();
      open += status.equals("open") ? 1 : 0;
      held += status.equals("on_hold") ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, open, "exactly one registration of this person is matchable");
    assertEquals(clients - 1, held);
  }

  @Test
  void statusNeedsTheRightToken() {
    Registered r = service.register(CaseKind.HOST, SampleBodies.host(), null);
    assertEquals("screening", service.status(r.id(), r.statusToken()).orElseThrow().status().wire());
    assertTrue(service.status(r.id(), "wrong").isEmpty());
    assertTrue(service.status(r.id(), null).isEmpty());
    assertTrue(service.status("H-0000000000000000", r.statusToken()).isEmpty());
    assertTrue(service.status("../etc/passwd", r.statusToken()).isEmpty());
  }
}
