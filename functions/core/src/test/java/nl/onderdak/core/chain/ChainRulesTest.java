package nl.onderdak.core.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.events.ChainFacts;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.tally.RegionTallies;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The chain's rules on their own, without storage: routing, reviewers, what waits on whom, holder rows. */
@Tag("fast")
class ChainRulesTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  private static final Programme P = Programmes.HOST_FAMILY;

  @Test
  void theMostSpecificRuleWinsThenTheSoleHolderThenNobody() {
    Routing routing = new Routing(List.of(
        new RoutingRule("host_family", Role.GUEST_SUPPORT, "PV26", "P-PROVINCE"),
        new RoutingRule("host_family", Role.GUEST_SUPPORT, "GM0344", "P-CITY")),
        Map.of(Routing.holdersKey(Role.PLACEMENT_REVIEW, "PV26"), Set.of("P-ALONE"),
            Routing.holdersKey(Role.GUEST_SUPPORT, "PV26"), Set.of("P-PROVINCE", "P-CITY"),
            Routing.holdersKey(Role.CARE_PROVIDER, "PV26"), Set.of("P-CARE")));
    Routing.Assigned city = routing.assign(P, Programmes.HOUSEHOLD, "PV26", "GM0344", Map.of());
    assertEquals("P-CITY", city.partners().get(Role.GUEST_SUPPORT), "a municipality rule over a province rule");
    assertEquals(Routing.RULE, city.how().get(Role.GUEST_SUPPORT));
    assertEquals("P-ALONE", city.partners().get(Role.PLACEMENT_REVIEW));
    assertEquals(Routing.SOLE_HOLDER, city.how().get(Role.PLACEMENT_REVIEW));
    assertNull(city.partners().get(Role.CARE_PROVIDER), "an optional role is never given to a sole holder");
    Routing.Assigned elsewhere = routing.assign(P, Programmes.HOUSEHOLD, "PV26", "GM0355", Map.of());
    assertEquals("P-PROVINCE", elsewhere.partners().get(Role.GUEST_SUPPORT));
    Routing.Assigned other = routing.assign(P, Programmes.HOUSEHOLD, "PV27", null, Map.of());
    assertTrue(other.partners().isEmpty(), "no rule and no holder: waits unassigned");
    Routing.Assigned pinned = routing.assign(P, Programmes.PROVIDER_HOME, "PV26", "GM0344",
        Map.of(Role.HOUSING_PROVIDER, "P-OWNER"));
    assertNull(pinned.partners().get(Role.HOUSING_PROVIDER), "a pinned role is left as it is");
    // A disabled organisation's rule is passed over: the province rule decides.
    Routing withDisabled = new Routing(routing.rules(), routing.holders(), Set.of("P-CITY"));
    assertEquals("P-PROVINCE", withDisabled.assign(P, Programmes.HOUSEHOLD, "PV26", "GM0344", Map.of()).partners()
        .get(Role.GUEST_SUPPORT));
  }

  @Test
  void aMatchIsReviewedByBothSidesAndAProvidersHomeAsksForTheHouseholdsCareProvider() {
    CaseView guest = view("G-1", CaseKind.GUEST, GuestStatus.PROPOSED, "household",
        Map.of(Role.GUEST_SUPPORT, "P-A", Role.PLACEMENT_REVIEW, "P-A"));
    CaseView host = view("H-1", CaseKind.HOST, HostStatus.PROPOSED, "host_offer",
        Map.of(Role.SCREENING, "P-C", Role.PLACEMENT_REVIEW, "P-C"));
    assertEquals(Set.of("P-C", "P-A"), ProposalReviewStep.reviewers(guest, host));
    assertEquals(Role.PLACEMENT_REVIEW, ProposalReviewStep.reviewsAs("P-A", guest, host));
    assertNull(ProposalReviewStep.reviewsAs("P-X", guest, host));
    CaseView home = view("H-2", CaseKind.HOST, HostStatus.PROPOSED, "provider_home",
        Map.of(Role.HOUSING_PROVIDER, "P-H", Role.PLACEMENT_REVIEW, "P-C"));
    assertEquals(Set.of("P-C", "P-A", "unassigned:care_provider"), ProposalReviewStep.reviewers(guest, home),
        "nobody can complete the review until the household has a care provider");
    assertNull(ProposalReviewStep.reviewsAs("P-H", guest, home), "the provider sees the match, does not review it");
  }

  @Test
  void theRowsSayWhoHoldsWhatAndWhatWaitsOnWhom() {
    CaseView host = view("H-3", CaseKind.HOST, HostStatus.SCREENING, "host_offer",
        Map.of(Role.SCREENING, "P-S", Role.PLACEMENT_REVIEW, "P-R"));
    Map<String, Map<String, AttributeValue>> rows = byHolder(HolderRows.rows(host, MatchContext.NONE));
    assertEquals(Set.of("P-S", "P-R"), rows.keySet());
    assertEquals(List.of("screening"), rows.get("P-S").get("waiting").ss(), "the screening waits on its holder");
    assertTrue(rows.get("P-S").get("lead").bool());
    assertNull(rows.get("P-R").get("waitingFor"), "nothing waits on the reviewer yet");
    Map<String, Map<String, AttributeValue>> held = byHolder(HolderRows.rows(host, MatchContext.NONE, true));
    assertEquals(Set.of("P-S", "P-R"), held.keySet(), "a held case is still its organisations'");
    assertNull(held.get("P-S").get("waitingFor"), "but in no one's queue until it is released");

    CaseView guest = view("G-3", CaseKind.GUEST, GuestStatus.PROPOSED, "household", Map.of(Role.GUEST_SUPPORT, "P-A"));
    Map<String, Map<String, AttributeValue>> waiting = byHolder(HolderRows.rows(guest, MatchContext.NONE));
    assertEquals(Set.of("P-A", HolderRows.UNASSIGNED), waiting.keySet());
    assertEquals(List.of("placement_review"), waiting.get(HolderRows.UNASSIGNED).get("roles").ss());

    CaseView reviewed = view("G-4", CaseKind.GUEST, GuestStatus.PROPOSED, "household",
        Map.of(Role.GUEST_SUPPORT, "P-A", Role.PLACEMENT_REVIEW, "P-B"));
    assertEquals(List.of("placement_review"), byHolder(HolderRows.rows(reviewed, MatchContext.NONE)).get("P-B")
        .get("waiting").ss());
    assertNull(byHolder(HolderRows.rows(reviewed, new MatchContext(Set.of("P-B"), Set.of()))).get("P-B")
        .get("waiting"), "once it accepted, the review waits on it no more");

    CaseView closed = view("G-5", CaseKind.GUEST, GuestStatus.WITHDRAWN, "household", Map.of(Role.GUEST_SUPPORT, "P-A"));
    assertTrue(HolderRows.rows(closed, MatchContext.NONE).isEmpty(), "a terminal case is nobody's any more");
  }

  @Test
  void aTerminalCaseIsSeenByNobodyAndAMatchByItsCasesHolders() {
    CaseView open = view("G-6", CaseKind.GUEST, GuestStatus.OPEN, "household", Map.of(Role.GUEST_SUPPORT, "P-A"));
    assertEquals(Set.of(Role.GUEST_SUPPORT), CaseAccess.holds("P-A", open));
    assertTrue(CaseAccess.holds("P-B", open).isEmpty());
    CaseView gone = view("G-7", CaseKind.GUEST, GuestStatus.CLOSED, "household", Map.of(Role.GUEST_SUPPORT, "P-A"));
    assertTrue(CaseAccess.holds("P-A", gone).isEmpty());
    CaseView host = view("H-7", CaseKind.HOST, HostStatus.PROPOSED, "provider_home",
        Map.of(Role.HOUSING_PROVIDER, "P-H", Role.PLACEMENT_REVIEW, "P-C"));
    MatchView m = MatchView.of(Attr.item("matchId", "M-0000000000000001", "status", "proposed", "guestId", "G-6",
        "hostId", "H-7", "version", 1L));
    assertTrue(CaseAccess.seesMatch("P-H", new MatchParties(m, open, host)), "a match into the provider's own home");
    assertTrue(!CaseAccess.seesMatch("P-Z", new MatchParties(m, open, host)));
  }

  @Test
  void eachStatusOfEachTypeIsInOneStepOrNoneWhenTerminal() {
    for (CaseType type : P.caseTypes()) {
      CaseStatus[] statuses = type.kind() == CaseKind.GUEST ? GuestStatus.values() : HostStatus.values();
      for (CaseStatus status : statuses) {
        if (status == HostStatus.SCREENING && !type.roles().contains(Role.SCREENING)) {
          continue; // a provider's own home is approved at registration: never in screening
        }
        long steps = P.steps().stream().filter(s -> s.current(type, status)).count();
        assertEquals(status.terminal() ? 0 : 1, steps, type.key() + " " + status.wire());
      }
    }
  }

  @Test
  void eachEventMovesTheCountOfCasesAnOrganisationHoldsByWhatItAloneSays() {
    Map<String, String> both = Map.of("guest_support", "P-A", "placement_review", "P-B");
    assertEquals(Map.of("P-A", 1L, "P-B", 1L), RegionTallies.heldDeltas(event(CaseEvent.REGISTERED, null, "open",
        facts(both, Map.of(), null, null, null, null))));
    assertEquals(Map.of("P-A", -1L, "P-B", -1L), RegionTallies.heldDeltas(event(CaseEvent.STATUS_CHANGED, "open",
        "withdrawn", facts(both, Map.of(), null, null, null, null))));
    assertEquals(Map.of(), RegionTallies.heldDeltas(event(CaseEvent.STATUS_CHANGED, "open", "proposed",
        facts(both, Map.of(), null, null, null, null))), "a step forward changes nobody's count");
    // A handover of support from A to C: C is new to the case, A holds nothing else on it.
    Map<String, String> handedOver = Map.of("guest_support", "P-C", "placement_review", "P-B");
    assertEquals(Map.of("P-A", -1L, "P-C", 1L), RegionTallies.heldDeltas(event(CaseEvent.ASSIGNED, "open", "open",
        facts(handedOver, Map.of("guest_support", "P-C"), "HO-1", "guest_support", "P-A", "P-C"))));
    // Handed to the organisation that reviews it already: nobody is new, A leaves.
    Map<String, String> toReviewer = Map.of("guest_support", "P-B", "placement_review", "P-B");
    assertEquals(Map.of("P-A", -1L), RegionTallies.heldDeltas(event(CaseEvent.ASSIGNED, "open", "open",
        facts(toReviewer, Map.of("guest_support", "P-B"), "HO-2", "guest_support", "P-A", "P-B"))));
    // The routing gives a waiting case its missing review to an organisation new to it.
    assertEquals(Map.of("P-B", 1L), RegionTallies.heldDeltas(event(CaseEvent.ASSIGNED, "open", "open",
        facts(both, Map.of("placement_review", "P-B"), null, null, null, null))));
  }

  private static CaseEvent event(String type, String from, String to, ChainFacts facts) {
    return new CaseEvent("G-9", CaseKind.GUEST, 2, type, "PV26", from, to, T, "partner:P-A", null, null, null, T,
        facts);
  }

  private static ChainFacts facts(Map<String, String> responsible, Map<String, String> assigned, String handoverId,
      String role, String from, String to) {
    return new ChainFacts(null, null, null, responsible, assigned, Map.of(), Set.of(), handoverId, role, from, to,
        null, false, null, "host_family", "household", false, null);
  }

  private static Map<String, Map<String, AttributeValue>> byHolder(List<Map<String, AttributeValue>> rows) {
    Map<String, Map<String, AttributeValue>> out = new java.util.LinkedHashMap<>();
    rows.forEach(r -> out.put(Attr.str(r, "holder"), r));
    return out;
  }

  private static CaseView view(String id, CaseKind kind, CaseStatus status, String type, Map<Role, String> holders) {
    Map<Role, Instant> since = new EnumMap<>(Role.class);
    holders.keySet().forEach(r -> since.put(r, T));
    return new CaseView(id, kind, status, 3, "PV26", "host_family", type, new Responsibility(holders, since), T,
        status == GuestStatus.PROPOSED || status == HostStatus.PROPOSED ? "M-0000000000000001" : null, null,
        Map.of(), T, Map.of());
  }

  @Test
  void onlyTheProgrammesOwnReasonCodesAreEverShownOutsideThePersonalData() {
    assertEquals("review_time_ran_out", ReasonCodes.safe("review_time_ran_out"));
    assertEquals("possible_duplicate", ReasonCodes.safe("possible_duplicate"));
    assertEquals("capacity", ReasonCodes.safe("capacity"), "a handover's reason");
    // A word that only looks like a code is someone's text: it never reaches a log line, metric or webhook.
    assertEquals(ReasonCodes.UNLISTED, ReasonCodes.safe("overdose"));
    assertEquals(ReasonCodes.UNLISTED, ReasonCodes.safe("olena_left_with_her_husband"));
    assertEquals(null, ReasonCodes.safe(null));
    for (Programme p : Programmes.all()) {
      for (Step s : p.steps()) {
        for (Decision d : s.decisions()) {
          d.reasons().forEach(r -> assertTrue(ReasonCodes.known(r), r));
        }
      }
    }
  }
}
