package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A partner endpoint that never answers well: all eight attempts are made, on the schedule (run 10,000
 * times faster here: the whole 28 hours in about ten seconds), with one webhook-id, and then the
 * webhook sits in the dead-letter queue, counted, and the partner's log says so. Nothing is lost.
 */
class WebhookExhaustionTest {
  @Test
  void afterTheLastAttemptTheWebhookIsParkedNotLost() throws Exception {
    try (LocalRuntime runtime = LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null, "adm")
        .withParameters(Map.of("WebhookRetryScale", "0.0001"))));
         WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.script(d -> new WebhookReceiver.Answer(503, null));
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + runtime.httpPort();
      JsonNode partner = Json.parse(send(http, base + "/admin/partners", "adm",
          "{\"name\":\"Never Up\",\"roles\":[\"screening\"],\"regions\":[\"PV20\"]}"));
      JsonNode endpoint = Json.parse(send(http, base + "/admin/partners/" + partner.get("partnerId").asText()
          + "/endpoints", "adm", "{\"url\":\"" + receiver.url() + "\",\"events\":[\"host.screening_requested\"]}"));
      receiver.secret(endpoint.get("secret").asText());
      send(http, base + "/registrations/hosts", null, LocalRuntimeEndToEndTest.hostBody("PV20"));

      String dlq = runtime.queueUrl("WebhookDeadLetterQueue");
      List<Message> parked = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parked.isEmpty() && System.nanoTime() < deadline) {
        parked.addAll(runtime.sqsClient().receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1)
            .messageAttributeNames("All")).messages());
      }
      assertEquals(1, parked.size(), "the webhook is in the dead-letter queue");
      assertEquals("attempts_exhausted", parked.get(0).messageAttributes().get("reason").stringValue());
      assertEquals("8", parked.get(0).messageAttributes().get("attempts").stringValue());
      List<WebhookReceiver.Delivery> attempts = receiver.deliveries();
      assertEquals(8, attempts.size(), "eight attempts");
      assertEquals(1, attempts.stream().map(WebhookReceiver.Delivery::webhookId).distinct().count());
      assertTrue(attempts.stream().allMatch(WebhookReceiver.Delivery::verified));
      // Later waits are longer than earlier ones: the schedule, compressed.
      long first = attempts.get(1).receivedAtMillis() - attempts.get(0).receivedAtMillis();
      long last = attempts.get(7).receivedAtMillis() - attempts.get(6).receivedAtMillis();
      assertTrue(last > first, "first wait " + first + " ms, last " + last + " ms");
      JsonNode log = Json.parse(get(http, base + "/partner/webhooks", partner.get("apiKey").asText()))
          .get("webhooks").get(0);
      assertEquals("dead_lettered", log.get("state").asText());
      assertEquals(8, log.get("attempts").asInt());
      assertEquals("status 503", log.get("lastAnswer").asText());
    }
  }

  private static String send(HttpClient http, String url, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (url.contains("/registrations/")) {
      b.header(FormTicket.HEADER, FormTicket.fetch(http, url.substring(0, url.indexOf("/registrations/"))));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() < 300, url + ": " + r.body());
    return r.body();
  }

  private static String get(HttpClient http, String url, String bearer) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
