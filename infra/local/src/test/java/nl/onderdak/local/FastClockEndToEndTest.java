package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Test;

/**
 * The local runtime with its fast clock on (one simulated day every two real seconds, the functions' own clock
 * included): a stay's first check-in (3 days after the move-in) and its end coming near (14 days before it) arrive
 * at a partner's endpoint in seconds, signed with the wall clock's timestamp so that the official library verifies
 * them, while the events themselves carry the simulated time.
 */
class FastClockEndToEndTest {
  private static final String ADMIN = "fast-admin";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String base;

  @Test
  void aCheckInAndTheNearEndOfAStayArriveSignedWithinSeconds() throws Exception {
    try (LocalRuntime runtime = LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(),
        0, 0, null, ADMIN).withParameters(Map.of("ProposalReviewMinutes", "43200"))).withClockSpeed(43_200)
        .withScaledTime());
         WebhookReceiver receiver = new WebhookReceiver()) {
      base = "http://localhost:" + runtime.httpPort();
      JsonNode partner = ok(call("/admin/partners", ADMIN, "{\"name\":\"Zeeland Team\",\"roles\":[\"screening\","
          + "\"placement_review\",\"guest_support\"],\"regions\":[\"PV29\"]}"), 201);
      String key = partner.get("apiKey").asText();
      JsonNode endpoint = ok(call("/admin/partners/" + partner.get("partnerId").asText() + "/endpoints", ADMIN,
          "{\"url\":\"" + receiver.url() + "\",\"events\":[\"match.proposed\",\"stay.checkin_due\","
              + "\"stay.ending_soon\"]}"), 201);
      receiver.secret(endpoint.get("secret").asText());

      register("guests", LocalRuntimeEndToEndTest.guestBody("PV29").replace("olena.", "olena." + UUID.randomUUID()
          + "."));
      String hostId = Json.parse(register("hosts", LocalRuntimeEndToEndTest.hostBody("PV29"))).get("id").asText();
      ok(call("/partner/hosts/" + hostId + "/screening", key, "{\"decision\":\"approved\"}"), 200);
      JsonNode proposed = await(receiver, "match.proposed");
      String matchId = proposed.get("data").get("matchId").asText();
      // The chain's today is the simulated one: the proposal's own time says which day it is.
      LocalDate today = Instant.parse(proposed.get("timestamp").asText()).atZone(ZoneOffset.UTC).toLocalDate();
      ok(call("/partner/matches/" + matchId + "/review", key, "{\"decision\":\"accept\"}"), 200);
      ok(call("/partner/matches/" + matchId + "/introduction", key, "{\"outcome\":\"go\"}"), 200);
      ok(call("/partner/matches/" + matchId + "/placement", key, "{\"moveInDate\":\"" + today
          + "\",\"agreedEndDate\":\"" + today.plusDays(15) + "\"}"), 200);

      JsonNode endingSoon = await(receiver, "stay.ending_soon");
      JsonNode due = await(receiver, "stay.checkin_due");
      assertTrue(receiver.deliveries().stream().allMatch(WebhookReceiver.Delivery::verified), "a signature failed");
      assertEquals(matchId, endingSoon.get("data").get("matchId").asText());
      assertEquals(today.plusDays(15).toString(), endingSoon.get("data").get("agreedEndDate").asText());
      assertEquals(matchId, due.get("data").get("matchId").asText());
      assertEquals(1, due.get("data").get("checkIn").asInt());
      assertTrue(Instant.parse(due.get("timestamp").asText()).isAfter(Instant.now().plus(Duration.ofDays(2))),
          "the event's time is the simulated clock's: " + due.get("timestamp").asText());
    }
  }

  private JsonNode await(WebhookReceiver receiver, String type) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      for (WebhookReceiver.Delivery d : receiver.deliveries()) {
        JsonNode body = d.answered() == 200 ? Json.parse(d.body()) : null;
        if (body != null && type.equals(body.path("type").asText())) {
          return body;
        }
      }
      assertTrue(System.nanoTime() < deadline, "no " + type + " within 60 s");
      Thread.sleep(50);
    }
  }

  private String register(String kind, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/" + kind))
        .header(FormTicket.HEADER, FormTicket.fetch(http, base)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return r.body();
  }

  private HttpResponse<String> call(String path, String bearer, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    return Json.parse(r.body());
  }
}
