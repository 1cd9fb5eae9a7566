package nl.onderdak.partners;

import static nl.onderdak.partners.ApiEvents.created;
import static nl.onderdak.partners.ApiEvents.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.EndpointPolicy;
import nl.onderdak.core.partners.InMemoryPartnerStore;
import nl.onderdak.core.partners.PartnerStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Onboarding organisations, their keys and endpoints, and the authorizer, as Lambda runs them, on the fast tier
 * (the partner store in memory, held to the DynamoDB store's behaviour by {@code PartnerStoreContract}; that only
 * a key's hash is stored, and that onboarding tells the routing, are {@code DynamoPartnerStoreTest}'s).
 */
@Tag("fast")
class PartnerOnboardingTest {
  private static final PartnerStore partners = new InMemoryPartnerStore();
  // As in AWS: https only, never an address inside.
  /** The organisations that still hold an open case, as the holder rows would say. */
  private static final java.util.Set<String> HOLDING = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final PartnerAdminHandler ADMIN = new PartnerAdminHandler(partners, new EndpointPolicy(false),
      HOLDING::contains, Clock.systemUTC());
  private static String utrecht;
  private static String utrechtKey;

  private static APIGatewayV2HTTPResponse adminCall(String routeKey, Map<String, String> path, String body) {
    return ADMIN.handleRequest(ApiEvents.asOperator(ApiEvents.event(routeKey, path, body)), null);
  }

  @BeforeAll
  static void onboard() {
    JsonNode u = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Utrecht Welcome\",\"roles\":[\"screening\",\"placement_review\"],\"regions\":[\"PV26\"]}"));
    utrecht = u.get("partnerId").asText();
    utrechtKey = u.get("apiKey").asText();
  }

  // ------------------------------------------------------------------ onboarding and keys

  @Test
  void onboardingShowsTheKeyOnceAndKeepsOnlyItsHash() {
    APIGatewayV2HTTPResponse list = adminCall("GET /admin/partners", Map.of(), null);
    assertEquals(200, list.getStatusCode());
    assertFalse(list.getBody().contains("odk_"), "a listing never shows a key");
    assertTrue(list.getBody().contains(utrecht));
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
        "fd00:ec2::254", "100.64.0.1", "0.0.0.0",
        // IPv6 that carries an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible), and special-purpose IPv4.
        "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "::169.254.169.254", "::ffff:10.0.0.1", "192.0.0.170", "198.18.0.1", "198.19.255.255", "240.0.0.1",
        "255.255.255.255", "192.0.2.1", "203.0.113.9", "fe80::1", "ff02::1")) {
      assertNotNull(aws.refuseAddress(java.net.InetAddress.getByName(inward)), inward);
    }
    for (String outward : List.of("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "198.20.0.1",
        "100.128.0.1", "2003::1")) {
      assertEquals(null, aws.refuseAddress(java.net.InetAddress.getByName(outward)), outward);
    }
    // Port 443 only in AWS; any port on this machine locally.
    assertEquals(null, aws.refuseUrl("https://partner.example.org:443/hooks"));
    assertNotNull(aws.refuseUrl("https://partner.example.org:8443/hooks"));
    assertNotNull(aws.refuseUrl("https://partner.example.org:22/"));
    // A name with one inward address among public ones is refused whole; the first allowed address is the one used.
    EndpointPolicy twoFaced = new EndpointPolicy(false, host -> new java.net.InetAddress[] {
        java.net.InetAddress.getByName("93.184.216.34"), java.net.InetAddress.getByName("10.0.0.5")});
    assertThrows(java.net.UnknownHostException.class, () -> twoFaced.resolve("hooks.example.org"));
    EndpointPolicy honest = new EndpointPolicy(false, host -> new java.net.InetAddress[] {
        java.net.InetAddress.getByName("93.184.216.34")});
    assertEquals("93.184.216.34", honest.resolve("hooks.example.org").getHostAddress());
    assertNotNull(local.refuseAddress(java.net.InetAddress.getByName("93.184.216.34")));
  }

  // ------------------------------------------------------------------ offboarding

  @Test
  void aDisabledOrganisationsKeysStopAtOnceItIsShownDisabledAndEnablingBringsItBack() {
    JsonNode p = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Leaving\",\"roles\":[\"guest_support\"],\"regions\":[\"PV21\"]}"));
    String id = p.get("partnerId").asText();
    String key = p.get("apiKey").asText();
    assertEquals(id, authorize("Bearer " + key, Instant.now()));
    JsonNode problem = Json.parse(adminCall("POST /admin/partners/{id}/disable", Map.of("id", id),
        "{\"reason\":\"because they asked\"}").getBody());
    assertEquals(List.of("reason"), problem.get("errors").findValuesAsText("field"), "a code, not free text");
    JsonNode disabled = ok(adminCall("POST /admin/partners/{id}/disable", Map.of("id", id),
        "{\"reason\":\"offboarded\"}"));
    assertTrue(disabled.get("disabled").asBoolean());
    assertEquals(null, authorize("Bearer " + key, Instant.now()), "its key stops at once");
    assertTrue(adminCall("GET /admin/partners", Map.of(), null).getBody().contains("\"disabled\":true"));
    ok(adminCall("POST /admin/partners/{id}/enable", Map.of("id", id), null));
    assertEquals(id, authorize("Bearer " + key, Instant.now()));
    assertEquals(404, adminCall("POST /admin/partners/{id}/disable", Map.of("id", "P-NOBODY"),
        "{\"reason\":\"offboarded\"}").getStatusCode());
  }

  @Test
  void rolesAndRegionsChangeWithEveryFieldCheckedAndEndpointsAreDisabledAndDeleted() {
    JsonNode p = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Growing\",\"roles\":[\"screening\"],\"regions\":[\"PV26\"]}"));
    String id = p.get("partnerId").asText();
    JsonNode bad = Json.parse(adminCall("PUT /admin/partners/{id}", Map.of("id", id),
        "{\"roles\":[\"cook\"],\"regions\":[]}").getBody());
    assertEquals(List.of("roles[0]", "regions"), bad.get("errors").findValuesAsText("field"));
    JsonNode changed = ok(adminCall("PUT /admin/partners/{id}", Map.of("id", id),
        "{\"roles\":[\"screening\",\"placement_review\"],\"regions\":[\"PV26\",\"PV27\"]}"));
    List<String> roles = new java.util.ArrayList<>();
    changed.get("roles").forEach(r -> roles.add(r.asText()));
    assertEquals(List.of("placement_review", "screening"), roles);
    assertEquals(2, changed.get("regions").size());
    String endpoint = created(adminCall("POST /admin/partners/{id}/endpoints", Map.of("id", id),
        "{\"url\":\"https://hooks.example.org/onderdak\",\"events\":[\"match.proposed\"]}"))
        .get("endpointId").asText();
    JsonNode off = ok(adminCall("POST /admin/partners/{id}/endpoints/{endpointId}/disable",
        Map.of("id", id, "endpointId", endpoint), null));
    assertTrue(off.get("endpoints").get(0).get("disabled").asBoolean());
    assertEquals(204, adminCall("DELETE /admin/partners/{id}/endpoints/{endpointId}",
        Map.of("id", id, "endpointId", endpoint), null).getStatusCode());
    assertEquals(0, partners.find(id).orElseThrow().endpoints().size());
    assertEquals(404, adminCall("DELETE /admin/partners/{id}/endpoints/{endpointId}",
        Map.of("id", id, "endpointId", endpoint), null).getStatusCode());
  }

  @Test
  void onlyADisabledOrganisationHoldingNoOpenCaseIsDeleted() {
    JsonNode p = created(adminCall("POST /admin/partners", Map.of(),
        "{\"name\":\"Closing down\",\"roles\":[\"guest_support\"],\"regions\":[\"PV22\"]}"));
    String id = p.get("partnerId").asText();
    assertEquals("not_disabled", Json.parse(adminCall("DELETE /admin/partners/{id}", Map.of("id", id), null)
        .getBody()).get("code").asText());
    ok(adminCall("POST /admin/partners/{id}/disable", Map.of("id", id), "{\"reason\":\"offboarded\"}"));
    HOLDING.add(id);
    APIGatewayV2HTTPResponse holding = adminCall("DELETE /admin/partners/{id}", Map.of("id", id), null);
    assertEquals(409, holding.getStatusCode());
    assertEquals("holds_cases", Json.parse(holding.getBody()).get("code").asText());
    HOLDING.remove(id);
    assertEquals(204, adminCall("DELETE /admin/partners/{id}", Map.of("id", id), null).getStatusCode());
    assertFalse(adminCall("GET /admin/partners", Map.of(), null).getBody().contains(id));
    assertEquals(null, authorize("Bearer " + p.get("apiKey").asText(), Instant.now()));
    assertEquals(404, adminCall("DELETE /admin/partners/{id}", Map.of("id", id), null).getStatusCode());
  }

  private static String authorize(String header, Instant at) {
    APIGatewayV2CustomAuthorizerEvent event = APIGatewayV2CustomAuthorizerEvent.builder()
        .withVersion("2.0").withType("REQUEST").withRouteKey("GET /partner/me")
        .withHeaders(header == null ? Map.of() : Map.of("authorization", header)).build();
    PartnerAuthorizerHandler at0 = new PartnerAuthorizerHandler(partners, Clock.fixed(at, ZoneOffset.UTC));
    var response = at0.handleRequest(event, null);
    return response.getIsAuthorized() ? response.getContext().get("partnerId") : null;
  }
}
