package nl.onderdak.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.EndpointPolicy;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.function.Emf;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Metric;

/**
 * One attempt at delivering one webhook message, at least once, and what follows from its
 * {@link DeliveryOutcome}: the endpoint is looked up (a removed or disabled one gets no attempt), its address
 * checked against the policy as it resolves now, the message sent ({@link WebhookSender}); then, in one place
 * for every outcome, the attempt's log line with its metrics, the partner's webhook log, and the queue (hidden
 * for the {@link RetrySchedule}'s wait, or parked in the dead-letter queue with why).
 */
final class WebhookDelivery {
  private final PartnerStore partners;
  private final WebhookLog webhookLog;
  private final WebhookQueue queue;
  private final EndpointPolicy policy;
  private final RetrySchedule schedule;
  private final WebhookSender sender;
  private final Clock clock;
  private final Clock signing;

  WebhookDelivery(PartnerStore partners, WebhookLog webhookLog, WebhookQueue queue, EndpointPolicy policy,
      RetrySchedule schedule, WebhookSender sender, Clock clock) {
    this(partners, webhookLog, queue, policy, schedule, sender, clock, clock);
  }

  /**
   * @param clock the chain's time (the delivery's lag, an endpoint's disabling)
   * @param signing the wall clock, for {@code webhook-timestamp}: a receiver checks it against its own
   */
  WebhookDelivery(PartnerStore partners, WebhookLog webhookLog, WebhookQueue queue, EndpointPolicy policy,
      RetrySchedule schedule, WebhookSender sender, Clock clock, Clock signing) {
    this.signing = signing;
    this.partners = partners;
    this.webhookLog = webhookLog;
    this.queue = queue;
    this.policy = policy;
    this.schedule = schedule;
    this.sender = sender;
    this.clock = clock;
  }

  /** A message as the case-events reader queued it. */
  private record Message(String body, String webhookId, String partnerId, String endpointId, String type,
      JsonNode json) {
    static Message parse(String body) {
      JsonNode json = Json.parse(body);
      return new Message(body, json.get("webhookId").asText(), json.get("partnerId").asText(),
          json.get("endpointId").asText(), json.get("type").asText(), json);
    }
  }

  /**
   * @param attempt the message's receive count: this attempt's number
   * @return true when the message is finished with (delivered or parked); false to have it tried again
   */
  boolean deliver(String body, int attempt, String receiptHandle) {
    Message m = Message.parse(body);
    Partner partner = partners.find(m.partnerId()).orElse(null);
    Partner.Endpoint endpoint = partner == null ? null : partner.endpoints().stream()
        .filter(e -> e.id().equals(m.endpointId())).findFirst().orElse(null);
    if (endpoint == null || endpoint.disabled() || partner.disabled()) {
      // Queued before the organisation or endpoint was disabled or removed: parked, never sent.
      String why = partner == null ? "partner_removed" : partner.disabled() ? "partner_disabled"
          : endpoint == null ? "endpoint_removed" : "endpoint_disabled";
      return finish(m, attempt, attempt - 1, DeliveryOutcome.ENDPOINT_UNAVAILABLE, why.replace('_', ' '), why, null,
          receiptHandle);
    }
    Checked checked = check(endpoint.url());
    if (checked.refusal() != null) {
      return finish(m, attempt, attempt - 1, DeliveryOutcome.ENDPOINT_FORBIDDEN, checked.refusal(),
          DeliveryOutcome.ENDPOINT_FORBIDDEN.parkReason + ": " + checked.refusal(), null, receiptHandle);
    }
    ObjectNode payload = Json.object().put("type", m.type()).put("timestamp", m.json().get("timestamp").asText());
    payload.set("data", m.json().get("data"));
    WebhookSender.Answer answer = sender.send(URI.create(endpoint.url()), checked.address(), endpoint.secrets(),
        m.webhookId(), signing.instant().getEpochSecond(), Json.write(payload));
    DeliveryOutcome outcome = DeliveryOutcome.ofAnswer(answer.status(), attempt, schedule);
    return finish(m, attempt, attempt, outcome, answer.text(), outcome.parkReason, answer, receiptHandle);
  }

  /** For SnapStart priming: a message's parsing and its endpoint's lookup, for a partner that does not exist. */
  void prime() {
    Message m = Message.parse(Json.write(Json.object().put("webhookId", "msg_priming").put("partnerId",
        "P-0000000000000000").put("endpointId", "E-priming").put("type", "priming")));
    partners.find(m.partnerId());
  }

  /** The address an endpoint's name resolved to and passed the policy, or why it may not be called now. */
  private record Checked(java.net.InetAddress address, String refusal) {}

  private Checked check(String url) {
    String refusal = policy.refuseUrl(url);
    if (refusal != null) {
      return new Checked(null, refusal);
    }
    try {
      return new Checked(policy.resolve(URI.create(url).getHost()), null);
    } catch (java.net.UnknownHostException e) {
      return new Checked(null, e.getMessage());
    }
  }

  /** Every outcome ends here: queue, log line, webhook log, dead-letter queue. */
  private boolean finish(Message m, int attempt, int attemptsRecorded, DeliveryOutcome outcome, String answerText,
      String parkReason, WebhookSender.Answer answer, String receiptHandle) {
    Instant now = clock.instant();
    ObjectNode line = JsonLog.line("INFO", "webhook attempt");
    line.put("webhookId", m.webhookId()).put("partnerId", m.partnerId()).put("endpointId", m.endpointId())
        .put("type", m.type()).put("attempt", attempt);
    correlate(line, m.json());
    if (answer != null) {
      line.put("durationMs", answer.millis());
      if (answer.status() != null) {
        line.put("status", answer.status());
      } else {
        line.put("error", answer.error());
      }
    }
    line.put("outcome", outcome.wire).put("Outcome", outcome.wire);
    Emf.metric(line, Metric.WEBHOOK_DELIVERIES, 1);
    switch (outcome) {
      case DELIVERED -> {
        Instant eventAt = eventTime(m.json());
        if (eventAt != null) {
          Emf.metric(line, Metric.WEBHOOK_DELIVERY_LAG, Math.max(0, Duration.between(eventAt, now).toMillis()));
        }
      }
      case ENDPOINT_DISABLED -> {
        partners.setEndpointDisabled(m.partnerId(), m.endpointId(), true, "410 Gone at " + now, now);
        Emf.metric(line, Metric.PARTNER_ENDPOINTS_DISABLED, 1);
      }
      case RETRY -> {
        int seconds = schedule.hideSeconds(attempt, answer.retryAfter());
        queue.retryIn(receiptHandle, seconds);
        line.put("retryInSeconds", seconds);
      }
      default -> { }
    }
    JsonLog.write(line);
    webhookLog.attempted(m.partnerId(), m.webhookId(), outcome.state, attemptsRecorded, answerText, now);
    if (outcome.parks()) {
      queue.park(m.body(), new WebhookQueue.Parked(parkReason, attempt, answer == null ? null : answer.status()));
      ObjectNode parked = JsonLog.line("WARN", "webhook parked in the dead-letter queue");
      parked.put("webhookId", m.webhookId()).put("partnerId", m.partnerId()).put("reason", parkReason)
          .put("attempts", attempt);
      correlate(parked, m.json());
      JsonLog.write(parked);
    }
    return outcome.finished();
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

  private static Instant eventTime(JsonNode message) {
    try {
      return Instant.parse(message.path("timestamp").asText());
    } catch (RuntimeException unreadable) {
      return null;
    }
  }
}
