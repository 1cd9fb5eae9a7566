package nl.onderdak.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code /ops}: the operator page of the local runtime, what the template's CloudWatch dashboards and alarms are
 * in AWS, so that a coordinator can try everything without an AWS account. The page ({@code /ops}) is static;
 * it reads the product's own operator routes ({@code GET /admin/picture}, {@code GET /admin/chain}) through the
 * gateway, as an operator's browser would, and the AWS side of things from {@code /ops/data.json}. Both want the
 * admin token (the page reads it from the link the runtime prints, after {@code #}, which browsers never send).
 *
 * <p>{@code /ops/data.json} knows AWS, not Onderdak: the metrics the handlers emitted as EMF and those AWS
 * publishes itself ({@link LocalMetrics}), the API's counts and latency, each function's invocations and errors,
 * the queues, the stream readers' iterator age and failed batches, and the template's alarms as CloudWatch would
 * evaluate them ({@link LocalAlarms}). Locally the figures begin when the runtime started.
 */
final class OpsConsole {
  private static final Map<String, String> ASSETS = Map.of(
      "/ops", "index.html", "/ops/", "index.html", "/ops/ops.js", "ops.js", "/ops/ops.css", "ops.css");

  /**
   * @param queues queue logical id → URL
   * @param queueNames queue logical id → queue name (the {@code QueueName} dimension of its metrics)
   * @param failedBatches stream batches a mapping sent to a queue as its on-failure destination, by queue name
   */
  record Sources(HttpGateway gateway, Map<String, LocalFunction> functions, List<StreamPoller> pollers,
      SqsClient sqs, Map<String, String> queues, Map<String, String> queueNames,
      java.util.function.Function<String, List<String>> failedBatches, LocalMetrics metrics, LocalAlarms alarms,
      String adminToken) {}

  private final Sources s;

  OpsConsole(Sources sources) {
    this.s = sources;
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

  /** Everything the page shows of AWS, in one answer. */
  ObjectNode data() {
    ObjectNode out = Json.object();
    List<QueueDepth> depths = sampleQueues();
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
    ObjectNode failures = Json.object();
    for (QueueDepth d : depths) {
      queues.addObject().put("name", d.logicalId()).put("visible", d.visible()).put("inFlight", d.inFlight())
          .put("delayed", d.delayed());
      failures.put(d.logicalId(), d.failedBatches());
    }
    ArrayNode streams = out.putArray("streams");
    for (StreamPoller p : s.pollers()) {
      streams.addObject().put("mapping", p.name()).put("iteratorAgeMs", p.iteratorAgeMillis()).put("idle", p.idle(2_000))
          .put("lastDeliveredAt", p.lastDeliveredAt() == 0 ? null : java.time.Instant.ofEpochMilli(p.lastDeliveredAt()).toString());
    }
    out.set("failedStreamBatches", failures);
    ArrayNode alarms = out.putArray("alarms");
    for (LocalAlarms.State a : s.alarms().evaluate(s.metrics(), System.currentTimeMillis())) {
      alarms.addObject().put("name", a.name()).put("state", a.state()).put("reason", a.reason())
          .put("description", a.description());
    }
    return out;
  }

  /** One queue now; locally a stream mapping's on-failure destination keeps its batches apart from SQS. */
  record QueueDepth(String logicalId, long visible, long inFlight, long delayed, long failedBatches) {}

  /**
   * Each queue's depth now, put as SQS's {@code ApproximateNumberOfMessagesVisible} (and its in-flight and delayed
   * companions) so that alarms on queues have data points: the runtime samples every few seconds, and so does each
   * read of the page.
   */
  List<QueueDepth> sampleQueues() {
    List<QueueDepth> out = new java.util.ArrayList<>();
    s.queues().forEach((logicalId, url) -> {
      var attributes = s.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
      String name = s.queueNames().get(logicalId);
      long failed = s.failedBatches().apply(name).size();
      QueueDepth d = new QueueDepth(logicalId,
          Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")) + failed,
          Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")),
          Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0")), failed);
      Map<String, String> dims = Map.of("QueueName", name);
      s.metrics().put("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", dims, d.visible());
      s.metrics().put("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "Count", dims, d.inFlight());
      s.metrics().put("AWS/SQS", "ApproximateNumberOfMessagesDelayed", "Count", dims, d.delayed());
      out.add(d);
    });
    return out;
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
