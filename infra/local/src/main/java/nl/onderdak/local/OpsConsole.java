package nl.onderdak.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.chain.ChainPicture;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.ops.RegionalPicture;
import nl.onderdak.core.ops.Targets;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.tally.RegionTallies;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code /ops}: the operator page of the local runtime, what the two CloudWatch dashboards show in AWS,
 * so that a coordinator can try everything without an AWS account. The page ({@code /ops}) is static; its
 * figures come from {@code /ops/data.json}, which wants the admin token (the page reads it from the link
 * the runtime prints, after {@code #}, which browsers never send to a server).
 *
 * <p>The figures: the regional picture (the same domain code as {@code GET /admin/picture}), the metrics
 * the handlers emitted as EMF (collected from standard output as CloudWatch would), the API's counts and
 * latency, each function's invocations and errors, the queues, the stream readers' iterator age and failed
 * batches, and the template's alarms evaluated on these figures. Locally they cover the runtime's lifetime
 * (CloudWatch's cover the chosen time range).
 */
final class OpsConsole {
  /** Every alarm in the template, evaluated locally (a test holds this list to the template). */
  static final List<String> ALARMS = List.of("WebhookDeadLetterAlarm", "CaseStreamFailuresAlarm",
      "MatchingIteratorAgeAlarm", "CaseEventsIteratorAgeAlarm", "ApiErrorRateAlarm", "BackgroundErrorsAlarm",
      "PartnerEndpointDisabledAlarm", "UnassignedCasesAlarm");
  static final List<String> BACKGROUND = List.of("MatchingFunction", "CaseEventsFunction", "WebhookDeliveryFunction",
      "ProposalExpiryFunction", "RegionSnapshotFunction");
  private static final Map<String, String> ASSETS = Map.of(
      "/ops", "index.html", "/ops/", "index.html", "/ops/ops.js", "ops.js", "/ops/ops.css", "ops.css");

  record Sources(HttpGateway gateway, Map<String, LocalFunction> functions, List<StreamPoller> pollers,
      SqsClient sqs, Map<String, String> queues, Map<String, String> failureQueues,
      java.util.function.Function<String, List<String>> failedBatches, DynamoDbClient dynamo, Tables tables,
      LocalMetrics metrics, long iteratorAgeAlarmMillis, String adminToken) {}

  private final Sources s;
  private final RegionalPicture picture;
  private final PartnerStore partners;
  private final ChainPicture chain;

  OpsConsole(Sources sources) {
    this.s = sources;
    this.picture = new RegionalPicture(new RegionTallies(s.dynamo(), s.tables()),
        new Targets(s.dynamo(), s.tables().regionStats()), new MatchStore(s.dynamo(), s.tables()), Clock.systemUTC());
    this.partners = new PartnerStore(s.dynamo(), s.tables().partners());
    this.chain = new ChainPicture(s.dynamo(), s.tables().cases(), new RegionTallies(s.dynamo(), s.tables()));
  }

  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    if (!"GET".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "application/json", "{\"message\":\"Method Not Allowed\"}");
      return;
    }
    if (path.equals("/ops/data.json")) {
      String header = exchange.getRequestHeaders().getFirst("Authorization");
      byte[] expected = ("Bearer " + s.adminToken()).getBytes(StandardCharsets.UTF_8);
      if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected)) {
        send(exchange, 401, "application/json", "{\"message\":\"Unauthorized: open the /ops link the runtime printed\"}");
        return;
      }
      send(exchange, 200, "application/json", Json.write(data()));
      return;
    }
    String asset = ASSETS.get(path);
    if (asset == null) {
      send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
      return;
    }
    try (InputStream in = OpsConsole.class.getResourceAsStream("/ops/" + asset)) {
      String type = asset.endsWith(".html") ? "text/html; charset=utf-8"
          : asset.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
      send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Everything the page shows, in one answer. */
  ObjectNode data() {
    ObjectNode out = Json.object();
    out.set("picture", RegionalPicture.toJson(picture.now()));
    out.set("metrics", s.metrics().toJson());
    long[] api = s.gateway().counts();
    ObjectNode apiNode = out.putObject("api").put("requests", api[0]).put("clientErrors", api[1])
        .put("serverErrors", api[2]);
    Double p50 = s.gateway().latency.percentile(50);
    Double p99 = s.gateway().latency.percentile(99);
    if (p50 != null) {
      apiNode.put("latencyP50Ms", p50).put("latencyP99Ms", p99);
    }
    ArrayNode functions = out.putArray("functions");
    s.functions().forEach((name, f) -> functions.addObject().put("name", name).put("invocations", f.invocations())
        .put("errors", f.errors()));
    ArrayNode queues = out.putArray("queues");
    Map<String, Long> visible = new LinkedHashMap<>();
    s.queues().forEach((name, url) -> {
      var attributes = s.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
      long now = Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
      visible.put(name, now);
      queues.addObject().put("name", name).put("visible", now)
          .put("inFlight", Long.parseLong(attributes.getOrDefault(
              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")))
          .put("delayed", Long.parseLong(attributes.getOrDefault(
              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0")));
    });
    Map<String, Long> failed = new LinkedHashMap<>();
    s.failureQueues().forEach((logicalId, physical) -> failed.put(logicalId, (long) s.failedBatches().apply(physical).size()));
    ArrayNode streams = out.putArray("streams");
    Map<String, Long> age = new LinkedHashMap<>();
    for (StreamPoller p : s.pollers()) {
      age.merge(p.name().split("\\.")[0], p.iteratorAgeMillis(), Math::max);
      streams.addObject().put("mapping", p.name()).put("iteratorAgeMs", p.iteratorAgeMillis()).put("idle", p.idle(2_000))
          .put("lastDeliveredAt", p.lastDeliveredAt() == 0 ? null : java.time.Instant.ofEpochMilli(p.lastDeliveredAt()).toString());
    }
    ObjectNode failures = out.putObject("failedStreamBatches");
    failed.forEach(failures::put);
    List<Partner> all = partners.all();
    ChainPicture.Picture links = chain.now(all);
    out.set("chain", chainJson(links));
    int endpoints = 0;
    int disabled = 0;
    for (Partner p : all) {
      for (Partner.Endpoint e : p.endpoints()) {
        endpoints++;
        if (e.disabled()) {
          disabled++;
        }
      }
    }
    out.putObject("partnerEndpoints").put("total", endpoints).put("disabled", disabled);
    ArrayNode alarms = out.putArray("alarms");
    alarm(alarms, "WebhookDeadLetterAlarm", visible.getOrDefault("WebhookDeadLetterQueue", 0L) >= 1,
        visible.getOrDefault("WebhookDeadLetterQueue", 0L) + " webhook(s) in the dead-letter queue");
    alarm(alarms, "CaseStreamFailuresAlarm", failed.getOrDefault("CaseStreamFailureQueue", 0L) >= 1,
        failed.getOrDefault("CaseStreamFailureQueue", 0L) + " stream batch(es) failed every retry");
    alarm(alarms, "MatchingIteratorAgeAlarm", age.getOrDefault("MatchingFunction", 0L) > s.iteratorAgeAlarmMillis(),
        "matching reads changes " + age.getOrDefault("MatchingFunction", 0L) + " ms after they happen");
    alarm(alarms, "CaseEventsIteratorAgeAlarm", age.getOrDefault("CaseEventsFunction", 0L) > s.iteratorAgeAlarmMillis(),
        "case events read " + age.getOrDefault("CaseEventsFunction", 0L) + " ms after they happen");
    alarm(alarms, "ApiErrorRateAlarm", api[0] >= 20 && 100.0 * api[2] / api[0] > 1,
        api[2] + " of " + api[0] + " API requests ended in a 5xx");
    long invocations = 0;
    long errors = 0;
    for (String name : BACKGROUND) {
      LocalFunction f = s.functions().get(name);
      if (f != null) {
        invocations += f.invocations();
        errors += f.errors();
      }
    }
    alarm(alarms, "BackgroundErrorsAlarm", invocations > 0 && 100.0 * errors / invocations > 5,
        errors + " of " + invocations + " stream, queue and scheduled invocations failed");
    alarm(alarms, "PartnerEndpointDisabledAlarm", disabled > 0, disabled + " of " + endpoints
        + " partner endpoint(s) disabled");
    alarm(alarms, "UnassignedCasesAlarm", links.unassigned() > 0, links.unassigned()
        + " case(s) waiting with a role nobody holds (GET /admin/unassigned)");
    return out;
  }

  /**
   * The chain at a glance: per organisation and step the cases it holds and those waiting on it (from the holder
   * rows, now), how long a step waited there (the StepWaitTime metric's median and p90, as CloudWatch would give
   * them) and its handovers in, out and refused (the Handovers metric); the cases waiting unassigned.
   */
  private ObjectNode chainJson(ChainPicture.Picture links) {
    ObjectNode out = Json.object().put("unassigned", links.unassigned());
    ObjectNode byRole = out.putObject("unassignedByRole");
    links.unassignedByRole().forEach(byRole::put);
    ArrayNode organisations = out.putArray("organisations");
    ArrayNode steps = out.putArray("steps");
    for (ChainPicture.Organisation o : links.organisations()) {
      organisations.addObject().put("partnerId", o.partnerId()).put("name", o.name()).put("held", o.held())
          .put("waiting", o.waiting())
          .put("handoversIn", s.metrics().sum("Handovers", Map.of("Partner", o.partnerId(), "Direction", "in",
              "Outcome", "accepted")))
          .put("handoversOut", s.metrics().sum("Handovers", Map.of("Partner", o.partnerId(), "Direction", "out",
              "Outcome", "accepted")))
          .put("handoversRefused", s.metrics().sum("Handovers", Map.of("Partner", o.partnerId(), "Direction", "in",
              "Outcome", "refused")));
      java.util.Set<String> known = new java.util.TreeSet<>(o.waitingByStep().keySet());
      for (LocalMetrics.Series series : s.metrics().all("StepWaitTime")) {
        if (o.partnerId().equals(series.dimensions.get("Partner"))) {
          known.add(series.dimensions.get("Step"));
        }
      }
      for (String step : known) {
        ObjectNode row = steps.addObject().put("partnerId", o.partnerId()).put("name", o.name()).put("step", step)
            .put("waiting", o.waitingByStep().getOrDefault(step, 0L));
        LocalMetrics.Series waited = s.metrics().series("StepWaitTime", Map.of("Partner", o.partnerId(), "Step", step));
        if (waited != null) {
          row.put("taken", waited.count).put("waitedP50Seconds", waited.percentile(50))
              .put("waitedP90Seconds", waited.percentile(90));
        }
      }
    }
    return out;
  }

  private static void alarm(ArrayNode alarms, String name, boolean firing, String reason) {
    alarms.addObject().put("name", name).put("state", firing ? "ALARM" : "OK").put("reason", reason);
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", type);
    exchange.getResponseHeaders().set("cache-control", "no-store");
    exchange.getResponseHeaders().set("content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    exchange.getResponseHeaders().set("referrer-policy", "no-referrer");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
