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
  /** Provinces by CBS code, with a weight (the big cities draw most) and the municipality of their largest city. */
  static final String[][] PROVINCES = {
      {"PV27", "20", "GM0363", "Amsterdam"}, {"PV28", "22", "GM0599", "Rotterdam"}, {"PV26", "10", "GM0344", "Utrecht"},
      {"PV30", "12", "GM0772", "Eindhoven"}, {"PV25", "11", "GM0268", "Nijmegen"}, {"PV23", "6", "GM0193", "Zwolle"},
      {"PV20", "4", "GM0014", "Groningen"}, {"PV24", "3", "GM0034", "Almere"}, {"PV31", "5", "GM0935", "Maastricht"},
      {"PV21", "3", "GM0080", "Leeuwarden"}, {"PV22", "2", "GM0106", "Assen"}, {"PV29", "2", "GM0687", "Middelburg"}};
  private static final String[] LANGUAGES = {"uk", "ru", "en", "nl", "de", "pl"};

  /** What the demo did, for the runtime's log and for tests. */
  public record Summary(int households, int hosts, int approved, int accepted, int declined, int placed, int ended) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String adminToken;
  private final Random random;
  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  private String partnerKey;

  public DemoData(String base, String adminToken, long seed) {
    this.base = base;
    this.adminToken = adminToken;
    this.random = new Random(seed);
  }

  public Summary load(int households, int hosts) throws IOException, InterruptedException {
    loadTargets();
    onboardPartner();
    for (int i = 0; i < hosts; i++) {
      post("/registrations/hosts", null, host(i));
    }
    for (int i = 0; i < households; i++) {
      post("/registrations/guests", null, household(i));
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

  private String[] province() {
    int total = 0;
    for (String[] p : PROVINCES) {
      total += Integer.parseInt(p[1]);
    }
    int pick = random.nextInt(total);
    for (String[] p : PROVINCES) {
      pick -= Integer.parseInt(p[1]);
      if (pick < 0) {
        return p;
      }
    }
    return PROVINCES[0];
  }

  private ObjectNode household(int i) {
    String[] p = province();
    ObjectNode g = Json.object();
    g.putObject("contact").put("name", "Demo household " + i).put("email", "household" + i + "@demo.example.org");
    g.put("preferredLanguage", random.nextBoolean() ? "uk" : "en");
    int adults = 1 + random.nextInt(3);
    g.put("adults", adults);
    ArrayNode children = g.putArray("children");
    for (int c = random.nextInt(100) < 55 ? random.nextInt(3) + 1 : 0; c > 0; c--) {
      children.addObject().put("age", random.nextInt(17));
    }
    ArrayNode pets = g.putArray("pets");
    if (random.nextInt(100) < 15) {
      pets.add(random.nextBoolean() ? "cat" : "dog");
    }
    g.put("stepFreeAccessNeeded", random.nextInt(100) < 8);
    g.putArray("languages").add("uk").add(LANGUAGES[1 + random.nextInt(LANGUAGES.length - 1)]);
    g.put("smoker", random.nextInt(100) < 12);
    ArrayNode regions = g.putArray("preferredRegions").add(p[0]);
    if (random.nextInt(100) < 40) {
      regions.add(p[2]);
    }
    g.put("acceptsOtherRegions", random.nextInt(100) < 35);
    g.put("neededFrom", today.plusDays(3 + random.nextInt(30)).toString());
    g.put("consentToShare", true);
    return g;
  }

  private ObjectNode host(int i) {
    String[] p = province();
    ObjectNode h = Json.object();
    h.putObject("contact").put("name", "Demo host " + i).put("email", "host" + i + "@demo.example.org");
    h.put("preferredLanguage", "nl");
    h.putObject("address").put("street", "Demostraat").put("houseNumber", Integer.toString(1 + i))
        .put("postcode", (1000 + random.nextInt(8999)) + " AB").put("city", "Demo")
        .put("municipality", p[2]).put("province", p[0]);
    int beds = 1 + random.nextInt(6);
    h.put("beds", beds).put("rooms", Math.max(1, beds / 2)).put("separateRoom", random.nextBoolean())
        .put("childrenWelcome", random.nextInt(100) < 75).put("petsWelcome", random.nextInt(100) < 40)
        .put("stepFreeAccess", random.nextInt(100) < 25).put("smokingInHome", random.nextInt(100) < 10);
    String[] second = {"en", "de", "uk", "pl"};
    h.putArray("languages").add("nl").add(second[random.nextInt(second.length)]);
    h.put("availableFrom", today.toString()).put("availableUntil", today.plusDays(120 + random.nextInt(240)).toString());
    h.put("consentToShare", true);
    return h;
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
