package nl.onderdak.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.registration.RegistrationService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Lifecycle moves are decided by conditional writes in DynamoDB, not by reading first. */
class CaseStoreTest {
  private DynamoDbClient dynamo;
  private Tables tables;
  private CaseStore store;
  private String hostId;

  @BeforeEach
  void setUp() {
    dynamo = StorageFixture.client();
    tables = StorageFixture.tables();
    store = new CaseStore(dynamo, tables);
    hostId = new RegistrationService(store, Clock.systemUTC(), Duration.ofDays(30),
        new nl.onderdak.core.chain.RoutingStore(dynamo, tables.partners())::read)
        .register(CaseKind.HOST, SampleBodies.host(), null).id();
  }

  private Map<String, AttributeValue> caseItem() {
    return dynamo.getItem(b -> b.tableName(tables.cases()).key(Attr.key("CASE#" + hostId, "CASE"))
        .consistentRead(true)).item();
  }

  @Test
  void aMoveUpdatesTheCaseItsPoolAndAppendsItsEvent() {
    CaseEvent event = store.transition(hostId, HostStatus.SCREENING, HostStatus.APPROVED, Instant.now(),
        "partner-test", "screened by phone, VOG received");
    assertEquals(2, event.seq());
    Map<String, AttributeValue> item = caseItem();
    assertEquals("approved", Attr.str(item, "status"));
    assertEquals(2, Attr.num(item, "version"));
    assertEquals("host#approved#PV26", Attr.str(item, "poolKey"));
    Map<String, AttributeValue> stored = dynamo.getItem(b -> b.tableName(tables.cases())
        .key(Attr.key("CASE#" + hostId, "EVENT#000002")).consistentRead(true)).item();
    assertEquals("screening", Attr.str(stored, "fromStatus"));
    assertEquals("approved", Attr.str(stored, "toStatus"));
    assertEquals("partner-test", Attr.str(stored, "actor"));
  }

  @Test
  void aForbiddenMoveIsRefusedAndWritesNothing() {
    assertThrows(CaseStore.TransitionRefused.class, () -> store.transition(hostId, HostStatus.SCREENING,
        HostStatus.PROPOSED, Instant.now(), "matcher", null));
    assertEquals("screening", Attr.str(caseItem(), "status"));
    assertEquals(1, Attr.num(caseItem(), "version"));
  }

  @Test
  void aMoveFromAStatusTheCaseIsNoLongerInIsRefused() {
    store.transition(hostId, HostStatus.SCREENING, HostStatus.REJECTED, Instant.now(), "partner", "no VOG");
    assertThrows(CaseStore.TransitionRefused.class, () -> store.transition(hostId, HostStatus.SCREENING,
        HostStatus.APPROVED, Instant.now(), "partner", null));
    Map<String, AttributeValue> item = caseItem();
    assertEquals("rejected", Attr.str(item, "status"));
    assertNull(item.get("poolKey"), "a terminal status leaves the pool index");
  }

  @Test
  void ofTwoConcurrentMovesFromOneStatusExactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> outcomes = new ArrayList<>();
    for (HostStatus to : List.of(HostStatus.APPROVED, HostStatus.REJECTED)) {
      outcomes.add(pool.submit(() -> {
        go.await();
        try {
          store.transition(hostId, HostStatus.SCREENING, to, Instant.now(), "partner", null);
          return to.wire();
        } catch (CaseStore.TransitionRefused e) {
          return "refused";
        }
      }));
    }
    go.countDown();
    List<String> results = new ArrayList<>();
    for (Future<String> f : outcomes) {
      results.add(f.get());
    }
    pool.shutdown();
    assertEquals(1, results.stream().filter("refused"::equals).count(), results.toString());
    String winner = results.stream().filter(r -> !r.equals("refused")).findFirst().orElseThrow();
    assertEquals(winner, Attr.str(caseItem(), "status"));
    assertEquals(2, Attr.num(caseItem(), "version"));
  }
}
