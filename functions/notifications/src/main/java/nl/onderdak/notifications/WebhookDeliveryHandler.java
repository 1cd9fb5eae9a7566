package nl.onderdak.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.EndpointPolicy;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.core.storage.DynamoDbClients;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.function.Emf;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Metric;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Delivers webhooks from the queue, at least once, signed as Standard Webhooks says, each attempt
 * with the same {@code webhook-id}.
 *
 * <ul>
 *   <li>2xx: delivered.
 *   <li>Anything else (an error status, a timeout after 15 s, no connection): tried again after 5 s,
 *       5 min, 30 min, 2 h, 5 h, 10 h and 10 h, by hiding the message on the queue that long (its receive
 *       count is the attempt number); a {@code Retry-After} the endpoint sends is honoured.
 *   <li>{@code 410 Gone}: the endpoint is disabled, and the message parked.
 *   <li>After the last attempt, or for a disabled or forbidden endpoint, the message goes to the
 *       dead-letter queue, where it stays retrievable and an operator can redrive it from the console.
 * </ul>
 *
 * {@code WEBHOOK_RETRY_SCALE} (1 in AWS) shrinks the schedule, so that the local runtime and its tests
 * can run a day of retries in seconds.
 */
public final class WebhookDeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  /** Waits after attempt 1, 2, ... 7; the 8th attempt is the last. */
  static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
      Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  /** SQS hides a message for at most 12 hours. */
  private static final Duration MAX_WAIT = Duration.ofHours(12);

  private final PartnerStore partners;
  private final WebhookLog webhookLog;
  private final SqsClient sqs;
  private final String queueUrl;
  private final String deadLetterUrl;
  private final EndpointPolicy policy;
  private final double scale;
  private final Clock clock;
  private final HttpClient http;
  private final ExecutorService pool = Executors.newFixedThreadPool(10, r -> {
    Thread t = new Thread(r, "webhook-delivery");
    t.setDaemon(true);
    return t;
  });

  public WebhookDeliveryHandler() {
    this(DynamoDbClients.fromEnv(), Tables.fromEnv().partners(), SqsClients.fromEnv(),
        Env.require(CaseEventsHandler.QUEUE_URL), Env.require("WEBHOOK_DLQ_URL"), EndpointPolicy.fromEnv(),
        Double.parseDouble(Optional.ofNullable(Env.get("WEBHOOK_RETRY_SCALE")).orElse("1")), Clock.systemUTC());
  }

  WebhookDeliveryHandler(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, String partnersTable,
      SqsClient sqs, String queueUrl, String deadLetterUrl, EndpointPolicy policy, double scale, Clock clock) {
    this.partners = new PartnerStore(dynamo, partnersTable);
    this.webhookLog = new WebhookLog(dynamo, partnersTable);
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.deadLetterUrl = deadLetterUrl;
    this.policy = policy;
    this.scale = scale;
    this.clock = clock;
    // Never follow a redirect: it could lead where the address checks did not look.
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** What became of one attempt. */
  enum Outcome { DELIVERED, RETRY, PARKED }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<Future<Boolean>> results = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      results.add(pool.submit(() -> deliver(m)));
    }
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      boolean done;
      try {
        done = results.get(i).get();
      } catch (Exception e) {
        done = false;
      }
      if (!done) {
        failures.add(SQSBatchResponse.BatchItemFailure.builder()
            .withItemIdentifier(event.getRecords().get(i).getMessageId()).build());
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  /** True when the message is finished with (delivered or parked); false to have it tried again. */
  private boolean deliver(SQSEvent.SQSMessage m) {
    JsonNode message = Json.parse(m.getBody());
    String webhookId = message.get("webhookId").asText();
    String partnerId = message.get("partnerId").asText();
    String endpointId = message.get("endpointId").asText();
    int attempt = Integer.parseInt(m.getAttributes().getOrDefault("ApproximateReceiveCount", "1"));
    Partner.Endpoint endpoint = partners.find(partnerId).flatMap(p -> p.endpoints().stream()
        .filter(e -> e.id().equals(endpointId)).findFirst()).orElse(null);
    if (endpoint == null || endpoint.disabled()) {
      webhookLog.attempted(partnerId, webhookId, "dead_lettered", attempt - 1, "endpoint disabled", clock.instant());
      ObjectNode parked = JsonLog.line("INFO", "webhook attempt");
      parked.put("webhookId", webhookId).put("partnerId", partnerId).put("endpointId", endpointId);
      correlate(parked, message);
      JsonLog.write(outcome(parked, "endpoint_unavailable"));
      park(m, message, endpoint == null ? "endpoint_removed" : "endpoint_disabled", attempt, null);
      return true;
    }
    String refusal = policy.refuseUrl(endpoint.url());
    URI uri = URI.create(endpoint.url());
    if (refusal == null) {
      try {
        policy.resolve(uri.getHost());
      } catch (java.net.UnknownHostException e) {
        refusal = e.getMessage();
      }
    }
    if (refusal != null) {
      webhookLog.attempted(partnerId, webhookId, "dead_lettered", attempt - 1, refusal, clock.instant());
      ObjectNode refused = JsonLog.line("INFO", "webhook attempt");
      refused.put("webhookId", webhookId).put("partnerId", partnerId).put("endpointId", endpointId);
      correlate(refused, message);
      JsonLog.write(outcome(refused, "endpoint_forbidden"));
      park(m, message, "endpoint_forbidden: " + refusal, attempt, null);
      return true;
    }
    ObjectNode payload = Json.object().put("type", message.get("type").asText())
        .put("timestamp", message.get("timestamp").asText());
    payload.set("data", message.get("data"));
    String body = Json.write(payload);
    long now = clock.instant().getEpochSecond();
    Integer status = null;
    String retryAfter = null;
    String error = null;
    long started = System.nanoTime();
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
          .header("content-type", "application/json")
          .header("user-agent", "Onderdak-Webhooks/1")
          .header("webhook-id", webhookId)
          .header("webhook-timestamp", Long.toString(now))
          .header("webhook-signature", WebhookSigner.signatureHeader(endpoint.secrets(), webhookId, now, body))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
      status = response.statusCode();
      retryAfter = response.headers().firstValue("retry-after").orElse(null);
    } catch (HttpTimeoutException e) {
      error = "timeout after " + TIMEOUT.toSeconds() + " s";
    } catch (Exception e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    ObjectNode log = JsonLog.line("INFO", "webhook attempt");
    log.put("webhookId", webhookId).put("partnerId", partnerId).put("endpointId", endpointId)
        .put("type", message.get("type").asText()).put("attempt", attempt);
    correlate(log, message);
    log
        .put("durationMs", (System.nanoTime() - started) / 1_000_000);
    if (status != null) {
      log.put("status", status);
    } else {
      log.put("error", error);
    }
    String answer = status != null ? "status " + status : error;
    if (status != null && status >= 200 && status < 300) {
      outcome(log, "delivered");
      java.time.Instant eventAt = eventTime(message);
      if (eventAt != null) {
        Emf.metric(log, Metric.WEBHOOK_DELIVERY_LAG, Math.max(0, Duration.between(eventAt, clock.instant()).toMillis()));
      }
      JsonLog.write(log);
      webhookLog.attempted(partnerId, webhookId, "delivered", attempt, answer, clock.instant());
      return true;
    }
    if (status != null && status == 410) {
      partners.setEndpointDisabled(partnerId, endpointId, true, "410 Gone at " + clock.instant(), clock.instant());
      outcome(log, "endpoint_disabled");
      Emf.metric(log, Metric.PARTNER_ENDPOINTS_DISABLED, 1);
      JsonLog.write(log);
      webhookLog.attempted(partnerId, webhookId, "dead_lettered", attempt, answer, clock.instant());
      park(m, message, "gone", attempt, status);
      return true;
    }
    if (attempt > SCHEDULE.size()) {
      outcome(log, "dead_lettered");
      JsonLog.write(log);
      webhookLog.attempted(partnerId, webhookId, "dead_lettered", attempt, answer, clock.instant());
      park(m, message, "attempts_exhausted", attempt, status);
      return true;
    }
    Duration wait = waitAfter(attempt, retryAfter);
    int seconds = (int) Math.min(MAX_WAIT.toSeconds(), Math.round(wait.toMillis() * scale / 1000.0));
    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.getReceiptHandle())
        .visibilityTimeout(seconds));
    outcome(log, "retry").put("retryInSeconds", seconds);
    JsonLog.write(log);
    webhookLog.attempted(partnerId, webhookId, "retrying", attempt, answer, clock.instant());
    return false;
  }

  /** The schedule's wait after this attempt, or longer if the endpoint asked for it (Retry-After). */
  static Duration waitAfter(int attempt, String retryAfter) {
    Duration scheduled = SCHEDULE.get(Math.min(attempt, SCHEDULE.size()) - 1);
    Duration asked = retryAfter(retryAfter);
    Duration wait = asked != null && asked.compareTo(scheduled) > 0 ? asked : scheduled;
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }

  /** Retry-After as seconds or as an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
  }

  /** To the dead-letter queue, with why, then off the delivery queue. */
  private void park(SQSEvent.SQSMessage m, JsonNode message, String reason, int attempt, Integer lastStatus) {
    sqs.sendMessage(b -> b.queueUrl(deadLetterUrl).messageBody(m.getBody()).messageAttributes(java.util.Map.of(
        "reason", MessageAttributeValue.builder().dataType("String").stringValue(reason).build(),
        "attempts", MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(attempt)).build(),
        "lastStatus", MessageAttributeValue.builder().dataType("String")
            .stringValue(lastStatus == null ? "none" : lastStatus.toString()).build())));
    ObjectNode log = JsonLog.line("WARN", "webhook parked in the dead-letter queue");
    log.put("webhookId", message.get("webhookId").asText()).put("partnerId", message.get("partnerId").asText())
        .put("reason", reason).put("attempts", attempt);
    correlate(log, message);
    JsonLog.write(log);
  }

  /** The attempt's outcome, as a log field and as a count in {@link Metric#WEBHOOK_DELIVERIES}. */
  private static ObjectNode outcome(ObjectNode log, String outcome) {
    log.put("outcome", outcome).put("Outcome", outcome);
    return Emf.metric(log, Metric.WEBHOOK_DELIVERIES, 1);
  }

  /** The case the webhook is about, so that "trace this case" finds its deliveries too. */
  private static void correlate(ObjectNode log, JsonNode message) {
    JsonNode data = message.path("data");
    for (String field : new String[] {"guestId", "caseId", "hostId"}) {
      if (data.hasNonNull(field)) {
        log.put("correlationId", data.get(field).asText());
        break;
      }
    }
    if (data.hasNonNull("matchId")) {
      log.put("matchId", data.get("matchId").asText());
    }
    if (data.hasNonNull("hostId") && log.has("correlationId") && !data.get("hostId").asText()
        .equals(log.get("correlationId").asText())) {
      log.put("hostCaseId", data.get("hostId").asText());
    }
  }

  private static java.time.Instant eventTime(JsonNode message) {
    try {
      return java.time.Instant.parse(message.path("timestamp").asText());
    } catch (RuntimeException unreadable) {
      return null;
    }
  }
}
