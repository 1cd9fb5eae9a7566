package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The main job as a user runs it: the local runtime started from the project's template, spoken to
 * over HTTP only, with the stream consumer's effect seen through the admin route.
 */
class LocalRuntimeEndToEndTest {
  private static final String ADMIN = "e2e-admin-token";
  private static LocalRuntime runtime;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    runtime = LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null, ADMIN)));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    base = "http://localhost:" + runtime.httpPort();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  /** A household wanting a place in this region only, step-free (the shared sample body). */
  static String guestBody(String region) {
    return Json.write(SampleBodies.household(region).put("stepFreeAccessNeeded", true));
  }

  /** A home in this province (the shared sample body). */
  static String hostBody(String province) {
    return Json.write(SampleBodies.home(province, null));
  }

  private static HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    if (path.startsWith("/registrations/")) {
      request.header(FormTicket.HEADER, FormTicket.fetch(http, base));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long count(String region, String counter) throws Exception {
    HttpResponse<String> response = get("/admin/regions", ADMIN);
    assertEquals(200, response.statusCode(), response.body());
    for (JsonNode r : Json.parse(response.body()).get("regions")) {
      if (r.get("region").asText().equals(region)) {
        return r.get("counts").path(counter).asLong(0);
      }
    }
    throw new AssertionError("no region " + region);
  }

  private static void awaitCount(String region, String counter, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long seen;
    while ((seen = count(region, counter)) != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(region + " " + counter + ": expected " + expected + ", saw " + seen);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void registrationsReachTheRegionTallyThroughTheStream() throws Exception {
    long guests = count("PV31", "guest_open");
    long hosts = count("PV31", "host_screening");

    HttpResponse<String> guest = post("/registrations/guests", guestBody("PV31"), null);
    assertEquals(201, guest.statusCode(), guest.body());
    HttpResponse<String> host = post("/registrations/hosts", hostBody("PV31"), null);
    assertEquals(201, host.statusCode(), host.body());

    awaitCount("PV31", "guest_open", guests + 1);
    awaitCount("PV31", "host_screening", hosts + 1);

    JsonNode created = Json.parse(host.body());
    HttpResponse<String> status = get(created.get("statusUrl").asText(), null);
    assertEquals(200, status.statusCode(), status.body());
    assertEquals("screening", Json.parse(status.body()).get("status").asText());
    assertEquals(created.get("id").asText(), Json.parse(status.body()).get("id").asText());
  }

  @Test
  void anApprovedCompatibleHostGetsAProposalThroughTheStream() throws Exception {
    JsonNode guest = Json.parse(post("/registrations/guests", guestBody("PV22"), null).body());
    JsonNode host = Json.parse(post("/registrations/hosts", hostBody("PV22"), null).body());
    String hostId = host.get("id").asText();

    HttpResponse<String> decided = http.send(HttpRequest.newBuilder(
            URI.create(base + "/admin/hosts/" + hostId + "/screening"))
        .header("content-type", "application/json").header("Authorization", "Bearer " + ADMIN)
        .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approved\",\"reason\":\"intake_completed\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, decided.statusCode(), decided.body());

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String status;
    while (!(status = Json.parse(get(guest.get("statusUrl").asText(), null).body()).get("status").asText())
        .equals("proposed")) {
      assertTrue(System.nanoTime() < deadline, "the household was never proposed; status " + status);
      Thread.sleep(50);
    }
    assertEquals("proposed", Json.parse(get(host.get("statusUrl").asText(), null).body()).get("status").asText());
    // The run writes its picture of the province right after its proposals.
    JsonNode run;
    while (!(run = Json.parse(get("/admin/matching/PV22", ADMIN).body())).has("proposals")
        || run.get("proposals").isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "no run picture for PV22: " + run);
      Thread.sleep(50);
    }
    JsonNode proposal = run.get("proposals").get(0);
    assertTrue(proposal.get("score").asInt() > 0);
    assertTrue(proposal.get("scoreParts").has("language"), proposal.toString());
  }

  @Test
  void aPartnerOnboardedByAnOperatorScreensAndAcceptsThroughItsKey() throws Exception {
    HttpResponse<String> onboarded = send("POST", "/admin/partners", ADMIN,
        "{\"name\":\"Drenthe Helpt\",\"roles\":[\"screening\",\"placement_review\"],\"regions\":[\"PV22\"]}");
    assertEquals(201, onboarded.statusCode(), onboarded.body());
    String key = Json.parse(onboarded.body()).get("apiKey").asText();
    // The Lambda authorizer in front of every partner route, as API Gateway runs it.
    assertEquals(401, get("/partner/me", null).statusCode(), "no key: API Gateway's 401");
    assertEquals(403, get("/partner/me", "odk_NOTAKEY_x").statusCode(), "a wrong key: the authorizer's no");
    assertEquals(403, get("/partner/me", ADMIN).statusCode(), "the admin token is no partner key");
    HttpResponse<String> me = get("/partner/me", key);
    assertEquals(200, me.statusCode(), me.body());
    assertEquals("Drenthe Helpt", Json.parse(me.body()).get("name").asText());

    JsonNode guest = Json.parse(post("/registrations/guests", guestBody("PV22"), null).body());
    String hostId = Json.parse(post("/registrations/hosts", hostBody("PV22"), null).body()).get("id").asText();
    HttpResponse<String> screened = send("POST", "/partner/hosts/" + hostId + "/screening", key,
        "{\"decision\":\"approved\",\"reason\":\"intake_completed\",\"text\":\"home visit\"}");
    assertEquals(200, screened.statusCode(), screened.body());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String matchId = null;
    while (matchId == null) {
      JsonNode view = Json.parse(get("/partner/cases/" + hostId, key).body());
      matchId = view.has("matchId") ? view.get("matchId").asText() : null;
      assertTrue(matchId != null || System.nanoTime() < deadline, "no proposal for the screened host");
      Thread.sleep(50);
    }
    HttpResponse<String> accepted = send("POST", "/partner/matches/" + matchId + "/review", key,
        "{\"decision\":\"accept\"}");
    assertEquals(200, accepted.statusCode(), accepted.body());
    assertEquals("accepted", Json.parse(accepted.body()).get("status").asText());
    assertEquals("introducing", Json.parse(get(guest.get("statusUrl").asText(), null).body()).get("status").asText());
    HttpResponse<String> introduced = send("POST", "/partner/matches/" + matchId + "/introduction", key,
        "{\"outcome\":\"go\"}");
    assertEquals(200, introduced.statusCode(), introduced.body());
    assertEquals("matched", Json.parse(get(guest.get("statusUrl").asText(), null).body()).get("status").asText());
  }

  private static HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("content-type", "application/json").header("Authorization", "Bearer " + bearer)
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void adminRoutesNeedTheAdminToken() throws Exception {
    assertEquals(403, get("/admin/regions", null).statusCode());
    assertEquals(403, get("/admin/regions", "wrong").statusCode());
    assertEquals(200, get("/admin/regions", ADMIN).statusCode());
  }

  @Test
  void unknownRoutesAndMethodsAre404LikeApiGateway() throws Exception {
    HttpResponse<String> response = get("/nope", null);
    assertEquals(404, response.statusCode());
    assertEquals("{\"message\":\"Not Found\"}", response.body());
    assertEquals(404, get("/registrations/guests", null).statusCode(), "GET on a POST route");
  }

  @Test
  void badInputOverHttpGetsAProblemNamingTheFields() throws Exception {
    ObjectNode body = (ObjectNode) Json.parse(guestBody("PV30"));
    body.put("adults", 0).put("colour", "blue");
    HttpResponse<String> response = post("/registrations/guests", Json.write(body), null);
    assertEquals(400, response.statusCode());
    assertEquals("application/problem+json", response.headers().firstValue("content-type").orElse(""));
    Set<String> fields = new HashSet<>();
    Json.parse(response.body()).get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertEquals(Set.of("adults", "colour"), fields);
  }

  @Test
  void concurrentIdenticalRequestsOverHttpCreateOneRegistration() throws Exception {
    String body = guestBody("PV29");
    String key = UUID.randomUUID().toString();
    long before = count("PV29", "guest_open");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/registrations/guests"))
          .header(FormTicket.HEADER, FormTicket.fetch(http, base))
          .header("content-type", "application/json").header("Idempotency-Key", key)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    Set<String> ids = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.get();
      assertEquals(201, response.statusCode(), response.body());
      ids.add(Json.parse(response.body()).get("id").asText());
    }
    assertEquals(1, ids.size());
    awaitCount("PV29", "guest_open", before + 1);
    Thread.sleep(300);
    assertEquals(before + 1, count("PV29", "guest_open"), "counted once");
  }

  @Test
  void dynamoDbLocalIsReachableOnItsOwnPort() {
    var tables = runtime.dynamoDb().client().listTables().tableNames();
    assertTrue(tables.containsAll(List.of("CasesTable", "PersonalDataTable", "IdempotencyTable", "RegionStatsTable")),
        tables.toString());
  }
}
