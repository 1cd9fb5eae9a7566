package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded SQS engine keeps messages in memory; with a data folder, a webhook still owed when the runtime
 * stops (here: waiting an hour for its retry) is put back at start-up from the webhook log, and delivered.
 */
class WebhookRecoveryTest {
  private static final String ADMIN = "recovery-token";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path data;

  private LocalRuntime start() throws Exception {
    // Retries scaled up: after the first failure the webhook would wait 5 s x 720 = an hour in the queue.
    return LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, data, ADMIN)
        .withParameters(Map.of("WebhookRetryScale", "720"))));
  }

  @Test
  void aWebhookOwedAtAStopIsDeliveredAfterTheRestartWithItsOwnId() throws Exception {
    try (WebhookReceiver partnerSystem = new WebhookReceiver()) {
      partnerSystem.script(d -> new WebhookReceiver.Answer(500, null));
      String webhookId;
      try (LocalRuntime first = start()) {
        String base = "http://localhost:" + first.httpPort();
        JsonNode partner = Json.parse(send(base, "/admin/partners", ADMIN,
            "{\"name\":\"Drenthe\",\"roles\":[\"screening\"],\"regions\":[\"PV22\"]}").body());
        JsonNode endpoint = Json.parse(send(base, "/admin/partners/" + partner.get("partnerId").asText() + "/endpoints",
            ADMIN, "{\"url\":\"" + partnerSystem.url() + "\",\"events\":[\"host.screening_requested\"]}").body());
        partnerSystem.secret(endpoint.get("secret").asText());
        assertEquals(201, send(base, "/registrations/hosts", null, LocalRuntimeEndToEndTest.hostBody("PV22")).statusCode());
        await(() -> !partnerSystem.deliveries().isEmpty());
        webhookId = partnerSystem.deliveries().get(0).webhookId();
        Thread.sleep(300);
      }
      assertEquals(1, partnerSystem.deliveries().size(), "one failed attempt before the stop");

      partnerSystem.script(d -> new WebhookReceiver.Answer(204, null));
      try (LocalRuntime second = start()) {
        await(() -> partnerSystem.deliveries().size() >= 2);
        List<WebhookReceiver.Delivery> all = partnerSystem.deliveries();
        assertEquals(204, all.get(all.size() - 1).answered());
        assertEquals(webhookId, all.get(all.size() - 1).webhookId(), "the same webhook, recognisable as such");
        assertTrue(all.stream().allMatch(WebhookReceiver.Delivery::verified));
      }
    }
  }

  private HttpResponse<String> send(String base, String path, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (path.startsWith("/registrations/")) {
      b.header(FormTicket.HEADER, FormTicket.fetch(http, base));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(50);
    }
  }
}
