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
 * with the official Standard Webhooks library, and does the organisation's work through the partner API after
 * human-like delays, on the cases it is responsible for (it is told of no others): screens hosts, reviews
 * proposals (accepts most; declines some with the real reason codes; leaves a few unreviewed, to expire),
 * introduces households to their hosts (most go; some no-go, the pair barred; a few stay on trial first),
 * confirms move-ins and ends some stays (the host's reviewer does), closes households put on hold as
 * duplicates, hands some households to another organisation (the Randstad's support organisation, for their
 * language) and decides the handovers it is asked to take (takes most, refuses some). Webhooks set the work
 * going; every few seconds it also reads its queue ({@code GET /partner/queue}), as a partner whose endpoint was
 * down must. Its endpoint can be switched down, or made to answer 500 or 429, for a window of simulated time.
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
  static final List<String> NO_GO_REASONS = List.of("guest_declined", "host_declined", "mismatch_found", "no_show");
  /** Of the introductions: the share that is a no-go, and the share that starts with a trial stay. */
  static final double NO_GO_SHARE = 0.08;
  static final double TRIAL_SHARE = 0.05;
  /** The share of its households an organisation that hands over asks another one to take, and of those refused. */
  static final double HANDOVER_SHARE = 1 / 12.0;
  static final double REFUSAL_SHARE = 0.25;
  /** The share of screenings, reviews and duplicate checks before which the organisation reads the case's details. */
  static final double READ_SHARE = 0.25;

  final String name;
  final String key;
  final List<String> roles;
  final List<String> regions;
  private final boolean placer;
  /** The organisation this one hands households to, or null. */
  volatile String handsOverTo;
  /** Who reviews each match (from its proposal): the host's reviewer comes first, and confirms and ends the stay. */
  private final Map<String, List<String>> reviewers = new ConcurrentHashMap<>();
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
  /** Handovers this organisation decided, and households it was given. */
  private final AtomicLong decided = new AtomicLong();
  private final AtomicLong assigned = new AtomicLong();
  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  /** The template's default minimum stay: every stay is agreed for it, and some extended by two weeks. */
  static final int MINIMUM_STAY_DAYS = 14;
  static final double EXTEND_SHARE = 0.15;

  /** A move-in today, with the stay agreed for the minimum (a host's availability covers it: matching saw to that). */
  private com.fasterxml.jackson.databind.node.ObjectNode placement() {
    return Json.object().put("moveInDate", today.toString())
        .put("agreedEndDate", today.plusDays(MINIMUM_STAY_DAYS).toString());
  }
  private HttpServer server;
  private int port;
  private volatile boolean acting = true;
  /** Winding down: no new hosts screened, no stays ended; proposals still reviewed (all of them) and placed. */
  private volatile boolean settling;
  private volatile boolean up;
  String partnerId;
  private String apiKey;
  private String secret;

  SimulatedPartner(nl.onderdak.local.Consortium.Organisation organisation, boolean placer, Settings settings,
      SimClock clock, Api api, List<Window> windows) {
    this.name = organisation.name();
    this.key = organisation.key();
    this.roles = organisation.roles();
    this.regions = organisation.regions();
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
    apiKey = created.body().get("apiKey").asText();
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
      String subject = subject(type, data);
      Received r = received.computeIfAbsent(id, k -> new Received(type, subject, clock.wallMillis(),
          payload.path("timestamp").asText()));
      boolean first = r.times.incrementAndGet() == 1;
      exchange.sendResponseHeaders(204, -1);
      if (first) {
        react(type, subject, data);
      }
    }
  }

  /** What a webhook is about: its match, its host, or its case (a handover is about its handover). */
  static String subject(String type, JsonNode data) {
    if (type.startsWith("case.handover")) {
      return data.path("handoverId").asText();
    }
    return data.hasNonNull("matchId") ? data.get("matchId").asText()
        : data.hasNonNull("hostId") ? data.get("hostId").asText() : data.path("caseId").asText();
  }

  /** Who reviews a match, from its proposal or, when that webhook never came, from the match itself. */
  private List<String> reviewersOf(String matchId) {
    List<String> known = reviewers.get(matchId);
    if (known != null) {
      return known;
    }
    Api.Answer m = api.get("partner", "/partner/matches/" + matchId, apiKey);
    if (!m.ok()) {
      return List.of();
    }
    List<String> ids = new java.util.ArrayList<>();
    m.body().path("reviewers").forEach(n -> ids.add(n.asText()));
    reviewers.put(matchId, ids);
    return ids;
  }

  /** The host's reviewer (the first) confirms the move-in and, later, ends the stay. */
  private boolean hostsReviewer(String matchId) {
    List<String> ids = reviewersOf(matchId);
    return !ids.isEmpty() && partnerId.equals(ids.get(0));
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
      Api.Answer a = api.post("partner", "/partner/matches/" + matchId + "/placement", apiKey, null,
          Json.write(placement()));
      count("placement_before_review_" + a.status());
      if (a.ok()) {
        outOfOrderAccepted.incrementAndGet();
      }
    }
    plan("review", matchId, settings.reviewDelayHours());
  }

  private void react(String type, String subject, JsonNode data) {
    switch (type) {
      case WebhookEvent.HOST_SCREENING_REQUESTED -> plan("screen", subject, settings.screeningHours());
      case WebhookEvent.CASE_ASSIGNED -> {
        // Every twelfth household it is given (8%) is handed on: a count, not a draw, so that a small rehearsal
        // hands over a few too.
        if (handsOverTo != null && "guest".equals(data.path("kind").asText()) && !settling
            && data.path("roles").toString().contains("guest_support")
            && assigned.incrementAndGet() % Math.round(1 / HANDOVER_SHARE) == 0) {
          plan("handover", subject, settings.screeningHours());
        }
      }
      case WebhookEvent.CASE_HANDOVER_REQUESTED -> plan("handover-decide", data.path("caseId").asText() + "/"
          + subject, settings.screeningHours());
      case WebhookEvent.MATCH_PROPOSED -> {
        List<String> ids = new java.util.ArrayList<>();
        data.path("reviewers").forEach(n -> ids.add(n.asText()));
        reviewers.put(subject, ids);
        if (ids.contains(partnerId)) {
          planReview(subject);
        }
      }
      case WebhookEvent.MATCH_ACCEPTED -> {
        // A host family's match is introduced first (by the introducing organisation); a provider's home is placed.
        if ("introduction".equals(data.path("next").asText())) {
          if (roles.contains("introduction")) {
            plan("introduce", subject, settings.placementHours() / 2);
          }
        } else if (hostsReviewer(subject)) {
          plan("place", subject, settings.placementHours());
        }
      }
      case WebhookEvent.MATCH_INTRODUCED -> {
        if ("go".equals(data.path("outcome").asText()) && hostsReviewer(subject)) {
          plan("place", subject, settings.placementHours() / 2);
        } else if ("trial".equals(data.path("outcome").asText()) && roles.contains("introduction")) {
          plan("trial-end", subject, settings.placementHours());
        }
      }
      case WebhookEvent.STAY_CHECKIN_DUE -> plan("checkin", subject, settings.reviewDelayHours());
      case WebhookEvent.PLACEMENT_CONFIRMED -> {
        if (hostsReviewer(subject) && chance(subject, "extend", EXTEND_SHARE)) {
          plan("extend", subject, settings.stayDays() * 12);
        }
        if (hostsReviewer(subject) && chance(subject, "end", settings.endShare())) {
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
      String cursor = null;
      for (int page = 0; page < 20; page++) {
        Api.Answer q = api.get("queue", "/partner/queue" + (cursor == null ? "" : "?cursor=" + cursor), apiKey);
        if (!q.ok()) {
          return;
        }
        q.body().path("hostsToScreen").forEach(h -> plan("screen", h.get("id").asText(), settings.screeningHours()));
        q.body().path("proposalsToReview").forEach(m -> planReview(m.get("matchId").asText()));
        // Still waiting after its introduction was recorded: a trial stay (its webhook lost), decided now.
        q.body().path("acceptedToIntroduce").forEach(m -> plan(planned.contains("introduce:"
            + m.get("matchId").asText()) ? "trial-end" : "introduce", m.get("matchId").asText(),
            settings.placementHours() / 2));
        q.body().path("acceptedToPlace").forEach(m -> plan("place", m.get("matchId").asText(),
            settings.placementHours()));
        q.body().path("householdsOnHold").forEach(h -> plan("hold", h.get("id").asText(), settings.screeningHours()));
        q.body().path("checkInsDue").forEach(h -> plan("checkin", h.path("matchId").asText(), settings.reviewDelayHours()));
        q.body().path("handoversToDecide").forEach(h -> plan("handover-decide", h.get("caseId").asText() + "/"
            + h.get("handoverId").asText(), settings.screeningHours()));
        cursor = q.body().path("next").isTextual() ? q.body().path("next").asText() : null;
        if (cursor == null) {
          return;
        }
      }
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
    if (settling && !Set.of("review", "introduce", "trial-end", "place", "handover-decide").contains(action)) {
      planned.remove(action + ":" + id);
      return;
    }
    try {
      if (Set.of("screen", "hold").contains(action) && chance(id, "read", READ_SHARE)) {
        count("read_" + api.get("partner-read", "/partner/cases/" + id, apiKey).status());
      }
      Api.Answer a = switch (action) {
        case "screen" -> {
          boolean ok = chance(id, "approve", settings.approveShare());
          yield api.post("partner", "/partner/hosts/" + id + "/screening", apiKey, null, Json.write(ok
              ? Json.object().put("decision", "approved").put("reason", "intake_completed")
              : Json.object().put("decision", "rejected").put("reason",
                  chance(id, "why", 0.5) ? "no_separate_room" : "availability_too_short")));
        }
        case "review" -> review(id);
        case "introduce" -> introduce(id);
        case "trial-end" -> api.post("partner", "/partner/matches/" + id + "/introduction", apiKey, null,
            Json.write(Json.object().put("outcome", "go")));
        case "place" -> api.post("partner", "/partner/matches/" + id + "/placement", apiKey, null,
            Json.write(placement()));
        case "checkin" -> api.post("partner", "/partner/matches/" + id + "/checkin", apiKey, "checkin-" + id + "-"
            + Math.round(clock.simHours()),
            Json.write(Json.object().put("reason", chance(id, "concerns", 0.1) ? "concerns" : "ok")));
        case "extend" -> api.post("partner", "/partner/matches/" + id + "/stay", apiKey, null, Json.write(Json.object()
            .put("agreedEndDate", today.plusDays(MINIMUM_STAY_DAYS + 14).toString()).put("reason", "host_agreed")));
        case "end" -> api.post("partner", "/partner/matches/" + id + "/end", apiKey, null, Json.write(Json.object()
            .put("reason", END_REASONS.get((int) (unit(id, "end-reason") * END_REASONS.size())))));
        case "hold" -> api.post("partner", "/partner/cases/" + id + "/hold", apiKey, null, Json.write(Json.object()
            .put("decision", "close").put("reason", "duplicate_registration")));
        case "handover" -> api.post("partner", "/partner/cases/" + id + "/handover", apiKey, null, Json.write(
            Json.object().put("role", "guest_support").put("to", handsOverTo).put("reason", "language")));
        case "handover-decide" -> {
          String[] parts = id.split("/");
          // Every fourth is refused (a quarter, whatever the few a small rehearsal has): the sender keeps the case.
          boolean refuse = decided.incrementAndGet() % Math.round(1 / REFUSAL_SHARE) == 0;
          count(refuse ? "handover_refused" : "handover_accepted");
          yield api.post("partner", "/partner/cases/" + parts[0] + "/handovers/" + parts[1], apiKey, null,
              Json.write(refuse ? Json.object().put("decision", "refuse").put("reason", "capacity")
                  : Json.object().put("decision", "accept")));
        }
        default -> throw new IllegalStateException(action);
      };
      if (a != null) {
        count(action + "_" + a.status());
      }
    } catch (RuntimeException e) {
      count(action + "_error");
    }
  }

  /** The meeting's outcome: a no-go with its reason, a trial stay of a week, or a go; a settling rehearsal goes. */
  private Api.Answer introduce(String matchId) {
    ObjectNode body = Json.object();
    if (!settling && chance(matchId, "no-go", NO_GO_SHARE)) {
      body.put("outcome", "no_go").put("reason",
          NO_GO_REASONS.get((int) (unit(matchId, "no-go-reason") * NO_GO_REASONS.size())));
    } else if (!settling && chance(matchId, "trial", TRIAL_SHARE)) {
      body.put("outcome", "trial").put("decideBy", today.plusDays(7).toString());
    } else {
      body.put("outcome", "go");
    }
    count("introduction_" + body.get("outcome").asText());
    return api.post("partner", "/partner/matches/" + matchId + "/introduction", apiKey, null, Json.write(body));
  }

  private Api.Answer review(String matchId) {
    if (!settling && chance(matchId, "silent", settings.silentShare())) {
      // Left to expire; planned again (and reviewed) if it is still waiting when the rehearsal settles.
      planned.remove("review:" + matchId);
      count("review_left_to_expire");
      return null;
    }
    if (chance(matchId, "read", READ_SHARE)) {
      // The reviewer calls the household: its details, read as a holder or as the host's reviewer.
      Api.Answer match = api.get("partner-read", "/partner/matches/" + matchId, apiKey);
      if (match.ok()) {
        count("read_" + api.get("partner-read", "/partner/cases/" + match.body().path("guestId").asText(), apiKey)
            .status());
      }
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
          apiKey, null, json).status()));
    }
    return api.post("partner", "/partner/matches/" + matchId + "/review", apiKey, null, json);
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
    Api.Answer q = api.getOnce("queue", "/partner/queue", apiKey);
    if (!q.ok()) {
      return false;
    }
    if (q.body().path("proposalsToReview").size() + q.body().path("acceptedToIntroduce").size()
        + q.body().path("acceptedToPlace").size()
        + q.body().path("handoversToDecide").size() == 0) {
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
