package nl.onderdak.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.chain.ChainStore;
import nl.onderdak.core.chain.StayWatch;
import nl.onderdak.core.chain.WithdrawalStep;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.function.Wiring;
import org.junit.jupiter.api.Test;

/** The stays' clock on DynamoDB Local, at a clock moved past a host's availability. */
class StayWatchTest {

  @Test
  void anApprovedHostWhoseAvailabilityEndedLeavesThePoolByItselfOnce() {
    String host = PartnerCalls.host("PV30", null);
    PartnerCalls.CASES.transition(host, HostStatus.SCREENING, HostStatus.APPROVED, Instant.now(), "test", "approved");
    String until = PartnerCalls.MATCHES.caseItem(host).get("profile").m().get("availableUntil").s();
    Instant after = LocalDate.parse(until).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Wiring wiring = Wiring.of(PartnerCalls.DYNAMO, PartnerCalls.TABLES, Clock.fixed(after, ZoneOffset.UTC));
    StayWatch watch = new StayWatch(wiring.chain(), 14);

    // The day before it ends, nothing: the host is still available that day.
    StayWatch early = new StayWatch(Wiring.of(PartnerCalls.DYNAMO, PartnerCalls.TABLES,
        Clock.fixed(after.minusSeconds(86_400), ZoneOffset.UTC)).chain(), 14);
    assertEquals(0, early.run(Set.of("PV30")).hostsEnded());

    assertTrue(watch.run(Set.of("PV30")).hostsEnded() >= 1);
    assertEquals(HostStatus.WITHDRAWN, PartnerCalls.CASES.find(host).orElseThrow().status());
    assertEquals(0, watch.run(Set.of("PV30")).hostsEnded(), "once: it is in no pool any more");
    ChainStore store = wiring.chainStore();
    List<String> decisions = new java.util.ArrayList<>();
    PartnerCalls.DYNAMO.queryPaginator(b -> b.tableName(PartnerCalls.TABLES.cases())
        .keyConditionExpression("pk = :pk").expressionAttributeValues(java.util.Map.of(":pk",
            Attr.s(CaseEvent.partitionKey(host))))).items().forEach(i -> {
              CaseEvent e = CaseEvent.fromItem(i);
              if (e != null) {
                decisions.add(e.chain().decision());
              }
            });
    assertEquals(WithdrawalStep.AVAILABILITY_ENDED, decisions.get(decisions.size() - 1), decisions.toString());
    assertTrue(store.caseView(host).terminal());
  }
}
