package nl.onderdak.local;

import static nl.onderdak.infra.template.SamTemplate.list;
import static nl.onderdak.infra.template.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge (CloudFront with the WAF's per-client limits, docs/operations.md#edge): the two templates agree, and with
 * an edge secret set the public functions answer only what came through the edge, while the partner and operator
 * routes, which have their own keys, are untouched.
 */
class EdgeEndToEndTest {
  private static final String SECRET = "edge-secret-for-the-test-0123456789";
  private static final String ADMIN = "edge-admin";
  private static LocalRuntime runtime;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    runtime = LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null, ADMIN)
        .withParameter("EdgeOriginSecret", SECRET)));
    http = HttpClient.newHttpClient();
    base = "http://localhost:" + runtime.httpPort();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @Test
  void withAnEdgeThePublicRoutesAnswerOnlyWhatCameThroughIt() throws Exception {
    for (String[] route : List.of(new String[] {"GET", "/"}, new String[] {"POST", "/registrations/tickets"},
        new String[] {"POST", "/registrations/guests"}, new String[] {"POST", "/registrations/hosts"},
        new String[] {"GET", "/registrations/G-0000000000000000?token=x"})) {
      HttpResponse<String> direct = send(route[0], route[1], null, "{}");
      assertEquals(403, direct.statusCode(), route[1]);
      assertEquals("edge_required", Json.parse(direct.body()).get("code").asText());
      assertEquals(403, send(route[0], route[1], "not-the-secret", "{}").statusCode(), route[1] + ": a wrong secret");
    }
    assertEquals(200, send("GET", "/", SECRET, null).statusCode());
    HttpResponse<String> ticket = send("POST", "/registrations/tickets", SECRET, null);
    assertEquals(201, ticket.statusCode());
    HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/guests"))
        .header(HttpHandler.EDGE_HEADER, SECRET).header(FormTicket.HEADER, Json.parse(ticket.body()).get("ticket").asText())
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(LocalRuntimeEndToEndTest.guestBody("PV27"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, registered.statusCode(), registered.body());
    // Operators and partners authenticate on their own: no edge header needed.
    HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/regions"))
        .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, admin.statusCode(), admin.body());
  }

  @Test
  void theEdgeTemplateLimitsEachClientAndTheMainTemplatePutsItInFront() {
    SamTemplate edge = SamTemplate.load(Path.of(SamTemplate.locateFile().getParent().toString(),
        "infra", "edge", "template.yaml"));
    Map<String, Object> acl = edge.resource("EdgeWebAcl").properties();
    assertEquals("CLOUDFRONT", acl.get("Scope"), "CloudFront's web ACLs are global (us-east-1)");
    List<String> scopes = new ArrayList<>();
    for (Object r : list(acl.get("Rules"))) {
      Map<String, Object> rule = map(r);
      Map<String, Object> rate = map(map(rule.get("Statement")).get("RateBasedStatement"));
      String managed = String.valueOf(map(map(rule.get("Statement")).get("ManagedRuleGroupStatement")).get("Name"));
      assertFalse(managed.contains("AnonymousIp"), "people fleeing violence register through VPNs and Tor");
      if (rate.isEmpty()) {
        continue;
      }
      assertEquals("IP", rate.get("AggregateKeyType"), "per client");
      assertEquals(429, map(map(map(rule.get("Action")).get("Block")).get("CustomResponse")).get("ResponseCode"));
      scopes.add(String.valueOf(Json.mapper().valueToTree(rate.get("ScopeDownStatement"))));
    }
    assertEquals(2, scopes.size(), "one limit on registrations, one on everything");
    assertTrue(scopes.stream().anyMatch(s -> s.contains("/registrations/") && s.contains("POST")), scopes.toString());

    SamTemplate main = SamTemplate.locate();
    SamTemplate.Resource distribution = main.resource("EdgeDistribution");
    assertEquals("HasEdge", distribution.body().get("Condition"));
    Map<String, Object> config = map(distribution.properties().get("DistributionConfig"));
    assertEquals("EdgeWebAclArn", map(config.get("WebACLId")).get("Ref"));
    Map<String, Object> header = map(list(map(list(config.get("Origins")).get(0)).get("OriginCustomHeaders")).get(0));
    assertEquals(HttpHandler.EDGE_HEADER, header.get("HeaderName"));
    assertEquals("EdgeOriginSecret", map(header.get("HeaderValue")).get("Ref"));
    int publicFunctions = 0;
    for (SamTemplate.Function fn : main.functions()) {
      boolean isPublic = fn.events().values().stream().anyMatch(e -> e.type().equals("HttpApi")
          && map(e.properties().get("Auth")).get("Authorizer") == null);
      if (isPublic) {
        publicFunctions++;
        Object secret = fn.environment().get(HttpHandler.EDGE_SECRET_ENV);
        assertNotNull(secret, fn.logicalId() + " does not know the edge secret");
        assertEquals("EdgeOriginSecret", map(secret).get("Ref"));
      }
    }
    assertEquals(6, publicFunctions,
        "the form, its assets, the ticket, two registrations, the status page, the registrant's corrections");
  }

  private static HttpResponse<String> send(String method, String path, String edgeSecret, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (edgeSecret != null) {
      b.header(HttpHandler.EDGE_HEADER, edgeSecret);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
