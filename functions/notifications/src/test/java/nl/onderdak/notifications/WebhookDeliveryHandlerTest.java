package nl.onderdak.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.EndpointPolicy;
import nl.onderdak.core.partners.InMemoryPartnerStore;
import nl.onderdak.core.partners.InMemoryWebhookLog;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The webhook deliverer as Lambda runs it on an SQS batch, on the fast tier: the partners, the webhook log and
 * the queues in memory, the partner's endpoint a real HTTP server on this machine. Every outcome: delivered and
 * signed, retried on the schedule or as asked, disabled on 410, parked when the endpoint is gone or forbidden.
 */
@Tag("fast")
class WebhookDeliveryHandlerTest {
  private record Received(Map<String, List<String>> headers, String body) {}

  private final PartnerStore partners = new InMemoryPartnerStore();
  private final WebhookLog log = new InMemoryWebhookLog();
  private final InMemoryWebhookQueue queue = new InMemoryWebhookQueue();
  private final RetrySchedule schedule = RetrySchedule.scaled(null);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String retryAfter;
  private HttpServer server;
  private WebhookDeliveryHandler handler;
  private String partnerId;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext("/hook", exchange -> {
      received.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      if (retryAfter != null) {
        exchange.getResponseHeaders().set("Retry-After", retryAfter);
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    partnerId = partners.create("Receiving", Set.of(Role.GUEST_SUPPORT), Set.of("PV26"), Instant.now()).partner().id();
    // The local policy: only this machine may be called (in AWS: https only, never inward).
    handler = new WebhookDeliveryHandler(new WebhookDelivery(partners, log, queue, new EndpointPolicy(true), schedule,
        new WebhookSender(), Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private PartnerStore.IssuedEndpoint endpoint(String url) {
    return partners.addEndpoint(partnerId, url, Set.of("match.proposed"), Instant.now()).orElseThrow();
  }

  private PartnerStore.IssuedEndpoint hook() {
    return endpoint("http://localhost:" + server.getAddress().getPort() + "/hook");
  }

  /** A message as the case-events reader queues it, logged as queued. */
  private String queued(String endpointId) {
    String webhookId = "msg_" + UUID.randomUUID().toString().replace("-", "");
    Instant at = Instant.now().minusSeconds(3);
    var message = Json.object().put("webhookId", webhookId).put("partnerId", partnerId).put("endpointId", endpointId)
        .put("type", "match.proposed").put("timestamp", at.toString());
    message.putObject("data").put("matchId", "M-0000000000000001").put("caseId", "G-0000000000000001");
    String body = Json.write(message);
    log.queued(partnerId, webhookId, endpointId, "match.proposed", at, body, Instant.now());
    return body;
  }

  private SQSBatchResponse deliver(String body, int receiveCount) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId("sqs-" + receiveCount);
    m.setReceiptHandle("receipt-" + receiveCount);
    m.setBody(body);
    m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
    SQSEvent event = new SQSEvent();
    event.setRecords(new ArrayList<>(List.of(m)));
    return handler.handleRequest(event, null);
  }

  private WebhookLog.Entry logged(String body) {
    return log.find(partnerId, Json.parse(body).get("webhookId").asText()).orElseThrow();
  }

  @Test
  void aDeliveredWebhookIsSignedWithTheEndpointsSecretAndLoggedDelivered() throws Exception {
    PartnerStore.IssuedEndpoint e = hook();
    String body = queued(e.endpointId());
    assertTrue(deliver(body, 1).getBatchItemFailures().isEmpty());
    assertEquals(1, received.size());
    Received r = received.get(0);
    JsonNode payload = Json.parse(r.body());
    assertEquals("match.proposed", payload.get("type").asText());
    assertEquals("M-0000000000000001", payload.get("data").get("matchId").asText());
    assertTrue(!r.body().contains(partnerId) && !r.body().contains(e.endpointId()),
        "the partner receives the webhook, not the queue's routing");
    // The official Standard Webhooks library verifies what the partner received.
    new Webhook(e.secret()).verify(r.body(), r.headers().entrySet().stream().collect(
        java.util.stream.Collectors.toMap(x -> x.getKey().toLowerCase(), Map.Entry::getValue)));
    WebhookLog.Entry entry = logged(body);
    assertEquals("delivered", entry.state());
    assertEquals(1, entry.attempts());
    assertEquals(List.of(), queue.parked);
  }

  @Test
  void aFailedAttemptIsHiddenForTheSchedulesWaitOrLongerIfTheEndpointAsks() {
    String body = queued(hook().endpointId());
    status = 500;
    SQSBatchResponse first = deliver(body, 1);
    assertEquals(List.of("sqs-1"), first.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList(), "left on the queue for the retry");
    assertEquals(5, queue.hidden.get("receipt-1"), "5 s after the first attempt");
    assertEquals("retrying", logged(body).state());
    status = 429;
    retryAfter = "3600";
    deliver(body, 2);
    assertEquals(3600, queue.hidden.get("receipt-2"), "Retry-After beyond the schedule's 5 minutes is honoured");
    retryAfter = "1";
    deliver(body, 3);
    assertEquals(1800, queue.hidden.get("receipt-3"), "a shorter Retry-After does not shorten the schedule");
    assertEquals(3, received.size());
  }

  @Test
  void theLastFailedAttemptParksTheWebhookWithWhy() {
    String body = queued(hook().endpointId());
    status = 503;
    int last = RetrySchedule.WAITS.size() + 1;
    assertTrue(deliver(body, last).getBatchItemFailures().isEmpty(), "off the delivery queue");
    assertEquals(1, queue.parked.size());
    assertEquals(new WebhookQueue.Parked("attempts_exhausted", last, 503), queue.parked.get(0).why());
    assertEquals(body, queue.parked.get(0).body(), "parked as queued, for a redrive");
    assertEquals("dead_lettered", logged(body).state());
  }

  @Test
  void aGoneEndpointIsDisabledAndNeverCalledAgain() {
    PartnerStore.IssuedEndpoint e = hook();
    status = 410;
    String body = queued(e.endpointId());
    deliver(body, 1);
    var endpoint = partners.find(partnerId).orElseThrow().endpoints().get(0);
    assertTrue(endpoint.disabled());
    assertTrue(endpoint.disabledReason().startsWith("410 Gone"), endpoint.disabledReason());
    assertEquals("gone", queue.parked.get(0).why().reason());
    String next = queued(e.endpointId());
    deliver(next, 1);
    assertEquals(1, received.size(), "a disabled endpoint gets no attempt");
    assertEquals("endpoint_disabled", queue.parked.get(1).why().reason());
    assertEquals(0, logged(next).attempts(), "no attempt made");
  }

  @Test
  void aDisabledOrganisationsQueuedWebhooksAreParkedNotSent() {
    String body = queued(hook().endpointId());
    partners.setDisabled(partnerId, true, "offboarded", Instant.now());
    assertTrue(deliver(body, 1).getBatchItemFailures().isEmpty());
    assertEquals(0, received.size(), "nothing reaches a disabled organisation");
    assertEquals("partner_disabled", queue.parked.get(0).why().reason());
    assertEquals("dead_lettered", logged(body).state());
  }

  @Test
  void anEndpointThePolicyForbidsOrThatWasRemovedIsNeverCalled() {
    String forbidden = queued(endpoint("http://partner.example.org/hook").endpointId());
    deliver(forbidden, 1);
    assertTrue(queue.parked.get(0).why().reason().startsWith("endpoint_forbidden"), queue.parked.get(0).why().reason());
    String removed = queued("E-REMOVED");
    deliver(removed, 1);
    assertEquals("endpoint_removed", queue.parked.get(1).why().reason());
    assertEquals(0, received.size());
    assertEquals("dead_lettered", logged(forbidden).state());
  }
}
