package nl.onderdak.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import nl.onderdak.core.json.Json;
import nl.onderdak.local.SyntheticPeople;

/**
 * The {@code bot-flood} fault: a few clients flood the public registration routes during the peak of the surge, as
 * scripts do, each request one of the ways a script gets it wrong (or right):
 * <ul>
 *   <li>{@code no_ticket}: straight to the API, without the form's ticket;
 *   <li>{@code forged_ticket}: a ticket of its own making;
 *   <li>{@code too_fast}: a real ticket, sent at once (no person fills the form in under a second);
 *   <li>{@code reused_ticket}: a ticket another registration already spent;
 *   <li>{@code hidden_field}: a real ticket, the fill time waited, and every field filled in, the hidden one too
 *       (what a form-filling bot does). The one kind the API accepts: stored, answered like any other, and held.
 * </ul>
 * Each client sends at the real people's average rate (over {@link #CONNECTIONS} connections at once), so the flood
 * is several times the real traffic. What the
 * flood did is counted here; what it left in the store is the reconciliation's ({@link Report}).
 */
final class BotFlood {
  static final int CLIENTS = 3;
  /** Each client's connections at once: a script does not wait for one answer before the next request. */
  static final int CONNECTIONS = 4;

  enum Kind {
    NO_TICKET, FORGED_TICKET, TOO_FAST, REUSED_TICKET, HIDDEN_FIELD;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How often each kind is tried (out of 20). */
  private static final Kind[] MIX = {
      Kind.NO_TICKET, Kind.NO_TICKET, Kind.NO_TICKET, Kind.NO_TICKET, Kind.NO_TICKET, Kind.NO_TICKET,
      Kind.FORGED_TICKET, Kind.FORGED_TICKET, Kind.FORGED_TICKET,
      Kind.TOO_FAST, Kind.TOO_FAST, Kind.TOO_FAST, Kind.TOO_FAST,
      Kind.REUSED_TICKET, Kind.REUSED_TICKET, Kind.REUSED_TICKET,
      Kind.HIDDEN_FIELD, Kind.HIDDEN_FIELD, Kind.HIDDEN_FIELD, Kind.HIDDEN_FIELD};

  private final String base;
  private final SimClock clock;
  private final double perClientRate;
  private final long fillMillis;
  private final long seed;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService waiting = Executors.newScheduledThreadPool(2, daemon("rehearsal-bot-wait"));
  private final List<Thread> clients = new ArrayList<>();
  private final AtomicReference<String> spentTicket = new AtomicReference<>();
  private volatile boolean running;

  final Map<Kind, AtomicLong> sent = counters();
  /** Answered as the checks should: refused {@code 400 form_ticket_refused}, or (hidden field) accepted. */
  final Map<Kind, AtomicLong> asExpected = counters();
  /** Answered otherwise (a script's registration accepted, a 5xx, no answer): what must not happen. */
  final Map<Kind, AtomicLong> otherwise = counters();
  /** The ids the API gave the hidden-field registrations: fake cases in the store. */
  final Set<String> fakeIds = ConcurrentHashMap.newKeySet();
  /**
   * The too-fast registrations the API accepted when the whole exchange (ticket, then registration) had taken longer
   * than the fill time on a loaded machine: not judged, but stored cases of the flood's.
   */
  final Set<String> lateIds = ConcurrentHashMap.newKeySet();
  /** Every bot request's latency (ms), for the report. */
  final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
  volatile long fromWall = -1;
  volatile long toWall = -1;

  BotFlood(String base, SimClock clock, double perClientRate, long fillMillis, long seed) {
    this.base = base;
    this.clock = clock;
    this.perClientRate = perClientRate;
    this.fillMillis = fillMillis;
    this.seed = seed;
  }

  void start() {
    running = true;
    fromWall = clock.wallMillis();
    for (int c = 0; c < CLIENTS * CONNECTIONS; c++) {
      int connection = c;
      Thread t = daemon("rehearsal-bot-" + c).newThread(() -> flood(connection));
      clients.add(t);
      t.start();
    }
  }

  void stop() throws InterruptedException {
    running = false;
    for (Thread t : clients) {
      t.join(30_000);
    }
    waiting.shutdown();
    waiting.awaitTermination(fillMillis + 30_000, TimeUnit.MILLISECONDS);
    toWall = clock.wallMillis();
  }

  long total(Map<Kind, AtomicLong> counts) {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private void flood(int client) {
    Random random = new Random(seed * 31 + client);
    SyntheticPeople people = new SyntheticPeople(random, clock.simDate(), 0.5);
    int margin = Rehearsal.Run.dateMarginDays(clock);
    long pause = Math.max(1, Math.round(1000 * CONNECTIONS / perClientRate));
    for (int n = 0; running; n++) {
      Kind kind = MIX[random.nextInt(MIX.length)];
      boolean host = random.nextBoolean();
      String ref = "bot-" + client + "-" + n + "-" + seed;
      LocalDate from = clock.simDate().plusDays(margin);
      ObjectNode body = host ? people.host(ref, 1_000_000 + client * 100_000 + n, from) : people.household(ref, from);
      String path = host ? "/registrations/hosts" : "/registrations/guests";
      try {
        send(kind, path, body);
      } catch (RuntimeException e) {
        otherwise.get(kind).incrementAndGet();
      }
      Api.sleep(pause);
    }
  }

  private void send(Kind kind, String path, ObjectNode body) {
    sent.get(kind).incrementAndGet();
    switch (kind) {
      case NO_TICKET -> expectRefused(kind, post(path, null, body));
      case FORGED_TICKET -> expectRefused(kind, post(path, Long.toHexString(new Random().nextLong()) + "00ff", body));
      case TOO_FAST -> {
        long asked = System.nanoTime();
        String ticket = ticket();
        HttpResponse<String> r = ticket == null ? null : post(path, ticket, body);
        long roundTrip = (System.nanoTime() - asked) / 1_000_000;
        if (r != null && r.statusCode() == 201 && roundTrip >= fillMillis) {
          // From asking for the ticket to the answer took longer than the fill time: the server may have seen the
          // ticket old enough, so its yes is no failure of the check (a slow machine); the case is a stored fake.
          lateIds.add(Json.parse(r.body()).path("id").asText());
          return;
        }
        expectRefused(kind, r);
      }
      case REUSED_TICKET -> {
        String spent = spentTicket.get();
        expectRefused(kind, post(path, spent, body));
      }
      case HIDDEN_FIELD -> {
        String ticket = ticket();
        if (ticket == null) {
          otherwise.get(kind).incrementAndGet();
          return;
        }
        body.put("website", "http://cheap-pills.example/");
        waiting.schedule(() -> {
          HttpResponse<String> r = post(path, ticket, body);
          if (r != null && r.statusCode() == 201) {
            fakeIds.add(Json.parse(r.body()).path("id").asText());
            spentTicket.set(ticket);
            asExpected.get(kind).incrementAndGet();
          } else {
            otherwise.get(kind).incrementAndGet();
          }
        }, fillMillis + 50, TimeUnit.MILLISECONDS);
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  private void expectRefused(Kind kind, HttpResponse<String> r) {
    boolean refused = false;
    if (r != null && r.statusCode() == 400) {
      JsonNode problem = Json.parse(r.body());
      refused = "form_ticket_refused".equals(problem.path("code").asText());
    }
    (refused ? asExpected : otherwise).get(kind).incrementAndGet();
  }

  private String ticket() {
    HttpResponse<String> r = request(HttpRequest.newBuilder(URI.create(base + "/registrations/tickets"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()));
    return r != null && r.statusCode() == 201 ? Json.parse(r.body()).path("ticket").asText() : null;
  }

  private HttpResponse<String> post(String path, String ticket, ObjectNode body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (ticket != null) {
      b.header("Form-Ticket", ticket);
    }
    return request(b);
  }

  private HttpResponse<String> request(HttpRequest.Builder b) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      latencies.add((System.nanoTime() - started) / 1_000_000);
      return r;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static Map<Kind, AtomicLong> counters() {
    Map<Kind, AtomicLong> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      out.put(k, new AtomicLong());
    }
    return out;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
