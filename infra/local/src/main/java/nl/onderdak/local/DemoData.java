package nl.onderdak.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import nl.onderdak.core.json.Json;

/**
 * Demo data for the operator page, put in the way everything else gets in: over the runtime's own HTTP API.
 * Households and hosts register through the public routes (regions skewed to the big cities), an operator
 * loads this year's targets from CSV and onboards one partner, and that partner screens hosts, reviews the
 * proposals the matcher makes (most accepted, some declined with the real reason codes), confirms
 * placements and ends a few stays. Seeded, so two runs tell the same story.
 *
 * <p>Run it with {@code ONDERDAK_DEMO=true} before starting the runtime; the people in it are made up.
 */
public final class DemoData {
  static final String[][] PROVINCES = SyntheticPeople.PROVINCES;

  /** What the demo did, for the runtime's log and for tests. */
  public record Summary(int households, int hosts, int approved, int accepted, int declined, int placed, int ended) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String adminToken;
  private final Random random;
  private final SyntheticPeople people;
  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  private String partnerKey;

  public DemoData(String base, String adminToken, long seed) {
    this.base = base;
    this.adminToken = adminToken;
    this.random = new Random(seed);
    this.people = new SyntheticPeople(random, today, 0.35);
  }

  public Summary load(int households, int hosts) throws IOException, InterruptedException {
    loadTargets();
    onboardPartner();
    for (int i = 0; i < hosts; i++) {
      post("/registrations/hosts", null, people.host("demo-host-" + i, i));
    }
    for (int i = 0; i < households; i++) {
      post("/registrations/guests", null, people.household("demo-household-" + i));
    }
    int approved = 0;
    int accepted = 0;
    int declined = 0;
    int placed = 0;
    List<String> placedMatches = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long quietSince = System.nanoTime();
    // The partner works its queue until nothing new has come for a few seconds (matching runs from the stream).
    while (System.nanoTime() - quietSince < Duration.ofSeconds(4).toNanos()) {
      JsonNode queue = get("/partner/queue", partnerKey);
      boolean work = false;
      for (JsonNode h : queue.path("hostsToScreen")) {
        boolean ok = random.nextInt(100) < 88;
        post("/partner/hosts/" + h.get("id").asText() + "/screening", partnerKey, Json.object()
            .put("decision", ok ? "approved" : "rejected")
            .put("reason", ok ? "intake call done, references checked" : "home not suitable for guests"));
        approved += ok ? 1 : 0;
        work = true;
      }
      for (JsonNode m : queue.path("proposalsToReview")) {
        String id = m.get("matchId").asText();
        if (!seen.add(id)) {
          continue;
        }
        ObjectNode review = Json.object();
        if (random.nextInt(100) < 82) {
          review.put("decision", "accept");
          accepted++;
        } else {
          String[] reasons = {"could_not_reach_household", "household_self_resolved", "host_withdrew"};
          review.put("decision", "decline").put("reason", reasons[random.nextInt(reasons.length)]);
          declined++;
        }
        post("/partner/matches/" + id + "/review", partnerKey, review);
        work = true;
      }
      for (JsonNode m : queue.path("acceptedToPlace")) {
        String id = m.get("matchId").asText();
        post("/partner/matches/" + id + "/placement", partnerKey,
            Json.object().put("moveInDate", today.toString()));
        placedMatches.add(id);
        placed++;
        work = true;
      }
      if (work) {
        quietSince = System.nanoTime();
      }
      Thread.sleep(300);
    }
    int ended = 0;
    for (int i = 0; i < placedMatches.size(); i += 8) {
      String reason = i % 16 == 0 ? "own_home" : "needs_new_place";
      post("/partner/matches/" + placedMatches.get(i) + "/end", partnerKey, Json.object().put("reason", reason));
      ended++;
    }
    return new Summary(households, hosts, approved, accepted, declined, placed, ended);
  }

  private void loadTargets() throws IOException, InterruptedException {
    StringBuilder csv = new StringBuilder("region,year,homes,households,name\n");
    int year = today.getYear();
    for (String[] p : PROVINCES) {
      int weight = Integer.parseInt(p[1]);
      csv.append(p[0]).append(',').append(year).append(',').append(weight * 3).append(',').append(weight * 4).append(",\n");
      csv.append(p[2]).append(',').append(year).append(',').append(weight).append(',').append(weight * 2).append(',')
          .append(p[3]).append('\n');
    }
    send(HttpRequest.newBuilder(URI.create(base + "/admin/targets")).header("Authorization", "Bearer " + adminToken)
        .header("content-type", "text/csv").PUT(HttpRequest.BodyPublishers.ofString(csv.toString())).build());
  }

  private void onboardPartner() throws IOException, InterruptedException {
    ObjectNode partner = Json.object().put("name", "Demo partner (all provinces)");
    partner.putArray("roles").add("screening").add("placement_review").add("guest_support");
    ArrayNode regions = partner.putArray("regions");
    for (String[] p : PROVINCES) {
      regions.add(p[0]);
    }
    JsonNode created = post("/admin/partners", adminToken, partner);
    partnerKey = created.get("apiKey").asText();
    // The partner's own system, told by webhooks: here a receiver on localhost that takes everything (204).
    com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("localhost", 0), 16);
    receiver.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.setExecutor(java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "demo-partner-receiver");
      t.setDaemon(true);
      return t;
    }));
    receiver.start();
    ObjectNode endpoint = Json.object().put("url", "http://localhost:" + receiver.getAddress().getPort() + "/webhooks");
    ArrayNode events = endpoint.putArray("events");
    nl.onderdak.core.partners.WebhookEvent.ALL.forEach(events::add);
    post("/admin/partners/" + created.get("partnerId").asText() + "/endpoints",
        adminToken, endpoint);
  }

  private JsonNode get(String path, String bearer) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer).GET().build());
  }

  private JsonNode post(String path, String bearer, ObjectNode body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IOException(request.method() + " " + request.uri().getPath() + " answered " + response.statusCode()
          + ": " + response.body());
    }
    return response.body().isEmpty() ? Json.object() : Json.parse(response.body());
  }
}
