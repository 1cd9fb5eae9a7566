package nl.onderdak.local;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A partner's webhook endpoint, for tests: a real HTTP server on localhost that verifies every
 * delivery with the official Standard Webhooks library (as a partner would), records it, and answers
 * what the test scripts (200 by default; 500, 429 with Retry-After, 410, ...).
 */
final class WebhookReceiver implements AutoCloseable {
  /** One request as received. */
  record Delivery(String webhookId, long timestamp, String signatureHeader, String body, boolean verified,
      long receivedAtMillis, int answered) {}

  private HttpServer server;
  private final int port;
  private final Queue deliveries = new Queue();
  private volatile String secret;
  private volatile Function<Delivery, Answer> script = d -> new Answer(200, null);

  record Answer(int status, String retryAfter) {}

  static final class Queue extends ConcurrentLinkedQueue<Delivery> {}

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  String url() {
    return "http://localhost:" + port + "/hook";
  }

  /** The partner's system goes down: nothing listens on the port any more. */
  void down() {
    server.stop(0);
  }

  /** And comes back, on the same port. */
  void up() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/hook", this::handle);
    server.start();
  }

  void secret(String secret) {
    this.secret = secret;
  }

  void script(Function<Delivery, Answer> script) {
    this.script = script;
  }

  List<Delivery> deliveries() {
    return Collections.unmodifiableList(new ArrayList<>(deliveries));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new java.util.HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
      boolean verified;
      try {
        new Webhook(secret).verify(body, headers);
        verified = true;
      } catch (Exception e) {
        verified = false;
      }
      Delivery probe = new Delivery(exchange.getRequestHeaders().getFirst("webhook-id"),
          Long.parseLong(exchange.getRequestHeaders().getFirst("webhook-timestamp")),
          exchange.getRequestHeaders().getFirst("webhook-signature"), body, verified, System.currentTimeMillis(), 0);
      Answer answer = script.apply(probe);
      deliveries.add(new Delivery(probe.webhookId(), probe.timestamp(), probe.signatureHeader(), body, verified,
          probe.receivedAtMillis(), answer.status()));
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      exchange.sendResponseHeaders(answer.status(), -1);
      try (OutputStream out = exchange.getResponseBody()) {
        out.flush();
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
