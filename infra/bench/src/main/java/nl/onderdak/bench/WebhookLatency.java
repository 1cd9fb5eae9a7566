package nl.onderdak.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import nl.onderdak.local.LocalRuntime;

/**
 * Measures, in the local runtime, the time from a partner's screening approval of a host (request
 * sent) to the {@code match.proposed} webhook arriving at the partner's endpoint: the stream, the
 * matching run, the proposal transaction, the stream again, the dispatcher, the queue and the signed
 * delivery. N runs after 3 warm-up runs; prints each run, the median and the 90th percentile.
 *
 * <pre>java -cp infra/bench/target/onderdak-bench.jar nl.onderdak.bench.WebhookLatency [runs, default 20]</pre>
 */
public final class WebhookLatency {
  private WebhookLatency() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (body.contains("\"match.proposed\"")) {
        arrivals.add(System.nanoTime());
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null, "bench")
        .withParameter("FormMinFillSeconds", "0"));
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + runtime.httpPort();
      JsonNode partner = Json.parse(send(http, "POST", base + "/admin/partners", "bench",
          "{\"name\":\"Bench\",\"roles\":[\"screening\",\"placement_review\"],\"regions\":[\"PV23\"]}"));
      String key = partner.get("apiKey").asText();
      send(http, "POST", base + "/admin/partners/" + partner.get("partnerId").asText() + "/endpoints", "bench",
          "{\"url\":\"http://localhost:" + receiver.getAddress().getPort() + "/hook\",\"events\":[\"match.proposed\"]}");
      for (int i = 0; i < 3; i++) {
        measure(http, base, key, arrivals); // warm-up: class loading, JIT, first invocations
      }
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        double ms = measure(http, base, key, arrivals);
        millis.add(ms);
        System.out.printf("run=%d approval_to_match_proposed_delivery_ms=%.1f%n", i + 1, ms);
      }
      Collections.sort(millis);
      System.out.printf("runs=%d median_ms=%.1f p90_ms=%.1f min_ms=%.1f max_ms=%.1f%n", runs,
          StreamLatency.percentile(millis, 50), StreamLatency.percentile(millis, 90), millis.get(0),
          millis.get(millis.size() - 1));
    } finally {
      runtime.close();
      receiver.stop(0);
    }
    Runtime.getRuntime().halt(0);
  }

  private static double measure(HttpClient http, String base, String key, BlockingQueue<Long> arrivals)
      throws Exception {
    LocalDate today = LocalDate.now();
    send(http, "POST", base + "/registrations/guests", null, """
        {"contact":{"name":"Bench","email":"bench.%s@example.org"},"preferredLanguage":"uk","adults":1,
         "children":[],"stepFreeAccessNeeded":false,"languages":["uk"],"smoker":false,
         "preferredRegions":["PV23"],"acceptsOtherRegions":false,"neededFrom":"%s","consentToShare":true}
        """.formatted(UUID.randomUUID(), today));
    String hostId = Json.parse(send(http, "POST", base + "/registrations/hosts", null, """
        {"contact":{"name":"Bench","email":"host.%s@example.org"},"preferredLanguage":"nl",
         "address":{"street":"Markt","houseNumber":"1","postcode":"7511 AA","city":"Enschede","province":"PV23"},
         "beds":2,"rooms":1,"separateRoom":true,"childrenWelcome":true,"petsWelcome":true,"stepFreeAccess":true,
         "smokingInHome":false,"languages":["uk"],"availableFrom":"%s","availableUntil":"%s","consentToShare":true}
        """.formatted(UUID.randomUUID(), today, today.plusMonths(3)))).get("id").asText();
    Thread.sleep(300); // let the registrations' own stream work settle
    arrivals.clear();
    long start = System.nanoTime();
    send(http, "POST", base + "/partner/hosts/" + hostId + "/screening", key,
        "{\"decision\":\"approved\",\"reason\":\"intake_completed\"}");
    Long arrived = arrivals.poll(30, TimeUnit.SECONDS);
    if (arrived == null) {
      throw new IllegalStateException("no match.proposed within 30 s");
    }
    return (arrived - start) / 1_000_000.0;
  }

  private static String send(HttpClient http, String method, String url, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (url.contains("/registrations/")) {
      String tickets = url.substring(0, url.indexOf("/registrations/")) + "/registrations/tickets";
      b.header("Form-Ticket", Json.parse(http.send(HttpRequest.newBuilder(URI.create(tickets))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body())
          .get("ticket").asText());
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
