package nl.onderdak.partners;

import static nl.onderdak.partners.PartnerCalls.call;
import static nl.onderdak.partners.PartnerCalls.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.chain.StayWatch;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.function.Wiring;
import org.junit.jupiter.api.Test;

/**
 * The introduction between the yes and the move-in, over the partner routes as Lambda runs them, against DynamoDB
 * Local: who records it, go, no-go (the pair barred), a trial stay with its date, and no placement before it.
 */
class IntroductionRoutesTest {
  private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

  private static String placement() {
    return "{\"moveInDate\":\"" + TODAY + "\",\"agreedEndDate\":\"" + TODAY.plusDays(30) + "\"}";
  }

  /** A match in this municipality, accepted by the one organisation doing everything there but introducing. */
  private static PartnerCalls.Proposal accepted(String reviewer, String municipality) {
    PartnerCalls.route(municipality, reviewer, Role.SCREENING, Role.PLACEMENT_REVIEW, Role.GUEST_SUPPORT);
    PartnerCalls.Proposal p = PartnerCalls.proposal("PV26", municipality);
    ok(call(reviewer, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()), "{\"decision\":\"accept\"}"));
    return p;
  }

  @Test
  void theIntroducingOrganisationRecordsGoAndOnlyThenIsTheHouseholdPlaced() {
    String reviewer = PartnerCalls.partner("Review Zeist", List.of("placement_review", "screening", "guest_support"),
        List.of("PV26"));
    String introducer = PartnerCalls.partner("Kennismaken Zeist", List.of("introduction"), List.of("PV26"));
    String elsewhere = PartnerCalls.partner("Kennismaken Elders", List.of("introduction"), List.of("PV26"));
    PartnerCalls.route("GM0355", reviewer, Role.SCREENING, Role.PLACEMENT_REVIEW, Role.GUEST_SUPPORT);
    PartnerCalls.route("GM0355", introducer, Role.INTRODUCTION);
    PartnerCalls.Proposal p = PartnerCalls.proposal("PV26", "GM0355");
    Map<String, String> on = Map.of("id", p.matchId());
    ok(call(reviewer, "POST /partner/matches/{id}/review", on, "{\"decision\":\"accept\"}"));
    assertEquals(GuestStatus.INTRODUCING, PartnerCalls.CASES.find(p.guestId()).orElseThrow().status());
    assertEquals(HostStatus.INTRODUCING, PartnerCalls.CASES.find(p.hostId()).orElseThrow().status());

    APIGatewayV2HTTPResponse early = call(reviewer, "POST /partner/matches/{id}/placement", on, placement());
    assertEquals(409, early.getStatusCode(), early.getBody());
    assertEquals("not_introduced", Json.parse(early.getBody()).get("code").asText());

    JsonNode queue = ok(call(introducer, "GET /partner/queue", Map.of(), null));
    assertTrue(queue.path("acceptedToIntroduce").findValuesAsText("matchId").contains(p.matchId()), queue.toString());
    assertEquals(403, call(reviewer, "POST /partner/matches/{id}/introduction", on, "{\"outcome\":\"go\"}")
        .getStatusCode(), "a side with an introducing organisation is introduced by it, not its reviewer");
    assertEquals(404, call(elsewhere, "POST /partner/matches/{id}/introduction", on, "{\"outcome\":\"go\"}")
        .getStatusCode(), "an introducing organisation not on the case sees nothing");

    APIGatewayV2HTTPResponse bad = call(introducer, "POST /partner/matches/{id}/introduction", on,
        "{\"outcome\":\"maybe\"}");
    assertEquals(400, bad.getStatusCode());
    assertEquals("outcome", Json.parse(bad.getBody()).get("errors").get(0).get("field").asText());
    assertEquals("accepted", ok(call(introducer, "POST /partner/matches/{id}/introduction", on,
        "{\"outcome\":\"go\"}")).get("status").asText());
    assertEquals("accepted", ok(call(introducer, "POST /partner/matches/{id}/introduction", on,
        "{\"outcome\":\"go\"}")).get("status").asText(), "said twice: the same answer");
    assertEquals(409, call(introducer, "POST /partner/matches/{id}/introduction", on,
        "{\"outcome\":\"no_go\",\"reason\":\"host_declined\"}").getStatusCode(), "a go is not taken back");
    assertEquals(GuestStatus.MATCHED, PartnerCalls.CASES.find(p.guestId()).orElseThrow().status());
    assertEquals("placed", ok(call(reviewer, "POST /partner/matches/{id}/placement", on, placement()))
        .get("status").asText());
    JsonNode history = ok(call(reviewer, "GET /partner/cases/{id}/history", Map.of("id", p.guestId()), null));
    assertEquals(List.of("registration", "matching", "proposal_review", "introduction", "placement"),
        history.get("events").findValuesAsText("step").stream().filter(s -> !s.equals("duplicate_check")).toList());
  }

  @Test
  void aNoGoSendsBothBackWithThePairBarredAndItsWordsKeptForTheResponsible() {
    String reviewer = PartnerCalls.partner("Review Bunnik", List.of("placement_review", "screening", "guest_support"),
        List.of("PV26"));
    PartnerCalls.Proposal p = accepted(reviewer, "GM0312");
    Map<String, String> on = Map.of("id", p.matchId());
    APIGatewayV2HTTPResponse noReason = call(reviewer, "POST /partner/matches/{id}/introduction", on,
        "{\"outcome\":\"no_go\"}");
    assertEquals(400, noReason.getStatusCode());
    assertEquals("reason", Json.parse(noReason.getBody()).get("errors").get(0).get("field").asText());
    // No introducing organisation on either side: the placement reviewer records it.
    assertEquals("no_go", ok(call(reviewer, "POST /partner/matches/{id}/introduction", on,
        "{\"outcome\":\"no_go\",\"reason\":\"mismatch_found\",\"text\":\"the dog and the cat\"}")).get("status")
        .asText());
    assertEquals(GuestStatus.OPEN, PartnerCalls.CASES.find(p.guestId()).orElseThrow().status());
    assertEquals(HostStatus.APPROVED, PartnerCalls.CASES.find(p.hostId()).orElseThrow().status());
    var guest = PartnerCalls.MATCHES.caseItem(p.guestId());
    assertTrue(guest.get("declinedHosts").ss().contains(p.hostId()), "this pair is never proposed again");
    assertFalse(guest.toString().contains("the dog"), "the words are not on the case");
    JsonNode match = ok(call(reviewer, "GET /partner/matches/{id}", on, null));
    assertEquals("no_go", match.path("status").asText());
    assertTrue(match.toString().contains("the dog and the cat"), match.toString());
  }

  @Test
  void aTrialStayHasADateToDecideByAndIsThenDecided() {
    String reviewer = PartnerCalls.partner("Review Houten", List.of("placement_review", "screening", "guest_support"),
        List.of("PV26"));
    PartnerCalls.Proposal p = accepted(reviewer, "GM0321");
    Map<String, String> on = Map.of("id", p.matchId());
    APIGatewayV2HTTPResponse noDate = call(reviewer, "POST /partner/matches/{id}/introduction", on,
        "{\"outcome\":\"trial\"}");
    assertEquals(400, noDate.getStatusCode());
    assertEquals("decideBy", Json.parse(noDate.getBody()).get("errors").get(0).get("field").asText());
    APIGatewayV2HTTPResponse tooLate = call(reviewer, "POST /partner/matches/{id}/introduction", on,
        "{\"outcome\":\"trial\",\"decideBy\":\"" + TODAY.plusDays(60) + "\"}");
    assertEquals(400, tooLate.getStatusCode());
    String trial = "{\"outcome\":\"trial\",\"decideBy\":\"" + TODAY.plusDays(7) + "\"}";
    assertEquals("accepted", ok(call(reviewer, "POST /partner/matches/{id}/introduction", on, trial))
        .get("status").asText());
    assertEquals(GuestStatus.INTRODUCING, PartnerCalls.CASES.find(p.guestId()).orElseThrow().status(),
        "on trial, still in the introduction");
    assertEquals(409, call(reviewer, "POST /partner/matches/{id}/placement", on, placement()).getStatusCode());
    // The trial's date passes undecided: the stays' clock raises it once.
    java.time.Clock later = java.time.Clock.fixed(TODAY.plusDays(8).atStartOfDay().toInstant(ZoneOffset.UTC),
        ZoneOffset.UTC);
    StayWatch watch = new StayWatch(Wiring.of(PartnerCalls.DYNAMO, PartnerCalls.TABLES, later).chain(), 14);
    StayWatch before = new StayWatch(Wiring.of(PartnerCalls.DYNAMO, PartnerCalls.TABLES, java.time.Clock.fixed(
        TODAY.plusDays(7).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC)).chain(), 14);
    assertEquals(0, before.run(Set.of("PV26")).trialsOverdue(), "on its decide-by day it is not overdue yet");
    assertEquals(1, watch.run(Set.of("PV26")).trialsOverdue());
    assertEquals(0, watch.run(Set.of("PV26")).trialsOverdue(), "once per date");
    assertEquals(1, ok(call(reviewer, "GET /partner/cases/{id}/history", Map.of("id", p.guestId()), null))
        .get("events").findValuesAsText("decision").stream().filter("trial_overdue"::equals).count());
    assertEquals("accepted", ok(call(reviewer, "POST /partner/matches/{id}/introduction", on, "{\"outcome\":\"go\"}"))
        .get("status").asText());
    assertEquals(GuestStatus.MATCHED, PartnerCalls.CASES.find(p.guestId()).orElseThrow().status());
    JsonNode history = ok(call(reviewer, "GET /partner/cases/{id}/history", Map.of("id", p.hostId()), null));
    assertTrue(history.get("events").findValuesAsText("decision").containsAll(List.of("trial", "go")),
        history.toString());
    assertEquals(TODAY.plusDays(7).toString(), ok(call(reviewer, "GET /partner/matches/{id}", on, null))
        .path("decideBy").asText());
  }
}
