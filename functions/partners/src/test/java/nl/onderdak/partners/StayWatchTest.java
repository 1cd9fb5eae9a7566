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

  @Test
  void aStayEndingSoonIsOnTheWorryListUntilItsNextStepIsRecordedForItsEnd() {
    String team = PartnerCalls.partner("Team Maastricht", List.of("screening", "placement_review", "guest_support"),
        List.of("PV31"));
    PartnerCalls.route("GM0935", team, nl.onderdak.core.partners.Role.SCREENING,
        nl.onderdak.core.partners.Role.PLACEMENT_REVIEW, nl.onderdak.core.partners.Role.GUEST_SUPPORT);
    PartnerCalls.Proposal p = PartnerCalls.proposal("PV31", "GM0935");
    java.util.Map<String, String> on = java.util.Map.of("id", p.matchId());
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    PartnerCalls.ok(PartnerCalls.call(team, "POST /partner/matches/{id}/review", on, "{\"decision\":\"accept\"}"));
    PartnerCalls.ok(PartnerCalls.call(team, "POST /partner/matches/{id}/introduction", on, "{\"outcome\":\"go\"}"));
    PartnerCalls.ok(PartnerCalls.call(team, "POST /partner/matches/{id}/placement", on, "{\"moveInDate\":\"" + today
        + "\",\"agreedEndDate\":\"" + today.plusDays(15) + "\"}"));
    StayWatch watch = new StayWatch(Wiring.of(PartnerCalls.DYNAMO, PartnerCalls.TABLES, Clock.fixed(
        today.plusDays(5).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC)).chain(), 14);
    int before = watch.run(Set.of("PV31")).unplannedByProvince().get("PV31");
    assertTrue(before >= 1, "ending in 10 days, nothing recorded for after it");

    var missing = PartnerCalls.call(team, "POST /partner/matches/{id}/next", on, "{}");
    assertEquals(400, missing.getStatusCode());
    assertEquals("reason", nl.onderdak.core.json.Json.parse(missing.getBody()).get("errors").get(0).get("field")
        .asText());
    var planned = PartnerCalls.ok(PartnerCalls.call(team, "POST /partner/matches/{id}/next", on,
        "{\"reason\":\"rematch\",\"text\":\"the host's daughter comes home in spring\"}"));
    assertEquals("rematch", planned.get("nextStep").asText());
    assertEquals(before - 1, watch.run(Set.of("PV31")).unplannedByProvince().get("PV31"));
    // An extension moves the end: what follows the new end is to be planned again.
    PartnerCalls.ok(PartnerCalls.call(team, "POST /partner/matches/{id}/stay", on, "{\"agreedEndDate\":\""
        + today.plusDays(17) + "\",\"reason\":\"host_agreed\"}"));
    assertEquals(before, watch.run(Set.of("PV31")).unplannedByProvince().get("PV31"));
    var history = PartnerCalls.ok(PartnerCalls.call(team, "GET /partner/cases/{id}/history",
        java.util.Map.of("id", p.guestId()), null));
    assertTrue(history.get("events").findValuesAsText("decision").contains("next_step"), history.toString());
    assertTrue(PartnerCalls.ok(PartnerCalls.call(team, "GET /partner/matches/{id}", on, null)).toString()
        .contains("the host's daughter comes home in spring"), "its words, for the organisations responsible");
  }
}
