package nl.onderdak.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.EndpointPolicy;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The partner routes as Lambda runs them, against DynamoDB Local: onboarding, the authorizer, and
 * the screening → review → placement → end chain, with every route checked for isolation.
 */
class PartnerRoutesTest {
  private static PartnerAdminHandler admin;
  private static PartnerApiHandler api;
  private static PartnerAuthorizerHandler authorizer;
  private static PartnerStore partners;
  private static CaseStore cases;
  private static MatchStore matches;
  private static RegistrationService registrations;
  private static DynamoDbClient dynamo;
  private static Tables tables;
  private static String utrecht;
  private static String utrechtKey;
  private static String groningen;
  private static String support;

  @BeforeAll
  static void initLikeLambda() throws Exception {
    Map<String, String> env = DynamoDbFixture.shared().functionEnvironment();
    admin = Env.with(env, PartnerAdminHandler::new);
    api = Env.with(env, PartnerApiHandler::new);
    authorizer = Env.with(env, PartnerAuthorizerHandler::new);
    dynamo = DynamoDbFixture.shared().client();
    tables = Env.with(env, Tables::fromEnv);
    partners = new PartnerStore(dynamo, tables.partners());
    cases = new CaseStore(dynamo, tables);
    matches = new MatchStore(dynamo, tables);
    registrations = new RegistrationService(cases, Clock.systemUTC(), Duration.ofDays(30));
    JsonNode u = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Utrecht Welcome\",\"roles\":[\"screening\",\"placement_review\"],\"regions\":[\"PV26\"]}"));
    utrecht = u.get("partnerId").asText();
    utrechtKey = u.get("apiKey").asText();
    groningen = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Groningen Helpt\",\"roles\":[\"screening\",\"placement_review\",\"guest_support\"],\"regions\":[\"PV20\"]}"))
        .get("partnerId").asText();
    support = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Guest Support Utrecht\",\"roles\":[\"guest_support\"],\"regions\":[\"PV26\"]}"))
        .get("partnerId").asText();
  }

  // ------------------------------------------------------------------ onboarding and keys

  @Test
  void onboardingShowsTheKeyOnceAndKeepsOnlyItsHash() {
    APIGatewayV2HTTPResponse list = adminCall("GET /admin/partners", Map.of(), null);
    assertEquals(200, list.getStatusCode());
    assertFalse(list.getBody().contains("odk_"), "a listing never shows a key");
    assertTrue(list.getBody().contains(utrecht));
    dynamo.scanPaginator(b -> b.tableName(tables.partners())).items().forEach(item ->
        item.values().forEach(v -> assertFalse(utrechtKey.equals(v.s()), "the key itself is stored nowhere")));
    assertEquals(utrecht, authorize("Bearer " + utrechtKey, Instant.now()));
    assertEquals(null, authorize("Bearer " + utrechtKey + "x", Instant.now()));
    assertEquals(null, authorize(utrechtKey, Instant.now()), "without the Bearer scheme");
    assertEquals(null, authorize(null, Instant.now()));
  }

  @Test
  void aRotatedKeyWorksUntilTheOverlapEndsAndARevokedKeyStopsAtOnce() {
    JsonNode p = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Rotating\",\"roles\":[\"screening\"],\"regions\":[\"PV31\"]}"));
    String id = p.get("partnerId").asText();
    String first = p.get("apiKey").asText();
    JsonNode rotated = created(adminCall("POST /admin/partners/{id}/keys", Map.of("id", id), "{\"overlapHours\":2}"));
    String second = rotated.get("apiKey").asText();
    Instant now = Instant.now();
    assertEquals(id, authorize("Bearer " + first, now), "the old key works during the overlap");
    assertEquals(id, authorize("Bearer " + second, now));
    assertEquals(null, authorize("Bearer " + first, now.plus(Duration.ofHours(3))), "and stops after it");
    assertEquals(id, authorize("Bearer " + second, now.plus(Duration.ofHours(3))));
    APIGatewayV2HTTPResponse revoked = adminCall("DELETE /admin/partners/{id}/keys/{keyId}",
        Map.of("id", id, "keyId", rotated.get("keyId").asText()), null);
    assertEquals(200, revoked.getStatusCode());
    assertEquals(null, authorize("Bearer " + second, now), "a revoked key stops at once");
    assertEquals(404, adminCall("DELETE /admin/partners/{id}/keys/{keyId}", Map.of("id", id, "keyId", "NOPE"), null)
        .getStatusCode());
  }

  @Test
  void onboardingRefusesWhatItCannotUseNamingEachField() {
    JsonNode problem = Json.parse(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"\",\"roles\":[\"cook\"],\"regions\":[\"GM0344\"]}").getBody());
    assertEquals("validation_failed", problem.get("code").asText());
    List<String> fields = problem.get("errors").findValuesAsText("field");
    assertEquals(List.of("name", "roles[0]", "regions[0]"), fields);
    JsonNode endpoint = Json.parse(adminCall("POST /admin/partners/{id}/endpoints", Map.of("id", utrecht),
        "{\"url\":\"http://example.org/hook\",\"events\":[\"match.proposed\",\"party.started\"]}").getBody());
    List<String> endpointFields = endpoint.get("errors").findValuesAsText("field");
    assertTrue(endpointFields.contains("url"), "outside the local runtime only https is allowed: " + endpointFields);
    assertTrue(endpointFields.stream().anyMatch(f -> f.startsWith("events")), endpointFields.toString());
  }

  @Test
  void endpointsAreHttpsOnlyInAwsAndNeverPointInward() throws Exception {
    EndpointPolicy aws = new EndpointPolicy(false);
    EndpointPolicy local = new EndpointPolicy(true);
    assertEquals(null, aws.refuseUrl("https://partner.example.org/hooks/onderdak"));
    assertNotNull(aws.refuseUrl("http://partner.example.org/hooks"));
    assertNotNull(aws.refuseUrl("https://user:pw@partner.example.org/"));
    assertEquals(null, local.refuseUrl("http://localhost:9000/hook"));
    assertNotNull(local.refuseUrl("http://partner.example.org/hook"), "locally only this machine");
    for (String inward : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1",
        "fd00:ec2::254", "100.64.0.1", "0.0.0.0")) {
      assertNotNull(aws.refuseAddress(java.net.InetAddress.getByName(inward)), inward);
    }
    assertEquals(null, aws.refuseAddress(java.net.InetAddress.getByName("93.184.216.34")));
    assertNotNull(local.refuseAddress(java.net.InetAddress.getByName("93.184.216.34")));
  }

  // ------------------------------------------------------------------ isolation

  @Test
  void aPartnerSeesAndActsOnlyOnWhatIsRoutedToItEverythingElseIsNotFound() {
    Proposal p = proposal("PV26");
    Map<String, String> onHost = Map.of("id", p.hostId);
    Map<String, String> onGuest = Map.of("id", p.guestId);
    Map<String, String> onMatch = Map.of("id", p.matchId);
    // Groningen serves another province: every route answers as if nothing existed.
    for (APIGatewayV2HTTPResponse r : List.of(
        apiCall(groningen, "GET /partner/cases/{id}", onHost, null),
        apiCall(groningen, "GET /partner/cases/{id}", onGuest, null),
        apiCall(groningen, "GET /partner/cases/{id}/history", onHost, null),
        apiCall(groningen, "GET /partner/cases/{id}/history", onGuest, null),
        apiCall(groningen, "POST /partner/hosts/{id}/screening", onHost, "{\"decision\":\"rejected\",\"reason\":\"x\"}"),
        apiCall(groningen, "GET /partner/matches/{id}", onMatch, null),
        apiCall(groningen, "POST /partner/matches/{id}/review", onMatch, "{\"decision\":\"decline\",\"reason\":\"other\",\"text\":\"x\"}"),
        apiCall(groningen, "POST /partner/matches/{id}/placement", onMatch, "{\"moveInDate\":\"" + LocalDate.now() + "\"}"),
        apiCall(groningen, "POST /partner/matches/{id}/end", onMatch, "{\"reason\":\"returned\"}"))) {
      assertEquals(404, r.getStatusCode(), r.getBody());
      assertEquals("not_found", Json.parse(r.getBody()).get("code").asText());
    }
    // Guest support in the household's province: sees the household and the match, not the host; cannot decide.
    assertEquals(200, apiCall(support, "GET /partner/cases/{id}", onGuest, null).getStatusCode());
    assertEquals(404, apiCall(support, "GET /partner/cases/{id}", onHost, null).getStatusCode());
    assertEquals(200, apiCall(support, "GET /partner/matches/{id}", onMatch, null).getStatusCode());
    assertEquals(403, apiCall(support, "POST /partner/matches/{id}/review", onMatch, "{\"decision\":\"accept\"}")
        .getStatusCode());
    // Nothing moved.
    assertEquals(GuestStatus.PROPOSED, cases.find(p.guestId).orElseThrow().status());
    assertEquals(HostStatus.PROPOSED, cases.find(p.hostId).orElseThrow().status());
    // Unknown and malformed ids look the same as others' ids.
    assertEquals(404, apiCall(utrecht, "GET /partner/cases/{id}", Map.of("id", "H-0000000000000000"), null).getStatusCode());
    assertEquals(404, apiCall(utrecht, "GET /partner/matches/{id}", Map.of("id", "../etc"), null).getStatusCode());
    // Without a partner in the context (the authorizer was bypassed): refused.
    assertEquals(403, apiCall(null, "GET /partner/me", Map.of(), null).getStatusCode());
  }

  // ------------------------------------------------------------------ the chain

  @Test
  void screeningReviewPlacementAndEndMoveBothCasesAndWriteTheirHistory() {
    String host = host("PV26");
    assertEquals(200, apiCall(utrecht, "GET /partner/cases/{id}", Map.of("id", host), null).getStatusCode());
    APIGatewayV2HTTPResponse screened = apiCall(utrecht, "POST /partner/hosts/{id}/screening", Map.of("id", host),
        "{\"decision\":\"approved\",\"reason\":\"home visit done\"}");
    assertEquals(200, screened.getStatusCode(), screened.getBody());
    assertEquals(HostStatus.APPROVED, cases.find(host).orElseThrow().status());

    Proposal p = proposal("PV26");
    Map<String, String> onMatch = Map.of("id", p.matchId);
    JsonNode accepted = Json.parse(apiCall(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"accept\"}").getBody());
    assertEquals("accepted", accepted.get("status").asText());
    assertEquals(GuestStatus.MATCHED, cases.find(p.guestId).orElseThrow().status());
    assertEquals(HostStatus.MATCHED, cases.find(p.hostId).orElseThrow().status());
    // Said twice: the same answer, nothing new.
    assertEquals("accepted", Json.parse(apiCall(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"accept\"}").getBody()).get("status").asText());
    assertEquals(409, apiCall(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"decline\",\"reason\":\"host_withdrew\"}").getStatusCode());

    JsonNode placed = Json.parse(apiCall(utrecht, "POST /partner/matches/{id}/placement", onMatch,
        "{\"moveInDate\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}").getBody());
    assertEquals("placed", placed.get("status").asText());
    assertEquals(GuestStatus.PLACED, cases.find(p.guestId).orElseThrow().status());
    assertEquals(HostStatus.HOSTING, cases.find(p.hostId).orElseThrow().status());

    JsonNode ended = Json.parse(apiCall(utrecht, "POST /partner/matches/{id}/end", onMatch,
        "{\"reason\":\"needs_new_place\",\"text\":\"host moves abroad\"}").getBody());
    assertEquals("ended", ended.get("status").asText());
    Map<String, AttributeValue> guest = matches.caseItem(p.guestId);
    assertEquals("open", Attr.str(guest, "status"), "needs a new place: back in the pool");
    assertTrue(Attr.str(guest, "poolOrder").startsWith("0000"), "at the front of the queue");
    assertEquals(HostStatus.APPROVED, cases.find(p.hostId).orElseThrow().status());

    JsonNode history = Json.parse(apiCall(utrecht, "GET /partner/cases/{id}/history", Map.of("id", p.hostId), null)
        .getBody()).get("events");
    List<String> reasons = history.findValuesAsText("reason");
    assertTrue(reasons.containsAll(List.of("match_proposed", "match_accepted", "placement_confirmed",
        "placement_ended:needs_new_place")), reasons.toString());
    assertTrue(history.findValuesAsText("actor").contains("partner:" + utrecht));
  }

  @Test
  void aDeclineSendsBothBackToThePoolAndBarsThePair() {
    Proposal p = proposal("PV26");
    Map<String, String> onMatch = Map.of("id", p.matchId);
    JsonNode noReason = Json.parse(apiCall(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"decline\"}").getBody());
    assertEquals(List.of("reason"), noReason.get("errors").findValuesAsText("field"));
    JsonNode otherWithoutText = Json.parse(apiCall(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"decline\",\"reason\":\"other\"}").getBody());
    assertEquals(List.of("text"), otherWithoutText.get("errors").findValuesAsText("field"));
    JsonNode declined = Json.parse(apiCall(utrecht, "POST /partner/matches/{id}/review", onMatch,
        "{\"decision\":\"decline\",\"reason\":\"could_not_reach_household\"}").getBody());
    assertEquals("declined", declined.get("status").asText());
    Map<String, AttributeValue> guest = matches.caseItem(p.guestId);
    assertEquals("open", Attr.str(guest, "status"));
    assertEquals(List.of(p.hostId), guest.get("declinedHosts").ss(), "the pair is never proposed again");
    assertEquals(HostStatus.APPROVED, cases.find(p.hostId).orElseThrow().status());
  }

  @Test
  void everyResponsibleReviewerMustAccept() {
    String first = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Reviewer A\",\"roles\":[\"placement_review\"],\"regions\":[\"PV27\"]}")).get("partnerId").asText();
    String second = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Reviewer B\",\"roles\":[\"placement_review\"],\"regions\":[\"PV27\"]}")).get("partnerId").asText();
    Proposal p = proposal("PV27");
    JsonNode one = Json.parse(apiCall(first, "POST /partner/matches/{id}/review", Map.of("id", p.matchId),
        "{\"decision\":\"accept\"}").getBody());
    assertEquals("proposed", one.get("status").asText(), "one of two reviewers is not enough");
    assertEquals(GuestStatus.PROPOSED, cases.find(p.guestId).orElseThrow().status());
    JsonNode both = Json.parse(apiCall(second, "POST /partner/matches/{id}/review", Map.of("id", p.matchId),
        "{\"decision\":\"accept\"}").getBody());
    assertEquals("accepted", both.get("status").asText());
    assertEquals(GuestStatus.MATCHED, cases.find(p.guestId).orElseThrow().status());
  }

  @Test
  void aProposalNotReviewedInTimeExpiresLikeADecline() {
    Proposal p = proposal("PV29");
    Instant now = Instant.now();
    ProposalExpiryHandler early = new ProposalExpiryHandler(dynamo, tables, Duration.ofHours(72),
        Clock.fixed(now.plus(Duration.ofHours(71)), ZoneOffset.UTC));
    early.handleRequest(Map.of(), null);
    assertEquals("proposed", Attr.str(matches.match(p.matchId), "status"), "not yet");
    ProposalExpiryHandler late = new ProposalExpiryHandler(dynamo, tables, Duration.ofHours(72),
        Clock.fixed(now.plus(Duration.ofHours(73)), ZoneOffset.UTC));
    Map<String, Object> result = late.handleRequest(Map.of(), null);
    assertTrue(((Integer) result.get("expired")) >= 1, result.toString());
    Map<String, AttributeValue> match = matches.match(p.matchId);
    assertEquals("expired", Attr.str(match, "status"));
    assertEquals("review_time_ran_out", Attr.str(match, "declineReason"));
    Map<String, AttributeValue> guest = matches.caseItem(p.guestId);
    assertEquals("open", Attr.str(guest, "status"));
    assertEquals(List.of(p.hostId), guest.get("declinedHosts").ss());
    assertEquals(HostStatus.APPROVED, cases.find(p.hostId).orElseThrow().status());
    // Run again: nothing left to expire for this match, nothing changes.
    late.handleRequest(Map.of(), null);
    assertEquals("expired", Attr.str(matches.match(p.matchId), "status"));
  }

  @Test
  void aWithdrawalAfterAcceptanceCancelsTheMatchAndSendsTheOtherSideBack() {
    Proposal p = proposal("PV26");
    assertEquals(200, apiCall(utrecht, "POST /partner/matches/{id}/review", Map.of("id", p.matchId),
        "{\"decision\":\"accept\"}").getStatusCode());
    APIGatewayV2HTTPResponse noReason = apiCall(support, "POST /partner/cases/{id}/withdraw", Map.of("id", p.guestId), "{}");
    assertEquals(List.of("reason"), Json.parse(noReason.getBody()).get("errors").findValuesAsText("field"));
    assertEquals(404, apiCall(groningen, "POST /partner/cases/{id}/withdraw", Map.of("id", p.guestId),
        "{\"reason\":\"x\"}").getStatusCode());
    JsonNode out = Json.parse(apiCall(support, "POST /partner/cases/{id}/withdraw", Map.of("id", p.guestId),
        "{\"reason\":\"found a place with family\"}").getBody());
    assertEquals("withdrawn", out.get("status").asText());
    assertEquals("cancelled", out.get("match").get("status").asText());
    assertEquals(GuestStatus.WITHDRAWN, cases.find(p.guestId).orElseThrow().status());
    assertEquals(HostStatus.APPROVED, cases.find(p.hostId).orElseThrow().status(), "the host is matchable again");
    JsonNode history = Json.parse(apiCall(utrecht, "GET /partner/cases/{id}/history", Map.of("id", p.hostId), null)
        .getBody()).get("events");
    assertTrue(history.findValuesAsText("reason").contains("match_cancelled:guest_withdrew"));
  }

  @Test
  void aPlacementIsEndedNotWithdrawnFrom() {
    Proposal p = proposal("PV26");
    Map<String, String> onMatch = Map.of("id", p.matchId);
    apiCall(utrecht, "POST /partner/matches/{id}/review", onMatch, "{\"decision\":\"accept\"}");
    apiCall(utrecht, "POST /partner/matches/{id}/placement", onMatch, "{\"moveInDate\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}");
    APIGatewayV2HTTPResponse refused = apiCall(utrecht, "POST /partner/cases/{id}/withdraw", Map.of("id", p.hostId),
        "{\"reason\":\"moving\"}");
    assertEquals(409, refused.getStatusCode());
    assertEquals("placed", Json.parse(refused.getBody()).get("code").asText());
    assertEquals(HostStatus.HOSTING, cases.find(p.hostId).orElseThrow().status());
  }

  @Test
  void aHousingProvidersHomesAreFinalOnlyWithACareProvidersAcceptance() {
    String housing = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Woonstichting\",\"roles\":[\"housing_provider\"],\"regions\":[\"PV30\"]}")).get("partnerId").asText();
    String care = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Zorggroep\",\"roles\":[\"care_provider\"],\"regions\":[\"PV30\"]}")).get("partnerId").asText();
    String reviewer = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Brabant Review\",\"roles\":[\"placement_review\"],\"regions\":[\"PV30\"]}")).get("partnerId").asText();
    String home = """
        {"address":{"street":"Stationsplein","houseNumber":"%d","postcode":"5611 AA","city":"Eindhoven","province":"%s"},
         "beds":3,"rooms":2,"separateRoom":true,"childrenWelcome":true,"petsWelcome":false,"stepFreeAccess":true,
         "smokingInHome":false,"languages":["nl","en"],"availableFrom":"%s","availableUntil":"%s"}""";
    String contact = "\"contact\":{\"name\":\"Verhuur\",\"email\":\"verhuur." + UUID.randomUUID() + "@example.org\"}";
    String two = "{" + contact + ",\"homes\":[" + home.formatted(1, "PV30", LocalDate.now(), LocalDate.now().plusYears(1))
        + "," + home.formatted(2, "PV30", LocalDate.now(), LocalDate.now().plusYears(1)) + "]}";
    String key = UUID.randomUUID().toString();
    assertEquals(403, apiCall(utrecht, "POST /partner/homes", Map.of(), two, key).getStatusCode(), "not a housing provider");
    assertEquals(400, apiCall(housing, "POST /partner/homes", Map.of(), two, null).getStatusCode(), "no Idempotency-Key");
    JsonNode outside = Json.parse(apiCall(housing, "POST /partner/homes", Map.of(), "{" + contact + ",\"homes\":["
        + home.formatted(3, "PV26", LocalDate.now(), LocalDate.now().plusYears(1)) + "]}", UUID.randomUUID().toString()).getBody());
    assertEquals(List.of("homes[0].address.province"), outside.get("errors").findValuesAsText("field"));

    JsonNode offered = created(apiCall(housing, "POST /partner/homes", Map.of(), two, key));
    assertEquals(2, offered.get("homes").size());
    JsonNode again = created(apiCall(housing, "POST /partner/homes", Map.of(), two, key));
    assertEquals(offered, again, "a retry with the same key offers nothing new");
    String homeId = offered.get("homes").get(0).get("id").asText();
    assertEquals("approved", offered.get("homes").get(0).get("status").asText());
    assertEquals(housing, Attr.str(matches.caseItem(homeId), "providerHome"));

    String guest = guest("PV30");
    Map<String, AttributeValue> g = matches.caseItem(guest);
    Map<String, AttributeValue> h = matches.caseItem(homeId);
    String matchId = "M-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    assertTrue(matches.propose(new MatchStore.Proposal(matchId, guest, Attr.num(g, "version"), "PV30", homeId,
        Attr.num(h, "version"), "PV30", 80, Map.of("language", 0, "region", 40, "size", 20, "waiting", 20), "run-test"),
        Instant.now()));
    JsonNode reviewed = Json.parse(apiCall(reviewer, "POST /partner/matches/{id}/review", Map.of("id", matchId),
        "{\"decision\":\"accept\"}").getBody());
    assertEquals("proposed", reviewed.get("status").asText(), "not final without a care provider");
    JsonNode cared = Json.parse(apiCall(care, "POST /partner/matches/{id}/review", Map.of("id", matchId),
        "{\"decision\":\"accept\"}").getBody());
    assertEquals("accepted", cared.get("status").asText());
    assertEquals(GuestStatus.MATCHED, cases.find(guest).orElseThrow().status());
  }

  @Test
  void theQueueShowsEachPartnerItsWorkAndAHouseholdOnHoldIsReleasedByItsSupport() {
    String email = "twice." + UUID.randomUUID() + "@example.org";
    String body = """
        {"contact":{"name":"G","email":"%s"},"preferredLanguage":"uk","adults":1,"children":[],
         "stepFreeAccessNeeded":false,"languages":["uk"],"smoker":false,"preferredRegions":["PV26"],
         "acceptsOtherRegions":false,"neededFrom":"%s","consentToShare":true}""".formatted(email, LocalDate.now());
    registrations.register(CaseKind.GUEST, (ObjectNode) Json.parse(body), null);
    String duplicate = registrations.register(CaseKind.GUEST, (ObjectNode) Json.parse(body), null).id();
    assertEquals(GuestStatus.ON_HOLD, cases.find(duplicate).orElseThrow().status());
    String host = host("PV26");
    Proposal p = proposal("PV26");

    JsonNode supportQueue = Json.parse(apiCall(support, "GET /partner/queue", Map.of(), null).getBody());
    assertTrue(supportQueue.get("householdsOnHold").findValuesAsText("id").contains(duplicate));
    assertEquals(0, supportQueue.get("hostsToScreen").size(), "guest support screens no hosts");
    JsonNode utrechtQueue = Json.parse(apiCall(utrecht, "GET /partner/queue", Map.of(), null).getBody());
    assertTrue(utrechtQueue.get("hostsToScreen").findValuesAsText("id").contains(host));
    assertTrue(utrechtQueue.get("proposalsToReview").findValuesAsText("matchId").contains(p.matchId));
    JsonNode groningenQueue = Json.parse(apiCall(groningen, "GET /partner/queue", Map.of(), null).getBody());
    assertFalse(groningenQueue.toString().contains(host) || groningenQueue.toString().contains(p.matchId),
        "another province's work is not shown");

    assertEquals(404, apiCall(groningen, "POST /partner/cases/{id}/hold", Map.of("id", duplicate),
        "{\"decision\":\"release\",\"reason\":\"x\"}").getStatusCode());
    JsonNode released = Json.parse(apiCall(support, "POST /partner/cases/{id}/hold", Map.of("id", duplicate),
        "{\"decision\":\"release\",\"reason\":\"a second household with the same phone\"}").getBody());
    assertEquals("open", released.get("status").asText());
    assertEquals(GuestStatus.OPEN, cases.find(duplicate).orElseThrow().status());
    assertEquals(409, apiCall(support, "POST /partner/cases/{id}/hold", Map.of("id", duplicate),
        "{\"decision\":\"close\",\"reason\":\"x\"}").getStatusCode(), "no longer on hold");
  }

  @Test
  void everyReadOfPersonalDetailsIsOnRecord() {
    String host = host("PV26");
    JsonNode view = Json.parse(apiCall(utrecht, "GET /partner/cases/{id}", Map.of("id", host), null).getBody());
    assertEquals("Oudegracht", view.get("address").get("street").asText());
    long reads = dynamo.queryPaginator(b -> b.tableName(tables.cases())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CASE#" + host), ":r", AttributeValue.fromS("READ#"))))
        .items().stream().filter(i -> utrecht.equals(Attr.str(i, "partnerId"))).count();
    assertEquals(1, reads);
  }

  // ------------------------------------------------------------------ helpers

  private record Proposal(String guestId, String hostId, String matchId) {}

  /** An approved host and an open household in the province, proposed to each other. */
  private static Proposal proposal(String province) {
    String host = host(province);
    cases.transition(host, HostStatus.SCREENING, HostStatus.APPROVED, Instant.now(), "test", "approved for the test");
    String guest = guest(province);
    Map<String, AttributeValue> g = matches.caseItem(guest);
    Map<String, AttributeValue> h = matches.caseItem(host);
    String matchId = "M-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    assertTrue(matches.propose(new MatchStore.Proposal(matchId, guest, Attr.num(g, "version"), province, host,
        Attr.num(h, "version"), province, 90, Map.of("language", 30, "region", 40, "size", 20, "waiting", 0), "run-test"),
        Instant.now()));
    return new Proposal(guest, host, matchId);
  }

  private static String host(String province) {
    ObjectNode body = (ObjectNode) Json.parse("""
        {"contact":{"name":"H","email":"h.%s@example.org"},"preferredLanguage":"nl",
         "address":{"street":"Oudegracht","houseNumber":"1","postcode":"3511 AB","city":"X","province":"%s"},
         "beds":2,"rooms":1,"separateRoom":true,"childrenWelcome":true,"petsWelcome":true,"stepFreeAccess":true,
         "smokingInHome":false,"languages":["nl"],"availableFrom":"%s","availableUntil":"%s","consentToShare":true}
        """.formatted(UUID.randomUUID(), province, LocalDate.now(), LocalDate.now().plusMonths(3)));
    return registrations.register(CaseKind.HOST, body, null).id();
  }

  private static String guest(String province) {
    ObjectNode body = (ObjectNode) Json.parse("""
        {"contact":{"name":"G","email":"g.%s@example.org"},"preferredLanguage":"uk","adults":1,"children":[],
         "stepFreeAccessNeeded":false,"languages":["uk"],"smoker":false,"preferredRegions":["%s"],
         "acceptsOtherRegions":false,"neededFrom":"%s","consentToShare":true}
        """.formatted(UUID.randomUUID(), province, LocalDate.now()));
    return registrations.register(CaseKind.GUEST, body, null).id();
  }

  private static JsonNode created(APIGatewayV2HTTPResponse r) {
    assertEquals(201, r.getStatusCode(), r.getBody());
    return Json.parse(r.getBody());
  }

  private static String authorize(String header, Instant at) {
    APIGatewayV2CustomAuthorizerEvent event = APIGatewayV2CustomAuthorizerEvent.builder()
        .withVersion("2.0").withType("REQUEST").withRouteKey("GET /partner/me")
        .withHeaders(header == null ? Map.of() : Map.of("authorization", header)).build();
    PartnerAuthorizerHandler at0 = new PartnerAuthorizerHandler(partners, Clock.fixed(at, ZoneOffset.UTC));
    var response = at0.handleRequest(event, null);
    return response.getIsAuthorized() ? response.getContext().get("partnerId") : null;
  }

  private static APIGatewayV2HTTPResponse adminCall(String routeKey, Map<String, String> path, String body) {
    APIGatewayV2HTTPEvent event = event(routeKey, path, body);
    event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
        .withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
            .withUserArn("arn:aws:iam::123456789012:user/operator").build()).build());
    return admin.handleRequest(event, null);
  }

  private static APIGatewayV2HTTPResponse apiCall(String partnerId, String routeKey, Map<String, String> path,
      String body) {
    return apiCall(partnerId, routeKey, path, body, null);
  }

  private static APIGatewayV2HTTPResponse apiCall(String partnerId, String routeKey, Map<String, String> path,
      String body, String idempotencyKey) {
    APIGatewayV2HTTPEvent event = event(routeKey, path, body);
    if (idempotencyKey != null) {
      Map<String, String> headers = new HashMap<>(event.getHeaders());
      headers.put("idempotency-key", idempotencyKey);
      event.setHeaders(headers);
    }
    if (partnerId != null) {
      event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
          .withLambda(new HashMap<>(Map.of("partnerId", partnerId))).build());
    }
    return api.handleRequest(event, null);
  }

  private static APIGatewayV2HTTPEvent event(String routeKey, Map<String, String> path, String body) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRouteKey(routeKey);
    event.setPathParameters(path.isEmpty() ? null : path);
    event.setHeaders(body == null ? Map.of() : Map.of("content-type", "application/json"));
    event.setBody(body);
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
        .withRequestId("req-" + UUID.randomUUID()).build());
    return event;
  }
}
