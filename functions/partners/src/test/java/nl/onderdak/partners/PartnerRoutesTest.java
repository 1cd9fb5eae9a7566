package nl.onderdak.partners;

import static nl.onderdak.partners.PartnerCalls.CASES;
import static nl.onderdak.partners.PartnerCalls.DYNAMO;
import static nl.onderdak.partners.PartnerCalls.MATCHES;
import static nl.onderdak.partners.PartnerCalls.TABLES;
import static nl.onderdak.partners.PartnerCalls.call;
import static nl.onderdak.partners.PartnerCalls.created;
import static nl.onderdak.partners.PartnerCalls.guest;
import static nl.onderdak.partners.PartnerCalls.host;
import static nl.onderdak.partners.PartnerCalls.ok;
import static nl.onderdak.partners.PartnerCalls.partner;
import static nl.onderdak.partners.PartnerCalls.proposal;
import static nl.onderdak.partners.PartnerCalls.propose;
import static nl.onderdak.partners.PartnerCalls.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.function.Wiring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The host-family chain through the partner routes, as Lambda runs them against DynamoDB Local: every case carried
 * by the organisations responsible for it, and seen and acted on by them alone.
 *
 * <p>Each test routes its own municipalities (the routing is shared by the tests of this JVM), so its cases go to
 * the organisations it names whatever else is onboarded in the province.
 */
class PartnerRoutesTest {
  private static final Role[] ALL = {Role.SCREENING, Role.PLACEMENT_REVIEW, Role.GUEST_SUPPORT};
  private static String utrecht;
  private static String rival;
  private static String municipality;
  private static String support;

  @BeforeAll
  static void onboard() {
    List<String> roles = List.of("screening", "placement_review", "guest_support");
    utrecht = partner("Utrecht Welcome", roles, List.of("PV26"));
    rival = partner("Utrecht Too", roles, List.of("PV26"));
    municipality = partner("Gemeente Zeist", List.of("placement_review"), List.of("PV26"));
    support = partner("Guest Support Utrecht", List.of("guest_support"), List.of("PV26"));
  }

  // ------------------------------------------------------------------ who sees what

  @Test
  void anOrganisationWithTheSameRolesInTheSameRegionButNotThisCaseGetsNotFoundOnEveryRoute() {
    route("GM0301", utrecht, ALL);
    PartnerCalls.Proposal p = proposal("PV26", "GM0301");
    String handover = created(call(utrecht, "POST /partner/cases/{id}/handover", Map.of("id", p.guestId()),
        "{\"role\":\"guest_support\",\"to\":\"" + support + "\",\"reason\":\"capacity\"}")).get("id").asText();
    Map<String, String> guestId = Map.of("id", p.guestId());
    Map<String, String> hostId = Map.of("id", p.hostId());
    Map<String, String> matchId = Map.of("id", p.matchId());
    List<APIGatewayV2HTTPResponse> answers = List.of(
        call(rival, "GET /partner/cases/{id}", guestId, null),
        call(rival, "GET /partner/cases/{id}", hostId, null),
        call(rival, "GET /partner/cases/{id}/history", guestId, null),
        call(rival, "GET /partner/cases/{id}/history", hostId, null),
        call(rival, "GET /partner/cases/{id}/notes", guestId, null),
        call(rival, "POST /partner/cases/{id}/notes", guestId, "{\"text\":\"x\"}", "k-" + UUID.randomUUID(), Map.of()),
        call(rival, "POST /partner/cases/{id}/handover", guestId,
            "{\"role\":\"guest_support\",\"to\":\"" + support + "\",\"reason\":\"capacity\"}"),
        call(rival, "POST /partner/cases/{id}/handovers/{handoverId}",
            Map.of("id", p.guestId(), "handoverId", handover), "{\"decision\":\"accept\"}"),
        call(rival, "POST /partner/cases/{id}/hold", guestId, "{\"decision\":\"release\"}"),
        call(rival, "POST /partner/hosts/{id}/screening", hostId, "{\"decision\":\"rejected\",\"reason\":\"unreachable\"}"),
        call(rival, "POST /partner/cases/{id}/withdraw", guestId, "{\"reason\":\"unreachable\"}"),
        call(rival, "POST /partner/cases/{id}/withdraw", hostId, "{\"reason\":\"unreachable\"}"),
        call(rival, "GET /partner/matches/{id}", matchId, null),
        call(rival, "POST /partner/matches/{id}/review", matchId, "{\"decision\":\"decline\",\"reason\":\"host_withdrew\"}"),
        call(rival, "POST /partner/matches/{id}/introduction", matchId, "{\"outcome\":\"go\"}"),
        call(rival, "POST /partner/matches/{id}/placement", matchId, "{\"moveInDate\":\"" + LocalDate.now() + "\",\"agreedEndDate\":\"" + LocalDate.now().plusDays(14) + "\"}"),
        call(rival, "POST /partner/matches/{id}/end", matchId, "{\"reason\":\"returned\"}"));
    for (APIGatewayV2HTTPResponse r : answers) {
      assertEquals(404, r.getStatusCode(), r.getBody());
      assertEquals("not_found", Json.parse(r.getBody()).get("code").asText(), r.getBody());
    }
    // The same answer as for an id that does not exist at all.
    assertEquals(Json.parse(call(rival, "GET /partner/cases/{id}", Map.of("id", "G-0000000000000000"), null).getBody())
        .get("code"), Json.parse(answers.get(0).getBody()).get("code"));
    // Its own lists know nothing of them either.
    String listed = call(rival, "GET /partner/cases", Map.of(), null).getBody() + call(rival, "GET /partner/queue",
        Map.of(), null).getBody();
    assertFalse(listed.contains(p.guestId()) || listed.contains(p.hostId()) || listed.contains(p.matchId()), listed);
    // The organisation responsible sees it all; nothing moved.
    assertEquals(200, call(utrecht, "GET /partner/cases/{id}", guestId, null).getStatusCode());
    assertEquals(200, call(utrecht, "GET /partner/matches/{id}", matchId, null).getStatusCode());
    assertEquals(GuestStatus.PROPOSED, CASES.find(p.guestId()).orElseThrow().status());
    assertEquals(HostStatus.PROPOSED, CASES.find(p.hostId()).orElseThrow().status());
    assertEquals(403, call(null, "GET /partner/me", Map.of(), null).getStatusCode(), "no partner in the context");
  }

  @Test
  void aReviewerSeesTheOtherSideOnlyWhileTheMatchIsActive() {
    route("GM0303", utrecht, ALL);
    route("GM0304", utrecht, Role.SCREENING);
    route("GM0304", municipality, Role.PLACEMENT_REVIEW);
    String host = host("PV26", "GM0304");
    CASES.transition(host, HostStatus.SCREENING, HostStatus.APPROVED, Instant.now(), "test", "approved");
    PartnerCalls.Proposal p = propose(guest("PV26", "GM0303"), host);
    // The municipality reviews the host's side: it sees the household while the proposal stands, as a reviewer.
    JsonNode seen = ok(call(municipality, "GET /partner/cases/{id}", Map.of("id", p.guestId()), null));
    assertEquals("reviewer of " + p.matchId(), seen.get("seenAs").asText());
    assertEquals(0, seen.get("yourRoles").size());
    assertEquals(404, call(municipality, "GET /partner/cases/{id}/notes", Map.of("id", p.guestId()), null)
        .getStatusCode(), "notes are the responsible organisations' only");
    JsonNode noReason = Json.parse(call(municipality, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()),
        "{\"decision\":\"decline\"}").getBody());
    assertEquals(List.of("reason"), noReason.get("errors").findValuesAsText("field"));
    JsonNode declined = ok(call(municipality, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()),
        "{\"decision\":\"decline\",\"reason\":\"other\",\"text\":\"the host's daughter moves back in\"}"));
    assertEquals("declined", declined.get("status").asText());
    Map<String, AttributeValue> guest = MATCHES.caseItem(p.guestId());
    assertEquals("open", Attr.str(guest, "status"));
    assertEquals(List.of(p.hostId()), guest.get("declinedHosts").ss(), "the pair is never proposed again");
    assertEquals(HostStatus.APPROVED, CASES.find(p.hostId()).orElseThrow().status());
    // The decline ended the sight it gave; the household's own organisation still holds it.
    assertEquals(404, call(municipality, "GET /partner/cases/{id}", Map.of("id", p.guestId()), null).getStatusCode());
    assertEquals(200, call(utrecht, "GET /partner/cases/{id}", Map.of("id", p.guestId()), null).getStatusCode());
    // Its free text is with the personal data, for those responsible; the match item holds the code only.
    assertEquals("the host's daughter moves back in", ok(call(municipality, "GET /partner/matches/{id}",
        Map.of("id", p.matchId()), null)).get("declineText").asText());
    assertTrue(ResponsibilityRoutesTest.reads(p.hostId()).stream().anyMatch(r -> "match_texts".equals(
        Attr.str(r, "what")) && municipality.equals(Attr.str(r, "partnerId"))), "reading the text is on record");
    assertFalse(MATCHES.match(p.matchId()).toString().contains("daughter"));
  }

  @Test
  void everyReviewerOnBothSidesMustAcceptAndEachSeesWhetherTheReviewWaitsOnIt() {
    route("GM0305", utrecht, ALL);
    route("GM0306", utrecht, Role.SCREENING);
    route("GM0306", municipality, Role.PLACEMENT_REVIEW);
    String host = host("PV26", "GM0306");
    CASES.transition(host, HostStatus.SCREENING, HostStatus.APPROVED, Instant.now(), "test", "approved");
    PartnerCalls.Proposal p = propose(guest("PV26", "GM0305"), host);
    assertTrue(queued(municipality, p.matchId()) && queued(utrecht, p.matchId()));
    JsonNode one = ok(call(utrecht, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()),
        "{\"decision\":\"accept\"}"));
    assertEquals("proposed", one.get("status").asText(), "one of two reviewers is not enough");
    JsonNode match = ok(call(utrecht, "GET /partner/matches/{id}", Map.of("id", p.matchId()), null));
    assertEquals(List.of(municipality), List.of(match.get("waitingFor").get(0).asText()));
    assertFalse(queued(utrecht, p.matchId()), "it waits on utrecht no more");
    assertTrue(queued(municipality, p.matchId()));
    assertEquals(GuestStatus.PROPOSED, CASES.find(p.guestId()).orElseThrow().status());
    JsonNode both = ok(call(municipality, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()),
        "{\"decision\":\"accept\"}"));
    assertEquals("accepted", both.get("status").asText());
    assertEquals(GuestStatus.INTRODUCING, CASES.find(p.guestId()).orElseThrow().status());
    assertTrue(queued(utrecht, p.matchId()) || queued(municipality, p.matchId()), "the introduction waits now");
  }

  // ------------------------------------------------------------------ the chain's steps

  @Test
  void screeningReviewPlacementAndEndEachTakeTheirReasonCodesAndWriteTheHistory() {
    route("GM0302", utrecht, ALL);
    String host = host("PV26", "GM0302");
    JsonNode freeText = Json.parse(call(utrecht, "POST /partner/hosts/{id}/screening", Map.of("id", host),
        "{\"decision\":\"approved\",\"reason\":\"home visit done\"}").getBody());
    assertEquals(List.of("reason"), freeText.get("errors").findValuesAsText("field"), "reasons are codes");
    assertEquals("approved", ok(call(utrecht, "POST /partner/hosts/{id}/screening", Map.of("id", host),
        "{\"decision\":\"approved\",\"reason\":\"intake_completed\",\"text\":\"visited on Tuesday, VOG in\"}"))
        .get("status").asText());
    assertEquals(HostStatus.APPROVED, CASES.find(host).orElseThrow().status());
    assertEquals(200, call(utrecht, "POST /partner/hosts/{id}/screening", Map.of("id", host),
        "{\"decision\":\"approved\"}").getStatusCode(), "said twice: the same answer");
    assertEquals(409, call(utrecht, "POST /partner/hosts/{id}/screening", Map.of("id", host),
        "{\"decision\":\"rejected\",\"reason\":\"no_separate_room\"}").getStatusCode());

    PartnerCalls.Proposal p = propose(guest("PV26", "GM0302"), host);
    Map<String, String> onMatch = Map.of("id", p.matchId());
    assertEquals(List.of("text"), Json.parse(call(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"accept\",\"text\":\"looks good\"}").getBody()).get("errors").findValuesAsText("field"),
        "an acceptance keeps no words: they are refused, not dropped");
    assertEquals("accepted", ok(call(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"accept\"}")).get("status").asText());
    assertEquals("accepted", ok(call(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"accept\"}")).get("status").asText(), "said twice: the same answer");
    assertEquals(409, call(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"decline\",\"reason\":\"host_withdrew\"}").getStatusCode());
    assertEquals("accepted", ok(call(utrecht, "POST /partner/matches/{id}/introduction", onMatch,
        "{\"outcome\":\"go\"}")).get("status").asText());
    assertEquals("placed", ok(call(utrecht, "POST /partner/matches/{id}/placement", onMatch,
        "{\"moveInDate\":\"" + LocalDate.now(ZoneOffset.UTC) + "\",\"agreedEndDate\":\""
            + LocalDate.now(ZoneOffset.UTC).plusDays(14) + "\"}")).get("status").asText());
    assertEquals(GuestStatus.PLACED, CASES.find(p.guestId()).orElseThrow().status());
    assertEquals(HostStatus.HOSTING, CASES.find(p.hostId()).orElseThrow().status());
    assertEquals("ended", ok(call(utrecht, "POST /partner/matches/{id}/end", onMatch,
        "{\"reason\":\"needs_new_place\",\"text\":\"the host moves abroad\"}")).get("status").asText());
    Map<String, AttributeValue> guest = MATCHES.caseItem(p.guestId());
    assertEquals("open", Attr.str(guest, "status"), "needs a new place: back in the pool");
    assertTrue(Attr.str(guest, "poolOrder").startsWith("0000"), "at the front of the queue");
    assertEquals(HostStatus.APPROVED, CASES.find(p.hostId()).orElseThrow().status());

    JsonNode history = ok(call(utrecht, "GET /partner/cases/{id}/history", Map.of("id", host), null));
    List<String> steps = history.get("events").findValuesAsText("step");
    List<String> decisions = history.get("events").findValuesAsText("decision");
    assertEquals(List.of("registration", "screening", "matching", "proposal_review", "introduction", "placement",
        "stay"), steps);
    assertEquals(List.of("registered", "approved", "propose", "accept", "go", "confirm", "end"), decisions);
    assertTrue(history.get("events").findValuesAsText("actor").contains("partner:" + utrecht));
    assertEquals("visited on Tuesday, VOG in", history.get("events").get(1).get("text").asText(),
        "the screening's text, for the organisation responsible");
    assertEquals("the host moves abroad", ok(call(utrecht, "GET /partner/matches/{id}", onMatch, null))
        .get("endText").asText());
    // The cases table holds codes only: no typed text on the case, its events or the match.
    String stored = caseCollection(host) + caseCollection(p.guestId()) + MATCHES.match(p.matchId());
    assertFalse(stored.contains("Tuesday") || stored.contains("abroad"), "free text stays with the personal data");
  }

  @Test
  void aProposalNotReviewedInTimeExpiresLikeADecline() {
    route("GM0307", utrecht, ALL);
    PartnerCalls.Proposal p = proposal("PV26", "GM0307");
    Instant now = Instant.now();
    ProposalExpiryHandler early = new ProposalExpiryHandler(
        Wiring.of(DYNAMO, TABLES, Clock.fixed(now.plus(Duration.ofHours(71)), ZoneOffset.UTC)), Duration.ofHours(72));
    early.handleRequest(Map.of(), null);
    assertEquals("proposed", Attr.str(MATCHES.match(p.matchId()), "status"), "not yet");
    ProposalExpiryHandler late = new ProposalExpiryHandler(
        Wiring.of(DYNAMO, TABLES, Clock.fixed(now.plus(Duration.ofHours(73)), ZoneOffset.UTC)), Duration.ofHours(72));
    Map<String, Object> result = late.handleRequest(Map.of(), null);
    assertTrue(((Integer) result.get("expired")) >= 1, result.toString());
    Map<String, AttributeValue> match = MATCHES.match(p.matchId());
    assertEquals("expired", Attr.str(match, "status"));
    assertEquals("review_time_ran_out", Attr.str(match, "declineReason"));
    Map<String, AttributeValue> guest = MATCHES.caseItem(p.guestId());
    assertEquals("open", Attr.str(guest, "status"));
    assertEquals(List.of(p.hostId()), guest.get("declinedHosts").ss());
    assertEquals(HostStatus.APPROVED, CASES.find(p.hostId()).orElseThrow().status());
    late.handleRequest(Map.of(), null);
    assertEquals("expired", Attr.str(MATCHES.match(p.matchId()), "status"), "run again: nothing changes");
  }

  @Test
  void onlyTheLeadRecordsAWithdrawalAfterAcceptanceItCancelsTheMatchAndTheCaseIsSeenNoMore() {
    route("GM0308", support, Role.GUEST_SUPPORT);
    route("GM0308", utrecht, Role.PLACEMENT_REVIEW, Role.SCREENING);
    PartnerCalls.Proposal p = proposal("PV26", "GM0308");
    ok(call(utrecht, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()), "{\"decision\":\"accept\"}"));
    APIGatewayV2HTTPResponse notLead = call(utrecht, "POST /partner/cases/{id}/withdraw", Map.of("id", p.guestId()),
        "{\"reason\":\"found_own_place\"}");
    assertEquals(403, notLead.getStatusCode(), "the household's reviewer is not its lead");
    assertEquals("missing_role", Json.parse(notLead.getBody()).get("code").asText());
    assertEquals(List.of("reason"), Json.parse(call(support, "POST /partner/cases/{id}/withdraw",
        Map.of("id", p.guestId()), "{}").getBody()).get("errors").findValuesAsText("field"));
    JsonNode out = ok(call(support, "POST /partner/cases/{id}/withdraw", Map.of("id", p.guestId()),
        "{\"reason\":\"found_own_place\",\"text\":\"moved in with family in Zeist\"}"));
    assertEquals("withdrawn", out.get("status").asText());
    assertEquals("cancelled", out.get("match").get("status").asText());
    assertEquals(GuestStatus.WITHDRAWN, CASES.find(p.guestId()).orElseThrow().status());
    assertEquals(HostStatus.APPROVED, CASES.find(p.hostId()).orElseThrow().status(), "the host is matchable again");
    // A terminal move ends the sight of the case; a retry of the same withdrawal gets the same answer.
    assertEquals(404, call(support, "GET /partner/cases/{id}", Map.of("id", p.guestId()), null).getStatusCode());
    assertEquals("withdrawn", ok(call(support, "POST /partner/cases/{id}/withdraw", Map.of("id", p.guestId()),
        "{\"reason\":\"found_own_place\"}")).get("status").asText());
    JsonNode history = ok(call(utrecht, "GET /partner/cases/{id}/history", Map.of("id", p.hostId()), null));
    assertTrue(history.get("events").findValuesAsText("reason").contains("guest_withdrew"));
  }

  @Test
  void aPlacementIsEndedNotWithdrawnFrom() {
    route("GM0309", utrecht, ALL);
    PartnerCalls.Proposal p = proposal("PV26", "GM0309");
    Map<String, String> onMatch = Map.of("id", p.matchId());
    ok(call(utrecht, "POST /partner/matches/{id}/review", onMatch, "{\"decision\":\"accept\"}"));
    ok(call(utrecht, "POST /partner/matches/{id}/introduction", onMatch, "{\"outcome\":\"go\"}"));
    ok(call(utrecht, "POST /partner/matches/{id}/placement", onMatch, "{\"moveInDate\":\"" + LocalDate.now() + "\",\"agreedEndDate\":\"" + LocalDate.now().plusDays(14) + "\"}"));
    APIGatewayV2HTTPResponse refused = call(utrecht, "POST /partner/cases/{id}/withdraw", Map.of("id", p.hostId()),
        "{\"reason\":\"no_longer_available\"}");
    assertEquals(409, refused.getStatusCode());
    assertEquals("placed", Json.parse(refused.getBody()).get("code").asText());
    assertEquals(HostStatus.HOSTING, CASES.find(p.hostId()).orElseThrow().status());
  }

  @Test
  void aHousingProvidersHomeIsItsOwnAndAMatchIntoItNeedsTheHouseholdsCareProvider() {
    // Noord-Brabant, where these tests onboard no one else: each role below is held by one organisation alone.
    String housing = partner("Woonstichting", List.of("housing_provider"), List.of("PV30"));
    String otherHousing = partner("Woonbron", List.of("housing_provider"), List.of("PV30"));
    String care = partner("Zorggroep", List.of("care_provider"), List.of("PV30"));
    String reviewer = partner("Brabant Review", List.of("placement_review", "guest_support"), List.of("PV30"));
    String home = """
        {"address":{"street":"Stationsplein","houseNumber":"%d","postcode":"5611 AA","city":"Eindhoven","province":"%s"},
         "beds":3,"rooms":2,"separateRoom":true,"childrenWelcome":true,"petsWelcome":false,"stepFreeAccess":true,
         "smokingInHome":false,"languages":["nl","en"],"availableFrom":"%s","availableUntil":"%s"}""";
    String contact = "\"contact\":{\"name\":\"Verhuur\",\"email\":\"verhuur." + UUID.randomUUID() + "@example.org\"}";
    String two = "{" + contact + ",\"homes\":[" + home.formatted(1, "PV30", LocalDate.now(), LocalDate.now().plusYears(1))
        + "," + home.formatted(2, "PV30", LocalDate.now(), LocalDate.now().plusYears(1)) + "]}";
    String key = UUID.randomUUID().toString();
    assertEquals(403, call(reviewer, "POST /partner/homes", Map.of(), two, key, Map.of()).getStatusCode(),
        "not a housing provider");
    assertEquals(400, call(housing, "POST /partner/homes", Map.of(), two).getStatusCode(), "no Idempotency-Key");
    JsonNode outside = Json.parse(call(housing, "POST /partner/homes", Map.of(), "{" + contact + ",\"homes\":["
        + home.formatted(3, "PV26", LocalDate.now(), LocalDate.now().plusYears(1)) + "]}", UUID.randomUUID().toString(),
        Map.of()).getBody());
    assertEquals(List.of("homes[0].address.province"), outside.get("errors").findValuesAsText("field"));

    JsonNode offered = created(call(housing, "POST /partner/homes", Map.of(), two, key, Map.of()));
    assertEquals(2, offered.get("homes").size());
    assertEquals(offered, created(call(housing, "POST /partner/homes", Map.of(), two, key, Map.of())),
        "a retry with the same key offers nothing new");
    String other = "{" + contact + ",\"homes\":[" + home.formatted(9, "PV30", LocalDate.now(),
        LocalDate.now().plusYears(1)) + "]}";
    APIGatewayV2HTTPResponse reused = call(housing, "POST /partner/homes", Map.of(), other, key, Map.of());
    assertEquals(422, reused.getStatusCode(), "the same key for another offer: a clean refusal, not a 500");
    assertEquals("idempotency_key_reused", Json.parse(reused.getBody()).get("code").asText());
    String homeId = offered.get("homes").get(0).get("id").asText();
    assertEquals("approved", offered.get("homes").get(0).get("status").asText());
    JsonNode own = ok(call(housing, "GET /partner/cases/{id}", Map.of("id", homeId), null));
    assertEquals(housing, own.get("lead").get("partnerId").asText(), "the provider leads its own home");
    assertEquals(404, call(otherHousing, "GET /partner/cases/{id}", Map.of("id", homeId), null).getStatusCode());

    // The household's care provider: an optional role, given by a rule only (never to whoever holds it alone).
    String unattached = guest("PV30", "GM0797");
    assertEquals(404, call(care, "GET /partner/cases/{id}", Map.of("id", unattached), null).getStatusCode());
    route("GM0796", care, Role.CARE_PROVIDER);
    String guest = guest("PV30", "GM0796");
    PartnerCalls.Proposal p = propose(guest, homeId);
    assertEquals(200, call(housing, "GET /partner/matches/{id}", Map.of("id", p.matchId()), null).getStatusCode(),
        "a match into its own home");
    assertEquals(404, call(otherHousing, "GET /partner/matches/{id}", Map.of("id", p.matchId()), null).getStatusCode(),
        "not another provider's");
    assertEquals("proposed", ok(call(reviewer, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()),
        "{\"decision\":\"accept\"}")).get("status").asText(), "not final without the household's care provider");
    assertEquals(403, call(housing, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()),
        "{\"decision\":\"accept\"}").getStatusCode(), "the provider sees the match but does not review it");
    assertEquals("accepted", ok(call(care, "POST /partner/matches/{id}/review", Map.of("id", p.matchId()),
        "{\"decision\":\"accept\"}")).get("status").asText());
    assertEquals(GuestStatus.MATCHED, CASES.find(guest).orElseThrow().status());
  }

  @Test
  void theQueueShowsWhatWaitsAndAHouseholdOnHoldIsReleasedByItsSupport() {
    route("GM0310", utrecht, ALL);
    String email = "twice." + UUID.randomUUID() + "@example.org";
    ObjectNode body = SampleBodies.household("PV26", "GM0310");
    ((ObjectNode) body.get("contact")).put("email", email);
    PartnerCalls.REGISTRATIONS.register(CaseKind.GUEST, body.deepCopy(), null);
    String duplicate = PartnerCalls.REGISTRATIONS.register(CaseKind.GUEST, body.deepCopy(), null).id();
    assertEquals(GuestStatus.ON_HOLD, CASES.find(duplicate).orElseThrow().status());
    String host = host("PV26", "GM0310");
    JsonNode queue = ok(call(utrecht, "GET /partner/queue", Map.of(), null));
    assertTrue(queue.get("householdsOnHold").findValuesAsText("id").contains(duplicate));
    assertTrue(queue.get("hostsToScreen").findValuesAsText("id").contains(host));
    assertEquals(404, call(rival, "POST /partner/cases/{id}/hold", Map.of("id", duplicate),
        "{\"decision\":\"release\"}").getStatusCode());
    JsonNode released = ok(call(utrecht, "POST /partner/cases/{id}/hold", Map.of("id", duplicate),
        "{\"decision\":\"release\",\"reason\":\"not_a_duplicate\",\"text\":\"a sister, same phone\"}"));
    assertEquals("open", released.get("status").asText());
    assertEquals(GuestStatus.OPEN, CASES.find(duplicate).orElseThrow().status());
    assertEquals(409, call(utrecht, "POST /partner/cases/{id}/hold", Map.of("id", duplicate),
        "{\"decision\":\"close\",\"reason\":\"duplicate_registration\"}").getStatusCode(), "no longer on hold");
    assertFalse(ok(call(utrecht, "GET /partner/queue", Map.of(), null)).get("householdsOnHold")
        .findValuesAsText("id").contains(duplicate), "nothing waits on it any more");
  }

  @Test
  void everyReadOfPersonalDetailsIsOnRecordWithTheVersionAndTheRightItWasReadBy() {
    route("GM0313", utrecht, ALL);
    String host = host("PV26", "GM0313");
    JsonNode view = ok(call(utrecht, "GET /partner/cases/{id}", Map.of("id", host), null));
    assertEquals("Oudegracht", view.get("address").get("street").asText());
    assertEquals(List.of("placement_review", "screening"), sorted(view.get("yourRoles")));
    List<Map<String, AttributeValue>> reads = DYNAMO.queryPaginator(b -> b.tableName(TABLES.cases())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CASE#" + host), ":r", AttributeValue.fromS("READ#"))))
        .items().stream().filter(i -> utrecht.equals(Attr.str(i, "partnerId"))).toList();
    assertEquals(1, reads.size());
    assertEquals("holder", Attr.str(reads.get(0), "access"));
    assertEquals("details", Attr.str(reads.get(0), "what"));
    assertEquals(CASES.find(host).orElseThrow().version(), Attr.num(reads.get(0), "caseVersion"));
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> sorted(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    out.sort(null);
    return out;
  }

  /** Whether a match waits on this organisation, as its queue says. */
  static boolean queued(String partnerId, String matchId) {
    return ok(call(partnerId, "GET /partner/queue", Map.of(), null)).toString().contains(matchId);
  }

  /** Everything the cases table holds under a case: its item, events, rows and reads. */
  static String caseCollection(String caseId) {
    StringBuilder out = new StringBuilder();
    DYNAMO.queryPaginator(b -> b.tableName(TABLES.cases()).keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CASE#" + caseId)))).items()
        .forEach(i -> out.append(i));
    return out.toString();
  }
}
