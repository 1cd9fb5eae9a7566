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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import nl.onderdak.core.json.Json;

/**
 * Demo data for the operator page, put in the way everything else gets in: over the runtime's own HTTP API.
 * Households and hosts register through the public routes (regions skewed to the big cities), an operator
 * loads this year's targets from CSV, onboards the four organisations of the {@link Consortium} and sets their
 * routing rules, and each organisation works what waits on it: screens hosts, reviews the proposals the matcher
 * makes (most accepted, some declined with the real reason codes), records introductions (mostly go, some no-go, a
 * few trial stays), confirms placements, ends a few stays; the
 * Randstad's support organisation hands some households to the national one, which takes most and refuses a
 * few. Seeded, so two runs tell the same story.
 *
 * <p>Run it with {@code ONDERDAK_DEMO=true} before starting the runtime; the people in it are made up.
 */
public final class DemoData {
  static final String[][] PROVINCES = SyntheticPeople.PROVINCES;

  /** What the demo did, for the runtime's log and for tests. */
  public record Summary(int households, int hosts, int approved, int accepted, int declined, int introductions,
      int placed, int ended, int handedOver, int refused) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String adminToken;
  private final Random random;
  private final SyntheticPeople people;
  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  /** Each organisation's id and key, by its key in the consortium. */
  private final Map<String, String[]> organisations = new LinkedHashMap<>();

  public DemoData(String base, String adminToken, long seed) {
    this.base = base;
    this.adminToken = adminToken;
    this.random = new Random(seed);
    this.people = new SyntheticPeople(random, today, 0.35);
  }

  public Summary load(int households, int hosts) throws IOException, InterruptedException {
    loadTargets();
    onboardConsortium();
    takeTickets(households + hosts);
    for (int i = 0; i < hosts; i++) {
      post("/registrations/hosts", null, people.host("demo-host-" + i, i));
    }
    for (int i = 0; i < households; i++) {
      post("/registrations/guests", null, people.household("demo-household-" + i));
    }
    int[] handovers = handOver();
    int approved = 0;
    int accepted = 0;
    int declined = 0;
    int placed = 0;
    int introductions = 0;
    List<String> placedMatches = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long quietSince = System.nanoTime();
    // Each organisation works what waits on it until nothing new has come for a few seconds (matching runs from
    // the stream, and a match in Amsterdam or Rotterdam waits on two reviewers).
    while (System.nanoTime() - quietSince < Duration.ofSeconds(4).toNanos()) {
      boolean work = false;
      for (String[] org : organisations.values()) {
        String key = org[1];
        JsonNode queue = get("/partner/queue", key);
        for (JsonNode h : queue.path("hostsToScreen")) {
          boolean ok = random.nextInt(100) < 88;
          post("/partner/hosts/" + h.get("id").asText() + "/screening", key, ok
              ? Json.object().put("decision", "approved").put("reason", "intake_completed")
              : Json.object().put("decision", "rejected").put("reason", "no_separate_room"));
          approved += ok ? 1 : 0;
          work = true;
        }
        for (JsonNode m : queue.path("proposalsToReview")) {
          String id = m.get("matchId").asText();
          if (!seen.add(id + org[0])) {
            continue;
          }
          ObjectNode review = Json.object();
          if (random.nextInt(100) < 82) {
            review.put("decision", "accept");
          } else {
            String[] reasons = {"could_not_reach_household", "household_self_resolved", "host_withdrew"};
            review.put("decision", "decline").put("reason", reasons[random.nextInt(reasons.length)]);
          }
          JsonNode answer = postLenient("/partner/matches/" + id + "/review", key, review);
          if ("accepted".equals(answer.path("status").asText())) {
            accepted++;
          } else if ("declined".equals(answer.path("status").asText())) {
            declined++;
          }
          work = true;
        }
        for (JsonNode m : queue.path("acceptedToIntroduce")) {
          String id = m.get("matchId").asText();
          if (!seen.add("introduced:" + id)) {
            continue;
          }
          // Most meetings go well; one in ten does not (the pair goes back, barred), a few stay a week on trial.
          int roll = random.nextInt(100);
          ObjectNode outcome = roll < 10
              ? Json.object().put("outcome", "no_go").put("reason", roll < 5 ? "guest_declined" : "mismatch_found")
              : roll < 15 ? Json.object().put("outcome", "trial").put("decideBy", today.plusDays(7).toString())
              : Json.object().put("outcome", "go");
          postLenient("/partner/matches/" + id + "/introduction", key, outcome);
          introductions++;
          work = true;
        }
        for (JsonNode m : queue.path("acceptedToPlace")) {
          String id = m.get("matchId").asText();
          if (!seen.add("placed:" + id)) {
            continue;
          }
          post("/partner/matches/" + id + "/placement", key, Json.object().put("moveInDate", today.toString())
              .put("agreedEndDate", today.plusDays(30).toString()));
          placedMatches.add(id + " " + key);
          placed++;
          work = true;
        }
      }
      if (work) {
        quietSince = System.nanoTime();
      }
      Thread.sleep(300);
    }
    // The support organisations check in on some stays: most go well, one in eight found a conflict.
    for (int i = 4; i < placedMatches.size(); i += 8) {
      ObjectNode checkIn = i % 16 == 4 ? Json.object().put("reason", "incident_conflict").put("severity", "medium")
          : Json.object().put("reason", "ok");
      for (String[] org : organisations.values()) {
        // Only the household's support organisation may record it: the others are refused, and the next is tried.
        if (postLenient("/partner/matches/" + placedMatches.get(i).split(" ")[0] + "/checkin", org[1], checkIn,
            "demo-checkin-" + i).has("matchId")) {
          break;
        }
      }
    }
    int ended = 0;
    for (int i = 0; i < placedMatches.size(); i += 8) {
      String[] match = placedMatches.get(i).split(" ");
      String reason = i % 16 == 0 ? "own_home" : "needs_new_place";
      post("/partner/matches/" + match[0] + "/end", match[1], Json.object().put("reason", reason));
      ended++;
    }
    return new Summary(households, hosts, approved, accepted, declined, introductions, placed, ended, handovers[0],
        handovers[1]);
  }

  /**
   * The Randstad's support organisation hands every fourth household it supports to the national one (it speaks
   * the household's language); that one takes two of three and refuses the rest (no capacity).
   *
   * @return {accepted, refused}
   */
  private int[] handOver() throws IOException, InterruptedException {
    String[] from = organisations.get(Consortium.RANDSTAD);
    String[] to = organisations.get(Consortium.NATIONAL);
    JsonNode cases = get("/partner/cases?role=guest_support&limit=100", from[1]).path("cases");
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < cases.size(); i += 4) {
      String caseId = cases.get(i).get("id").asText();
      JsonNode asked = post("/partner/cases/" + caseId + "/handover", from[1], Json.object()
          .put("role", "guest_support").put("to", to[0]).put("reason", "language"));
      boolean take = (i / 4) % 3 != 2;
      post("/partner/cases/" + caseId + "/handovers/" + asked.get("id").asText(), to[1], take
          ? Json.object().put("decision", "accept")
          : Json.object().put("decision", "refuse").put("reason", "capacity"));
      if (take) {
        accepted++;
      } else {
        refused++;
      }
    }
    return new int[] {accepted, refused};
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

  /** The five organisations, each with its key and an endpoint that takes everything; then their routing. */
  private void onboardConsortium() throws IOException, InterruptedException {
    // The organisations' own systems, told by webhooks: here one receiver on localhost that takes everything (204).
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
    Map<String, String> ids = new LinkedHashMap<>();
    for (Consortium.Organisation o : Consortium.ORGANISATIONS) {
      JsonNode created = post("/admin/partners", adminToken, Consortium.onboarding(o));
      String id = created.get("partnerId").asText();
      organisations.put(o.key(), new String[] {id, created.get("apiKey").asText()});
      ids.put(o.key(), id);
      ObjectNode endpoint = Json.object().put("url", "http://localhost:" + receiver.getAddress().getPort() + "/webhooks");
      ArrayNode events = endpoint.putArray("events");
      nl.onderdak.core.partners.WebhookEvent.ALL.forEach(events::add);
      post("/admin/partners/" + id + "/endpoints", adminToken, endpoint);
    }
    send(HttpRequest.newBuilder(URI.create(base + "/admin/routing")).header("Authorization", "Bearer " + adminToken)
        .header("content-type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(Json.write(Consortium.routing(ids)))).build());
  }

  /** A decision that may lose to another organisation's (a second reviewer's decline): its answer, or its problem. */
  private JsonNode postLenient(String path, String bearer, ObjectNode body) throws IOException, InterruptedException {
    return postLenient(path, bearer, body, null);
  }

  private JsonNode postLenient(String path, String bearer, ObjectNode body, String idempotencyKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("content-type", "application/json").header("Authorization", "Bearer " + bearer)
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 500) {
      throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return Json.parse(response.body());
  }

  private JsonNode get(String path, String bearer) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer).GET().build());
  }

  private final java.util.ArrayDeque<String> tickets = new java.util.ArrayDeque<>();

  /**
   * As the form does, a ticket for each registration; all asked for at once and the fill time (the template's
   * FormMinFillSeconds) waited out once, as that many people filling the form at the same time would.
   */
  private void takeTickets(int count) throws IOException, InterruptedException {
    long notBefore = 0;
    for (int i = 0; i < count; i++) {
      JsonNode ticket = send(HttpRequest.newBuilder(URI.create(base + "/registrations/tickets"))
          .POST(HttpRequest.BodyPublishers.noBody()).build());
      tickets.add(ticket.get("ticket").asText());
      notBefore = java.time.Instant.parse(ticket.get("notBefore").asText()).toEpochMilli();
    }
    long wait = notBefore - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait + 50);
    }
  }

  private JsonNode post(String path, String bearer, ObjectNode body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (path.startsWith("/registrations/")) {
      request.header("Form-Ticket", tickets.pop());
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
