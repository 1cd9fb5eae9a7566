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
 * confirms move-ins with an agreed end, and carries the stays (the host's reviewer): the next step when the end
 * nears (a re-match, a home of their own, a return, or an extension asked and agreed), the end on its date, a few
 * stays that break down early; the support organisation's check-ins, with concerns and incidents (a safety or
 * exploitation incident sometimes ends the stay at once: an urgent re-placement). It closes households put on hold as
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
  /** What follows a stay, as the host's reviewer records it when the end nears (an extension only once). */
  static final List<String> NEXT_STEPS = List.of("rematch", "own_home", "returned", "extension_asked");
  static final double[] NEXT_STEP_SHARES = {0.4, 0.3, 0.1, 0.2};
  /** Check-ins: the share with concerns, and with an incident (of the six categories, equally). */
  static final double CONCERNS_SHARE = 0.1;
  static final double INCIDENT_SHARE = 0.05;
  static final List<String> INCIDENTS = List.of("incident_safety", "incident_health", "incident_conflict",
      "incident_exploitation", "incident_living_conditions", "incident_other");
  /** Of the safety and exploitation incidents, the share that ends the stay at once (an urgent re-placement). */
  static final double REPLACE_SHARE = 0.5;
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
  /** The template's default minimum stay: the shortest stay agreed (a host's availability covers it). */
  static final int MINIMUM_STAY_DAYS = 14;
  /** The stays this organisation carries as the host's reviewer: match → its agreed end, its next step. */
  private final Map<String, String> ends = new ConcurrentHashMap<>();
  private final Map<String, String> nextSteps = new ConcurrentHashMap<>();
  private final Set<String> extended = ConcurrentHashMap.newKeySet();
  /** Introductions this organisation recorded as a trial stay: decided (go) later. */
  private final Set<String> onTrial = ConcurrentHashMap.newKeySet();

  /**
   * A move-in today (on the shared clock), the stay agreed for about {@code --stay-days}, at least the minimum;
   * {@code shortest}: the minimum, which the host's availability covers (matching saw to that).
   */
  private ObjectNode placement(String matchId, boolean shortest) {
    LocalDate today = clock.simDate();
    long days = shortest ? MINIMUM_STAY_DAYS
        : Math.max(MINIMUM_STAY_DAYS, Math.round(settings.stayDays() * (0.5 + unit(matchId, "stay-length"))));
    return Json.object().put("moveInDate", today.toString()).put("agreedEndDate", today.plusDays(days).toString());
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
          Json.write(placement(matchId, true)));
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
      case WebhookEvent.STAY_CHECKIN_DUE -> plan("checkin", subject + "@" + data.path("checkIn").asLong(),
          settings.reviewDelayHours());
      case WebhookEvent.PLACEMENT_CONFIRMED -> {
        if (hostsReviewer(subject)) {
          String end = data.path("agreedEndDate").asText();
          ends.put(subject, end);
          planEnd(subject, end);
          if (chance(subject, "break", settings.endShare())) {
            // It breaks down a third of the way in: ended early, the household re-placed.
            long days = java.time.temporal.ChronoUnit.DAYS.between(LocalDate.parse(data.path("moveInDate").asText()),
                LocalDate.parse(end));
            plan("break", subject, days * 24 / 3.0);
          }
        }
      }
      case WebhookEvent.STAY_ENDING_SOON -> {
        if (hostsReviewer(subject)) {
          plan("next", subject + "@" + data.path("agreedEndDate").asText(), settings.reviewDelayHours());
        }
      }
      case WebhookEvent.STAY_NEXT_STEP -> {
        nextSteps.put(subject, data.path("nextStep").asText());
        if ("extension_asked".equals(data.path("nextStep").asText()) && hostsReviewer(subject)) {
          plan("extend", subject, settings.placementHours() / 2);
        }
      }
      case WebhookEvent.PLACEMENT_END_CHANGED -> {
        if (hostsReviewer(subject)) {
          ends.put(subject, data.path("agreedEndDate").asText());
          planEnd(subject, data.path("agreedEndDate").asText());
        }
      }
      case WebhookEvent.CASE_ALERT -> {
        // Past its agreed end with nothing recorded (an end lost in an outage): the host's reviewer ends it now.
        if ("stay_past_agreed_end".equals(data.path("alert").asText()) && hostsReviewer(subject)) {
          plan("stay-end", subject + "@" + data.path("agreedEndDate").asText() + "@alert", 2);
        }
      }
      case WebhookEvent.PLACEMENT_ENDED -> {
        ends.remove(subject);
        nextSteps.remove(subject);
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
        q.body().path("acceptedToIntroduce").forEach(m -> plan(onTrial.contains(m.get("matchId").asText())
            ? "trial-end" : "introduce", m.get("matchId").asText(), settings.placementHours() / 2));
        q.body().path("acceptedToPlace").forEach(m -> plan("place", m.get("matchId").asText(),
            settings.placementHours()));
        q.body().path("householdsOnHold").forEach(h -> plan("hold", h.get("id").asText(), settings.screeningHours()));
        // A check-in due that no webhook brought (one per day at most from here).
        q.body().path("checkInsDue").forEach(h -> plan("checkin", h.path("matchId").asText() + "@" + clock.simDate(),
            settings.reviewDelayHours()));
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

  /**
   * The stay's end on its agreed date (in the day, on the shared clock), by the host's reviewer; planned again for a
   * new end when it is moved.
   */
  private void planEnd(String matchId, String end) {
    if (!acting || end == null || end.isEmpty() || !planned.add("stay-end:" + matchId + "@" + end)) {
      return;
    }
    java.time.Instant at = LocalDate.parse(end).atStartOfDay(ZoneOffset.UTC).toInstant()
        .plusSeconds(Math.round(3600 * (6 + 12 * unit(matchId + end, "end-hour"))));
    work.schedule(() -> act("stay-end", matchId + "@" + end), clock.wallMillisUntil(at), TimeUnit.MILLISECONDS);
  }

  /** How the stay ends, from its next step: a re-match (or an extension that was not agreed) is a new place. */
  private String endReason(String matchId) {
    String next = nextSteps.getOrDefault(matchId, "rematch");
    return switch (next) {
      case "own_home", "returned" -> next;
      default -> "needs_new_place";
    };
  }

  /** The actions that bring a proposal to a move-in (and a handover to its decision): what a settling chain finishes. */
  private static final Set<String> PIPELINE = Set.of("review", "introduce", "trial-end", "place", "handover-decide");

  private void act(String action, String id) {
    if (!acting) {
      return;
    }
    if (settling && !PIPELINE.contains(action)) {
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
        case "place" -> place(id);
        case "checkin" -> checkIn(id);
        case "next" -> next(id);
        case "extend" -> extend(id);
        case "break" -> api.post("partner", "/partner/matches/" + id + "/end", apiKey, null, Json.write(Json.object()
            .put("reason", "needs_new_place")));
        case "stay-end" -> {
          String[] parts = id.split("@");
          String current = ends.get(parts[0]);
          if (current != null && current.compareTo(parts[1]) > 0) {
            yield null; // extended meanwhile: its new end is planned
          }
          yield api.post("partner", "/partner/matches/" + parts[0] + "/end", apiKey, null, Json.write(Json.object()
              .put("reason", endReason(parts[0]))));
        }
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
        if (!a.ok() && PIPELINE.contains(action)) {
          // Refused now (out of turn, or a date off): the next look at the queue plans it again.
          planned.remove(action + ":" + id);
        }
      }
    } catch (RuntimeException e) {
      count(action + "_error");
      if (PIPELINE.contains(action)) {
        planned.remove(action + ":" + id);
      }
    }
  }

  /** The move-in, agreed for the stay's length; when that is past the host's availability, for the minimum. */
  private Api.Answer place(String matchId) {
    Api.Answer a = api.post("partner", "/partner/matches/" + matchId + "/placement", apiKey, null,
        Json.write(placement(matchId, false)));
    if (a.status() == 400 && a.body().toString().contains("agreedEndDate")) {
      count("place_shortened_to_availability");
      a = api.post("partner", "/partner/matches/" + matchId + "/placement", apiKey, null,
          Json.write(placement(matchId, true)));
    }
    if (a.status() == 400 && a.body().toString().contains("agreedEndDate")) {
      // Weeks passed since the proposal and what is left of the host's availability is shorter than the minimum
      // stay: the host's organisation withdraws the offer, and the household goes back to the pool.
      Api.Answer m = api.get("partner", "/partner/matches/" + matchId, apiKey);
      if (m.ok()) {
        Api.Answer w = api.post("partner", "/partner/cases/" + m.body().path("hostId").asText() + "/withdraw", apiKey,
            null, Json.write(Json.object().put("reason", "no_longer_available")));
        count("host_withdrawn_availability_too_short_" + w.status());
        return w;
      }
    }
    return a;
  }

  /** A check-in as it went: mostly fine, some concerns, a few incidents; some safety incidents end the stay. */
  private Api.Answer checkIn(String id) {
    String matchId = id.split("@")[0];
    double u = unit(id, "checkin");
    ObjectNode body = Json.object();
    if (u < INCIDENT_SHARE) {
      String category = INCIDENTS.get((int) (unit(id, "incident") * INCIDENTS.size()));
      boolean alerting = category.equals("incident_safety") || category.equals("incident_exploitation");
      body.put("reason", category).put("severity", alerting ? "high" : "medium");
      if (alerting && chance(id, "replace", REPLACE_SHARE)) {
        body.put("replace", true);
      }
      count("checkin_" + category + (body.has("replace") ? "_replaced" : ""));
    } else {
      body.put("reason", u < INCIDENT_SHARE + CONCERNS_SHARE ? "concerns" : "ok");
    }
    return api.post("partner", "/partner/matches/" + matchId + "/checkin", apiKey, "checkin-" + id, Json.write(body));
  }

  /** The next step for the coming end: a re-match, a home of their own, a return, or an extension (once). */
  private Api.Answer next(String id) {
    String matchId = id.split("@")[0];
    double u = unit(id, "next-step");
    String step = NEXT_STEPS.get(NEXT_STEPS.size() - 1);
    double upTo = 0;
    for (int i = 0; i < NEXT_STEPS.size(); i++) {
      upTo += NEXT_STEP_SHARES[i];
      if (u < upTo) {
        step = NEXT_STEPS.get(i);
        break;
      }
    }
    if (step.equals("extension_asked") && extended.contains(matchId)) {
      step = "rematch";
    }
    count("next_" + step);
    return api.post("partner", "/partner/matches/" + matchId + "/next", apiKey, null, Json.write(Json.object()
        .put("reason", step)));
  }

  /** The host agrees to two to four weeks more; past its availability that is refused, and a re-match follows. */
  private Api.Answer extend(String matchId) {
    String end = ends.get(matchId);
    if (end == null || !extended.add(matchId)) {
      return null;
    }
    long more = 14 + Math.round(14 * unit(matchId, "extension"));
    Api.Answer a = api.post("partner", "/partner/matches/" + matchId + "/stay", apiKey, null, Json.write(Json.object()
        .put("agreedEndDate", LocalDate.parse(end).plusDays(more).toString()).put("reason", "host_agreed")));
    if (a.status() == 400) {
      nextSteps.put(matchId, "rematch");
      api.post("partner", "/partner/matches/" + matchId + "/next", apiKey, null, Json.write(Json.object()
          .put("reason", "rematch")));
    }
    return a;
  }

  /** The meeting's outcome: a no-go with its reason, a trial stay of a week, or a go; a settling rehearsal goes. */
  private Api.Answer introduce(String matchId) {
    ObjectNode body = Json.object();
    if (!settling && chance(matchId, "no-go", NO_GO_SHARE)) {
      body.put("outcome", "no_go").put("reason",
          NO_GO_REASONS.get((int) (unit(matchId, "no-go-reason") * NO_GO_REASONS.size())));
    } else if (!settling && chance(matchId, "trial", TRIAL_SHARE)) {
      body.put("outcome", "trial").put("decideBy", clock.simDate().plusDays(7).toString());
      onTrial.add(matchId);
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
    StringBuilder waiting = new StringBuilder();
    for (String section : List.of("proposalsToReview", "acceptedToIntroduce", "acceptedToPlace", "handoversToDecide")) {
      q.body().path(section).forEach(row -> waiting.append(section).append(' ').append(row.path("matchId").asText(
          row.path("caseId").asText())).append("; "));
    }
    pending = waiting.toString();
    if (pending.isEmpty()) {
      return true;
    }
    catchUp();
    return false;
  }

  /** What waited on this partner at the last look ({@link #nothingPending}), for the rehearsal's log. */
  volatile String pending = "";

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
