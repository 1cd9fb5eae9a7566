package nl.onderdak.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.WebhookEvent;

/**
 * A partner organisation's own system, on its own port: it receives the webhooks, verifies every signature
 * with the official Standard Webhooks library, and does the partner's work through the partner API after
 * human-like delays: screens hosts, reviews proposals (accepts most; declines some with the real reason
 * codes; leaves a few unreviewed, to expire), confirms move-ins, ends some stays, and closes households put
 * on hold as duplicates. Webhooks set the work going; every few seconds it also reads its queue
 * ({@code GET /partner/queue}), as a partner whose endpoint was down must. Its endpoint can be switched down,
 * or made to answer 500 or 429, for a window of simulated time.
 */
final class SimulatedPartner implements AutoCloseable {
  /** A webhook as this partner received it (first arrival; {@code times} counts every arrival). */
  static final class Received {
    final String type;
    final String subject;
    final long firstAtWall;
    final String eventAt;
    final AtomicLong times = new AtomicLong();

    Received(String type, String subject, long firstAtWall, String eventAt) {
      this.type = type;
      this.subject = subject;
      this.firstAtWall = firstAtWall;
      this.eventAt = eventAt;
    }
  }

  /** A fault on this partner's endpoint, in simulated hours: {@code down}, {@code 500} or {@code 429}. */
  record Window(String kind, double fromHours, double toHours) {}

  static final List<String> DECLINE_REASONS = List.of("could_not_reach_household", "household_self_resolved",
      "host_withdrew", "health_and_safety");
  static final List<String> END_REASONS = List.of("own_home", "needs_new_place", "returned");

  final String name;
  final List<String> roles;
  final List<String> regions;
  private final boolean placer;
  private final Settings settings;
  private final SimClock clock;
  private final Api api;
  private final List<Window> windows;
  private final ScheduledExecutorService work;
  private final Set<String> planned = ConcurrentHashMap.newKeySet();
  final Map<String, Received> received = new ConcurrentHashMap<>();
  final AtomicLong invalidSignatures = new AtomicLong();
  final AtomicLong refusedByFault = new AtomicLong();
  final Map<String, AtomicLong> actions = new ConcurrentHashMap<>();
  /** Out-of-order requests that the API wrongly accepted (must stay 0). */
  final AtomicLong outOfOrderAccepted = new AtomicLong();
  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  private HttpServer server;
  private int port;
  private volatile boolean acting = true;
  /** Winding down: no new hosts screened, no stays ended; proposals still reviewed (all of them) and placed. */
  private volatile boolean settling;
  private volatile boolean up;
  String partnerId;
  private String key;
  private String secret;

  SimulatedPartner(String name, List<String> roles, List<String> regions, boolean placer, Settings settings,
      SimClock clock, Api api, List<Window> windows) {
    this.name = name;
    this.roles = roles;
    this.regions = regions;
    this.placer = placer;
    this.settings = settings;
    this.clock = clock;
    this.api = api;
    this.windows = windows;
    this.work = Executors.newScheduledThreadPool(8, r -> {
      Thread t = new Thread(r, "partner-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Registers this partner and its endpoint with the runtime (an operator's onboarding), then listens. */
  void onboard(Api admin, String adminToken) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    port = server.getAddress().getPort();
    startServer(server);
    ObjectNode partner = Json.object().put("name", name);
    roles.forEach(partner.putArray("roles")::add);
    regions.forEach(partner.putArray("regions")::add);
    Api.Answer created = admin.post("admin", "/admin/partners", adminToken, null, Json.write(partner));
    require(created, "create partner " + name);
    partnerId = created.body().get("partnerId").asText();
    key = created.body().get("apiKey").asText();
    ObjectNode endpoint = Json.object().put("url", "http://localhost:" + port + "/webhooks");
    WebhookEvent.ALL.forEach(endpoint.putArray("events")::add);
    Api.Answer added = admin.post("admin", "/admin/partners/" + partnerId + "/endpoints", adminToken, null,
        Json.write(endpoint));
    require(added, "add endpoint for " + name);
    secret = findSecret(added.body());
    work.scheduleWithFixedDelay(this::faultWindows, 20, 20, TimeUnit.MILLISECONDS);
    // The queue is read every simulated day, not more often than every 30 real seconds (the whole queue comes
    // back each time, which costs the runtime more than the webhooks do), and at once after an outage.
    long every = Math.max(30_000, clock.wallMillisFor(24));
    work.scheduleWithFixedDelay(this::catchUp, every, every, TimeUnit.MILLISECONDS);
  }

  private static String findSecret(JsonNode node) {
    if (node.isTextual() && node.asText().startsWith("whsec_")) {
      return node.asText();
    }
    for (JsonNode child : node) {
      String found = findSecret(child);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private void startServer(HttpServer s) {
    s.createContext("/webhooks", this::handle);
    s.setExecutor(Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "partner-endpoint-" + name);
      t.setDaemon(true);
      return t;
    }));
    s.start();
    up = true;
  }

  /** Takes the endpoint down, or brings it back, as the fault windows say. */
  private synchronized void faultWindows() {
    boolean shouldBeDown = active("down") != null;
    try {
      if (shouldBeDown && up) {
        server.stop(0);
        up = false;
      } else if (!shouldBeDown && !up) {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        startServer(server);
        work.execute(this::catchUp);
      }
    } catch (IOException e) {
      // The port is taken for a moment: try again on the next tick.
    }
  }

  private Window active(String kind) {
    double now = clock.simHours();
    for (Window w : windows) {
      if (w.kind().equals(kind) && now >= w.fromHours() && now < w.toHours()) {
        return w;
      }
    }
    return null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
      try {
        new Webhook(secret).verify(body, headers);
      } catch (Exception forged) {
        invalidSignatures.incrementAndGet();
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      if (active("500") != null) {
        refusedByFault.incrementAndGet();
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      if (active("429") != null) {
        refusedByFault.incrementAndGet();
        // Retry-After in seconds of the partner's own time; the runtime scales it with the rehearsal's clock.
        exchange.getResponseHeaders().add("Retry-After", "3600");
        exchange.sendResponseHeaders(429, -1);
        return;
      }
      JsonNode payload = Json.parse(body);
      String id = exchange.getRequestHeaders().getFirst("webhook-id");
      String type = payload.path("type").asText();
      JsonNode data = payload.path("data");
      String subject = data.hasNonNull("matchId") ? data.get("matchId").asText()
          : data.hasNonNull("hostId") ? data.get("hostId").asText() : data.path("caseId").asText();
      Received r = received.computeIfAbsent(id, k -> new Received(type, subject, clock.wallMillis(),
          payload.path("timestamp").asText()));
      boolean first = r.times.incrementAndGet() == 1;
      exchange.sendResponseHeaders(204, -1);
      if (first) {
        react(type, subject, data.path("region").asText());
      }
    }
  }

  /** Whether this partner reviews matches in that province (it is also told of matches of households it supports). */
  private boolean reviews(String region) {
    return roles.contains("placement_review") && regions.contains(region);
  }

  /**
   * A proposal seen for the first time (by webhook or in the queue): its review is planned. Some partner
   * systems send the move-in at once, before anyone reviewed: the API must refuse that and change nothing.
   */
  private void planReview(String matchId) {
    if (!acting || planned.contains("review:" + matchId)) {
      return;
    }
    if (placer && settings.fault("out-of-order") && chance(matchId, "early", 0.1)
        && planned.add("early:" + matchId)) {
      Api.Answer a = api.post("partner", "/partner/matches/" + matchId + "/placement", key, null,
          Json.write(Json.object().put("moveInDate", today.toString())));
      count("placement_before_review_" + a.status());
      if (a.ok()) {
        outOfOrderAccepted.incrementAndGet();
      }
    }
    plan("review", matchId, settings.reviewDelayHours());
  }

  private void react(String type, String subject, String region) {
    switch (type) {
      case WebhookEvent.HOST_SCREENING_REQUESTED -> {
        if (roles.contains("screening")) {
          plan("screen", subject, settings.screeningHours());
        }
      }
      case WebhookEvent.MATCH_PROPOSED -> {
        if (reviews(region)) {
          planReview(subject);
        }
      }
      case WebhookEvent.MATCH_ACCEPTED -> {
        if (placer && reviews(region)) {
          plan("place", subject, settings.placementHours());
        }
      }
      case WebhookEvent.PLACEMENT_CONFIRMED -> {
        if (placer && reviews(region) && chance(subject, "end", settings.endShare())) {
          plan("end", subject, settings.stayDays() * 24);
        }
      }
      default -> { }
    }
  }

  /** Reads the partner's queue, and plans whatever the webhooks did not bring (an outage, a dead letter). */
  private void catchUp() {
    if (!acting) {
      return;
    }
    try {
      Api.Answer q = api.get("queue", "/partner/queue", key);
      if (!q.ok()) {
        return;
      }
      q.body().path("hostsToScreen").forEach(h -> plan("screen", h.get("id").asText(), settings.screeningHours()));
      q.body().path("proposalsToReview").forEach(m -> planReview(m.get("matchId").asText()));
      if (placer) {
        q.body().path("acceptedToPlace").forEach(m -> plan("place", m.get("matchId").asText(),
            settings.placementHours()));
      }
      q.body().path("householdsOnHold").forEach(h -> plan("hold", h.get("id").asText(), settings.screeningHours()));
    } catch (RuntimeException e) {
      // The runtime is restarting: the next read catches up.
    }
  }

  private void plan(String action, String id, double meanHours) {
    if (!acting || !planned.add(action + ":" + id)) {
      return;
    }
    double hours = meanHours * (0.5 + unit(id, action + "-delay"));
    work.schedule(() -> act(action, id), clock.wallMillisFor(hours), TimeUnit.MILLISECONDS);
  }

  private void act(String action, String id) {
    if (!acting) {
      return;
    }
    if (settling && !action.equals("review") && !action.equals("place")) {
      planned.remove(action + ":" + id);
      return;
    }
    try {
      Api.Answer a = switch (action) {
        case "screen" -> {
          boolean ok = chance(id, "approve", settings.approveShare());
          yield api.post("partner", "/partner/hosts/" + id + "/screening", key, null, Json.write(Json.object()
              .put("decision", ok ? "approved" : "rejected")
              .put("reason", ok ? "intake call done, certificate of good conduct received"
                  : "no separate room, or available too short")));
        }
        case "review" -> review(id);
        case "place" -> api.post("partner", "/partner/matches/" + id + "/placement", key, null,
            Json.write(Json.object().put("moveInDate", today.toString())));
        case "end" -> api.post("partner", "/partner/matches/" + id + "/end", key, null, Json.write(Json.object()
            .put("reason", END_REASONS.get((int) (unit(id, "end-reason") * END_REASONS.size())))));
        case "hold" -> api.post("partner", "/partner/cases/" + id + "/hold", key, null, Json.write(Json.object()
            .put("decision", "close").put("reason", "the same household registered twice")));
        default -> throw new IllegalStateException(action);
      };
      if (a != null) {
        count(action + "_" + a.status());
      }
    } catch (RuntimeException e) {
      count(action + "_error");
    }
  }

  private Api.Answer review(String matchId) {
    if (!settling && chance(matchId, "silent", settings.silentShare())) {
      // Left to expire; planned again (and reviewed) if it is still waiting when the rehearsal settles.
      planned.remove("review:" + matchId);
      count("review_left_to_expire");
      return null;
    }
    ObjectNode body = Json.object();
    if (chance(matchId, "decline", settings.declineShare())) {
      body.put("decision", "decline").put("reason",
          DECLINE_REASONS.get((int) (unit(matchId, "decline-reason") * DECLINE_REASONS.size())));
    } else {
      body.put("decision", "accept");
    }
    String json = Json.write(body);
    if (settings.fault("duplicates") && chance(matchId, "double", 0.1)) {
      // A double click in the partner's system: the same decision twice, at the same moment.
      work.execute(() -> count("review_duplicate_" + api.post("partner", "/partner/matches/" + matchId + "/review",
          key, null, json).status()));
    }
    return api.post("partner", "/partner/matches/" + matchId + "/review", key, null, json);
  }

  private void count(String what) {
    actions.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  private boolean chance(String id, String salt, double share) {
    return unit(id, salt) < share;
  }

  /** A number in [0, 1) fixed by the id, the purpose and the seed: one decision per case, whatever the order. */
  private double unit(String id, String salt) {
    long h = (id + "|" + salt + "|" + settings.seed()).hashCode() * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    return (h >>> 11) * 0x1.0p-53;
  }

  /**
   * The rehearsal winds down: from now on this partner screens no new hosts and ends no stays, but reviews
   * every proposal (none is left to expire) and confirms every move-in, so that the chain comes to rest
   * instead of proposing, expiring and proposing again.
   */
  void settle() {
    settling = true;
    catchUp();
  }

  /** Whether nothing waits for this partner's review or move-in confirmation (read from its queue now). */
  boolean nothingPending() {
    Api.Answer q = api.getOnce("queue", "/partner/queue", key);
    if (!q.ok()) {
      return false;
    }
    if (q.body().path("proposalsToReview").size() + q.body().path("acceptedToPlace").size() == 0) {
      return true;
    }
    catchUp();
    return false;
  }

  /** No work at all from now on (the rehearsal reconciles). */
  void stopActing() {
    acting = false;
  }

  /** All windows closed and the endpoint up. */
  void endFaults() {
    windows.clear();
    faultWindows();
  }

  private static void require(Api.Answer a, String what) {
    if (!a.ok()) {
      throw new IllegalStateException(what + " answered " + a.status() + ": " + a.body());
    }
  }

  @Override
  public void close() {
    acting = false;
    work.shutdownNow();
    if (up) {
      server.stop(0);
    }
  }
}
