package nl.onderdak.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import nl.onderdak.local.Faults;
import nl.onderdak.local.Consortium;
import nl.onderdak.local.LocalRuntime;
import nl.onderdak.local.SyntheticPeople;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The surge rehearsal: a spring-2022-sized surge through the whole local stack, over its real HTTP API,
 * with simulated partners and faults; then a reconciliation of what was sent against what the store holds,
 * and a report. See docs/rehearsal.md. Exits 0 when nothing was lost, duplicated or double-booked, 1 otherwise.
 */
public final class Rehearsal {
  private Rehearsal() {}

  public static void main(String[] args) {
    int code;
    java.io.PrintStream terminal = System.out;
    try {
      Settings settings = Settings.parse(args);
      Report report = run(settings);
      terminal.println(report.text());
      code = report.clean() ? 0 : 1;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      code = 2;
    } catch (Exception e) {
      e.printStackTrace();
      code = 2;
    }
    terminal.flush();
    // DynamoDB Local leaves non-daemon threads behind; end the JVM explicitly.
    Runtime.getRuntime().halt(code);
  }

  /** Runs the rehearsal (and, if asked, the same surge with greedy matching) and writes the report. */
  static Report run(Settings settings) throws Exception {
    Files.createDirectories(settings.out());
    java.io.OutputStream runtimeLog = logRuntimeTo(settings.out().resolve("runtime.log"));
    log("rehearsal: " + (settings.households() + settings.hosts()) + " registrations over " + settings.days()
        + " simulated days at " + settings.rate() + "/s; clock " + Math.round(settings.speed()) + "x; faults "
        + settings.faults());
    Run optimal = new Run(settings, "optimal").execute();
    Run greedy = null;
    if (settings.compareGreedy()) {
      // The first pass's report now (rewritten with the comparison at the end), so a long surge shows results early.
      new Report(settings, optimal, null).write(settings.out());
      System.out.flush();
      runtimeLog.flush();
      log("the same surge again, with greedy matching");
      greedy = new Run(settings, "greedy").execute();
    }
    Report report = new Report(settings, optimal, greedy);
    report.write(settings.out());
    System.out.flush();
    runtimeLog.flush();
    return report;
  }

  /**
   * The runtime's JSON log lines (hundreds of thousands in a surge) go to a file, buffered, rather than to the
   * terminal, which gets the report. Standard output stays redirected: the runtime's log tap wraps it once.
   */
  private static java.io.OutputStream logRuntimeTo(Path file) throws java.io.IOException {
    java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    System.setOut(new java.io.PrintStream(new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        this.out.write(b, off, len);
      }

      @Override
      public void flush() {
        // The tap flushes after every line; the file is flushed at the end.
      }
    }, false, java.nio.charset.StandardCharsets.UTF_8));
    return out;
  }

  static void log(String message) {
    System.err.println("[rehearsal " + Instant.now().toString().substring(11, 19) + "] " + message);
  }

  /** One pass of the surge through one runtime. */
  static final class Run {
    /** One registration as the client sent it, and the id the API gave it. */
    static final class Sent {
      final boolean host;
      final String key;
      final boolean repeatOfPerson;
      volatile String id;
      volatile int status;

      /** For a person's second registration (a new key): their first. */
      Sent first;

      Sent(boolean host, String key, boolean repeatOfPerson) {
        this.host = host;
        this.key = key;
        this.repeatOfPerson = repeatOfPerson;
      }
    }

    /** A sample of the machine and the runtime, every {@link #SAMPLE_SECONDS}. */
    record Sample(long wallMillis, double processCpu, double storageBusy, long matchingAgeMs, long caseEventsAgeMs,
        long webhookQueue, long behindMillis) {}

    /** DynamoDB Local runs every SQL statement on one thread; how busy it was since the last sample (0 to 1). */
    private double storageBusy() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu = 0;
      for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null && info.getThreadName().startsWith("SQLiteQueue")) {
          cpu += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        }
      }
      long now = System.nanoTime();
      double busy = lastStorageSampleAt == 0 || cpu < lastStorageCpu ? 0
          : (cpu - lastStorageCpu) / (double) (now - lastStorageSampleAt);
      lastStorageCpu = cpu;
      lastStorageSampleAt = now;
      return Math.min(1, busy);
    }

    private long lastStorageCpu;
    private long lastStorageSampleAt;

    /** A surge leaves a backlog on the streams; how long it may take to work it off before the rehearsal fails. */
    static final long SETTLE_LIMIT_MILLIS = 30 * 60_000;
    /** How often the machine and /ops are sampled (the operator page's figures cost a few queries each). */
    static final int SAMPLE_SECONDS = 10;
    final Settings settings;
    final String strategy;
    final SimClock clock;
    Api client;
    final List<Sent> sent = new ArrayList<>();
    final AtomicLong idempotencyBroken = new AtomicLong();
    final AtomicLong duplicatesSent = new AtomicLong();
    final AtomicLong behind = new AtomicLong();
    final List<SimulatedPartner> partners = new ArrayList<>();
    final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    final Map<String, Long> cpuByPart = new LinkedHashMap<>();
    final AtomicReference<LocalRuntime> runtime = new AtomicReference<>();
    Faults faults = Faults.NONE;
    Instant startedAt;
    /** When the partners wound down and the schedules stopped (simulated time, as the store records it). */
    Instant windDownAt;
    double arrivalsFromHours;
    long arrivalsFromWall;
    long arrivalsToWall;
    long restartedAtWall = -1;
    long restartMillis;
    JsonNode ops;
    StoreSnapshot store;
    long deadLetterQueue = -1;
    long failedStreamBatches;
    final List<String> settleNotes = new ArrayList<>();
    BotFlood flood;
    /** How many held cases the operator's list shows at the end ({@code GET /admin/quarantine}); -1 unread. */
    long heldListed = -1;
    private String adminToken;
    private DynamoDbClient dynamo;
    private LocalRuntime.Config config;
    private Path dataDir;

    Run(Settings settings, String strategy) {
      this.settings = settings;
      this.strategy = strategy;
      // One clock for the rehearsal and the runtime's functions: the same origin and speed (ScaledClock).
      this.clock = settings.timeOrigin() == null ? new SimClock(settings.speed())
          : new SimClock(settings.speed(), Instant.parse(settings.timeOrigin()));
    }

    Run execute() throws Exception {
      startedAt = Instant.now();
      client = startRuntime();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rehearsal-sampler");
        t.setDaemon(true);
        return t;
      });
      try {
        setUp(client);
        sampler.scheduleWithFixedDelay(() -> sample(client), 0, SAMPLE_SECONDS, TimeUnit.SECONDS);
        arrive(client);
        settle(client);
        sampler.shutdownNow();
        reconcileInputs(client);
        cpuByPart.putAll(cpuByThreadGroup());
        return this;
      } finally {
        sampler.shutdownNow();
        partners.forEach(SimulatedPartner::close);
        LocalRuntime r = runtime.get();
        try {
          if (r != null) {
            r.close();
          }
        } catch (RuntimeException e) {
          log(strategy + ": the runtime did not close cleanly: " + e);
        }
        if (dataDir != null) {
          deleteQuietly(dataDir);
        }
      }
    }

    /**
     * The template parameters that are waits. The functions' own clock runs at the rehearsal's speed (a proposal's
     * review time, a stay's check-ins and end are on it, unscaled); what runs on real time is scaled: the webhooks'
     * retry delays (SQS).
     */
    private Map<String, String> waits(double speed) {
      Map<String, String> parameters = new LinkedHashMap<>();
      parameters.put("ProposalReviewMinutes", Double.toString(settings.reviewHours() * 60));
      parameters.put("WebhookRetryScale", Double.toString(1 / speed));
      // With the bot flood, the form's fill time is on (a second of real time: the simulated people wait it, as
      // people take minutes); without, the people send at once.
      parameters.put("FormMinFillSeconds", Long.toString(fillMillis() / 1000));
      return parameters;
    }

    /** The runtime to rehearse against: started here (with a data folder, for the restart) or already running. */
    private Api startRuntime() throws Exception {
      if (settings.target() != null) {
        adminToken = settings.adminToken();
        if (adminToken == null || settings.dynamoDb() == null || settings.timeOrigin() == null) {
          throw new IllegalArgumentException("--target needs --admin-token, --dynamodb and --time-origin (the "
              + "runtime started with ONDERDAK_SCALE_TIME=true and that ONDERDAK_TIME_ORIGIN)");
        }
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(settings.dynamoDb())).region(Region.EU_WEST_1)
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        log("rehearsing against " + settings.target() + "; for this clock it must run with ONDERDAK_CLOCK_SPEED="
            + clock.speed() + " ONDERDAK_SCALE_TIME=true ONDERDAK_TIME_ORIGIN=" + clock.origin()
            + " ONDERDAK_PARAMETERS=" + String.join(",", waits(clock.speed()).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        Api api = new Api(settings.target(), clock);
        api.fillMillis = fillMillis();
        return api;
      }
      adminToken = "rehearsal-" + settings.seed();
      dataDir = settings.fault("restart") ? dataFolder() : null;
      double speed = clock.speed();
      Map<String, String> parameters = waits(speed);
      parameters.put("MatchingStrategy", strategy);
      if (settings.fault("function-failures")) {
        faults = new Faults(0.002);
      }
      config = new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, dataDir, adminToken)
          .withParameters(parameters).withClockSpeed(speed).withFaults(faults).withScaledTime(clock.origin());
      LocalRuntime started = LocalRuntime.start(config);
      runtime.set(started);
      config = config.withPorts(started.httpPort(), started.dynamoDbPort());
      dynamo = started.dynamoDb().client();
      Api api = new Api("http://localhost:" + started.httpPort(), clock);
      api.fillMillis = fillMillis();
      return api;
    }

    /** The form's fill time the rehearsal runs with: one second under the bot flood, none otherwise. */
    private long fillMillis() {
      return settings.fault("bot-flood") ? 1_000 : 0;
    }

    /**
     * The runtime's data folder, kept over the restart. In shared memory where the machine has it: the rehearsal
     * restarts the process, not the machine, and DynamoDB Local's SQLite on a disk would spend the run in fsync.
     */
    private static Path dataFolder() throws java.io.IOException {
      Path shm = Path.of("/dev/shm");
      return Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "onderdak-rehearsal-") : Files.createTempDirectory("onderdak-rehearsal-");
    }

    /** An operator's first morning: this year's targets, and the partners onboarded with their endpoints. */
    private void setUp(Api client) throws Exception {
      int year = clock.simDate().getYear();
      StringBuilder csv = new StringBuilder("region,year,homes,households,name\n");
      for (String[] p : SyntheticPeople.PROVINCES) {
        int weight = Integer.parseInt(p[1]);
        double share = weight / 100.0;
        csv.append(p[0]).append(',').append(year).append(',').append(Math.round(settings.hosts() * share * 0.5))
            .append(',').append(Math.round(settings.households() * share * 0.6)).append(",\n");
      }
      Api.Answer targets = client.put("admin", "/admin/targets", adminToken, "text/csv", csv.toString());
      if (!targets.ok()) {
        throw new IllegalStateException("targets: " + targets.status() + " " + targets.body());
      }
      double start = clock.simHours();
      double span = settings.days() * 24;
      List<SimulatedPartner.Window> north = new ArrayList<>();
      List<SimulatedPartner.Window> south = new ArrayList<>();
      List<SimulatedPartner.Window> cities = new ArrayList<>();
      // Each window lasts its simulated hours, but at least a few real seconds: at a small rehearsal's clock
      // (about 20,000x) ten simulated hours are under two seconds, which a busy machine's webhooks (or the restart)
      // can miss altogether, and the fault would not happen at all.
      double atLeast = clock.simHoursFor(FAULT_WINDOW_MIN_MILLIS);
      if (settings.fault("partner-down")) {
        north.add(new SimulatedPartner.Window("down", start + span * 0.3, start + span * 0.3 + Math.max(20, atLeast)));
      }
      if (settings.fault("partner-500")) {
        south.add(new SimulatedPartner.Window("500", start + span * 0.15, start + span * 0.15 + Math.max(10, atLeast)));
      }
      if (settings.fault("partner-429")) {
        cities.add(new SimulatedPartner.Window("429", start + span * 0.5, start + span * 0.5 + Math.max(8, atLeast)));
      }
      // The consortium: five organisations, each owning its steps in its regions (see Consortium), the faults on
      // the two aid organisations' endpoints and on the Randstad's.
      Map<String, List<SimulatedPartner.Window>> windows = Map.of(Consortium.NORTH, north, Consortium.SOUTH, south,
          Consortium.RANDSTAD, cities, Consortium.NATIONAL, new ArrayList<>(), Consortium.INTRODUCTIONS,
          new ArrayList<>());
      Map<String, String> ids = new LinkedHashMap<>();
      for (Consortium.Organisation o : Consortium.ORGANISATIONS) {
        SimulatedPartner p = new SimulatedPartner(o, o.roles().contains("screening"), settings, clock, client,
            windows.get(o.key()));
        partners.add(p);
        p.onboard(client, adminToken);
        ids.put(o.key(), p.partnerId);
      }
      Api.Answer routing = client.put("admin", "/admin/routing", adminToken, "application/json",
          Json.write(Consortium.routing(ids)));
      if (!routing.ok()) {
        throw new IllegalStateException("routing: " + routing.status() + " " + routing.body());
      }
      for (SimulatedPartner p : partners) {
        if (p.key.equals(Consortium.RANDSTAD)) {
          p.handsOverTo = ids.get(Consortium.NATIONAL);
        }
      }
    }

    /** A partner fault window lasts at least this long in real time. */
    static final long FAULT_WINDOW_MIN_MILLIS = 8_000;

    /** Registrations on the surge's curve, by concurrent clients; the restart half-way. */
    private void arrive(Api client) throws Exception {
      Random random = new Random(settings.seed());
      List<Arrivals.Arrival> schedule = Arrivals.schedule(settings.households(), settings.hosts(), settings.days(),
          random);
      SyntheticPeople people = new SyntheticPeople(random, clock.simDate(), settings.flexibleShare())
          .withShortAvailability(SHORT_AVAILABILITY_SHARE);
      int margin = dateMarginDays(clock);
      // Each person waits the form's fill time with a client in hand: more clients for as many as wait at once.
      int waitingClients = (int) Math.ceil(settings.rate() * fillMillis() / 1000.0 * 2);
      ExecutorService clients = Executors.newFixedThreadPool(settings.clients() + waitingClients, r -> {
        Thread t = new Thread(r, "rehearsal-client");
        t.setDaemon(true);
        return t;
      });
      ScheduledExecutorService later = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "rehearsal-client-late");
        t.setDaemon(true);
        return t;
      });
      arrivalsFromHours = clock.simHours();
      arrivalsFromWall = clock.wallMillis();
      int restartAt = settings.fault("restart") ? schedule.size() / 2 : -1;
      boolean dup = settings.fault("duplicates");
      boolean late = settings.fault("out-of-order");
      int[] floodAt = settings.fault("bot-flood") ? floodWindow(schedule, restartAt,
          clock.simHoursFor(FLOOD_MIN_MILLIS)) : new int[] {-1, -1};
      for (int i = 0; i < schedule.size(); i++) {
        Arrivals.Arrival a = schedule.get(i);
        if (i == restartAt) {
          restart();
        }
        if (i == floodAt[0]) {
          flood = new BotFlood(client.base(), clock, settings.rate(), fillMillis(), settings.seed());
          flood.start();
          log(strategy + ": bot flood from " + BotFlood.CLIENTS + " clients, arrivals " + floodAt[0] + " to "
              + floodAt[1]);
        }
        if (i == floodAt[1]) {
          flood.stop();
        }
        long due = arrivalsFromWall + clock.wallMillisFor(a.simHours());
        long wait = due - clock.wallMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        } else {
          behind.set(Math.max(behind.get(), -wait));
        }
        String path = a.host() ? "/registrations/hosts" : "/registrations/guests";
        String ref = (a.host() ? "host-" : "household-") + a.number() + "-" + settings.seed();
        // Dates from today on the shared clock, a margin ahead: a repeat sent seconds later (hours, simulated) must
        // not find its dates in the past.
        LocalDate from = clock.simDate().plusDays(margin);
        String body = Json.write(a.host() ? people.host(ref, a.number(), from) : people.household(ref, from));
        Sent s = new Sent(a.host(), "rehearsal-" + ref, false);
        sent.add(s);
        clients.execute(() -> register(client, path, s, body));
        double roll = random.nextDouble();
        if (dup && roll < 0.03) {
          // The client sends it again with the same key: a double click now, or a retry of a lost answer later.
          duplicatesSent.incrementAndGet();
          Runnable again = () -> {
            Api.Answer second = client.register(path, s.key, body);
            if (second.ok() && s.id != null && !s.id.equals(second.body().path("id").asText())) {
              idempotencyBroken.incrementAndGet();
            }
          };
          if (late && roll < 0.015) {
            later.schedule(again, 500 + random.nextInt(4_000), TimeUnit.MILLISECONDS);
          } else {
            clients.execute(again);
          }
        } else if (dup && !a.host() && roll < 0.04) {
          // The same person registers again, on another device (a new key): kept, put on hold, closed by a partner.
          Sent repeat = new Sent(false, "rehearsal-again-" + ref, true);
          repeat.first = s;
          sent.add(repeat);
          later.schedule(() -> register(client, path, repeat, body), 1_000 + random.nextInt(3_000),
              TimeUnit.MILLISECONDS);
        }
      }
      if (flood != null && flood.toWall < 0) {
        flood.stop();
      }
      later.shutdown();
      later.awaitTermination(2, TimeUnit.MINUTES);
      clients.shutdown();
      clients.awaitTermination(30, TimeUnit.MINUTES);
      arrivalsToWall = clock.wallMillis();
      log(strategy + ": " + sent.size() + " registrations sent in " + (arrivalsToWall - arrivalsFromWall) / 1000
          + " s");
    }

    /**
     * Where the bot flood runs: from the start of the densest tenth of the arrivals (the peak) for that tenth, but at
     * least {@code minSimHours}, clear of the restart (a client that finds the runtime down during it would be counted
     * as a check that failed). Arrival indices, from and until.
     */
    static int[] floodWindow(List<Arrivals.Arrival> schedule, int restartAt, double minSimHours) {
      int width = Math.max(20, schedule.size() / 10);
      int best = -1;
      double bestSpan = Double.MAX_VALUE;
      for (int i = 0; i + width < schedule.size(); i++) {
        int end = end(schedule, i, width, minSimHours);
        if (restartAt >= 0 && restartAt >= i - width / 4 && restartAt <= end + width / 4) {
          continue;
        }
        double span = schedule.get(i + width).simHours() - schedule.get(i).simHours();
        if (span < bestSpan) {
          bestSpan = span;
          best = i;
        }
      }
      int from = Math.max(0, best);
      return new int[] {from, end(schedule, from, width, minSimHours)};
    }

    private static int end(List<Arrivals.Arrival> schedule, int from, int width, double minSimHours) {
      int end = Math.min(schedule.size() - 1, from + width);
      while (end < schedule.size() - 1 && schedule.get(end).simHours() - schedule.get(from).simHours() < minSimHours) {
        end++;
      }
      return end;
    }

    /** The share of hosts who offer a few weeks only: their availability ends within the rehearsal. */
    static final double SHORT_AVAILABILITY_SHARE = 0.08;

    /** Days ahead of today that registrations' dates start: more than the real seconds a repeat comes later. */
    static int dateMarginDays(SimClock clock) {
      return 1 + (int) Math.ceil(clock.simHoursFor(6_000) / 24);
    }

    /** The bot flood lasts at least this long in real time. */
    static final long FLOOD_MIN_MILLIS = 12_000;

    /** The fake cases the bot flood left in the store (none without it). */
    /** The flood's cases in the store: the hidden-field ones (held) and the too-fast ones that arrived late. */
    Set<String> fakeIds() {
      if (flood == null) {
        return Set.of();
      }
      Set<String> all = new java.util.HashSet<>(flood.fakeIds);
      all.addAll(flood.lateIds);
      return all;
    }

    private void register(Api client, String path, Sent s, String body) {
      Api.Answer answer = client.register(path, s.key, body);
      s.status = answer.status();
      if (answer.ok()) {
        String id = answer.body().path("id").asText(null);
        synchronized (s) {
          if (s.id != null && !s.id.equals(id)) {
            idempotencyBroken.incrementAndGet();
          }
          s.id = id;
        }
      }
    }

    /** The local runtime stops and starts again on the same ports, with its data folder kept. */
    private void restart() throws Exception {
      long from = clock.wallMillis();
      restartedAtWall = from;
      log(strategy + ": restarting the local runtime (data folder kept)");
      runtime.get().close();
      LocalRuntime again = null;
      for (int attempt = 1; again == null; attempt++) {
        try {
          again = LocalRuntime.start(config);
        } catch (Exception e) {
          // A port of the stopped runtime not let go of yet: an operator would start it again shortly, too.
          if (attempt == 5) {
            throw e;
          }
          log(strategy + ": the runtime did not start (" + e.getMessage() + "); again in 3 s");
          Thread.sleep(3000);
        }
      }
      runtime.set(again);
      dynamo = again.dynamoDb().client();
      restartMillis = clock.wallMillis() - from;
      log(strategy + ": runtime back after " + restartMillis + " ms");
    }

    /**
     * The process runs on for the tail days; then the faults end, the partners wind down (they review and place
     * what is proposed, but screen no new hosts), and the rehearsal waits until the chain is at rest: every
     * stream mapping idle, the webhook queue empty, nothing waiting for a partner, the figures still.
     */
    private void settle(Api client) throws Exception {
      long tail = clock.wallMillisFor(settings.tailDays() * 24);
      Thread.sleep(tail);
      partners.forEach(SimulatedPartner::endFaults);
      // The stays' clock stops with the partners' work on stays (an operator disables the schedules): from here the
      // chain only finishes what is in hand. What the stays must show is judged at this instant.
      windDownAt = clock.simInstant();
      LocalRuntime local = runtime.get();
      if (local != null) {
        local.pauseSchedules();
      } else {
        log(strategy + ": the target runtime's schedules run on while it settles; it may not come to rest");
      }
      partners.forEach(SimulatedPartner::settle);
      long settleFrom = clock.wallMillis();
      // Settled: every stream mapping idle (nothing in hand, nothing read for 2 s), the webhook queue empty,
      // and the operator page's figures unchanged over three looks three seconds apart.
      long deadline = clock.wallMillis() + SETTLE_LIMIT_MILLIS;
      String last = "";
      int stableFor = 0;
      while (clock.wallMillis() < deadline) {
        Thread.sleep(3_000);
        JsonNode data = ops(client);
        if (data == null) {
          continue;
        }
        long queued = 0;
        for (JsonNode q : data.path("queues")) {
          if (q.path("name").asText().equals("WebhookQueue")) {
            queued = q.path("visible").asLong() + q.path("inFlight").asLong() + q.path("delayed").asLong();
          }
        }
        boolean idle = queued == 0;
        for (JsonNode s : data.path("streams")) {
          idle &= s.path("idle").asBoolean(false);
        }
        for (SimulatedPartner p : partners) {
          idle = idle && p.nothingPending();
        }
        String now = Json.write(data.path("picture").path("funnel")) + "|" + Json.write(data.path("failedStreamBatches"));
        stableFor = idle && now.equals(last) ? stableFor + 1 : 0;
        if (!idle && (clock.wallMillis() - settleFrom) / 3_000 % 20 == 19) {
          // About once a minute while it does not settle: what waits, and on whom.
          partners.stream().filter(p -> !p.pending.isEmpty()).forEach(p -> log(strategy + ": waiting on " + p.name
              + ": " + p.pending.substring(0, Math.min(300, p.pending.length())) + " " + new java.util.TreeMap<>(
              p.actions)));
        }
        last = now;
        if (stableFor >= 3) {
          log(strategy + ": settled " + (clock.wallMillis() - settleFrom) / 1000 + " s after the partners wound down");
          partners.forEach(SimulatedPartner::stopActing);
          return;
        }
      }
      partners.forEach(SimulatedPartner::stopActing);
      settleNotes.add("the runtime did not settle within " + SETTLE_LIMIT_MILLIS / 60_000 + " minutes after the partners wound down");
    }

    /**
     * What the operator page shows: the runtime's AWS figures ({@code /ops/data.json}) with the product's own
     * operator routes it draws ({@code picture} from {@code GET /admin/picture}, {@code chain} from
     * {@code GET /admin/chain}); null when any of them does not answer.
     */
    private JsonNode ops(Api client) {
      Api.Answer a = client.getOnce("ops", "/ops/data.json", adminToken);
      Api.Answer picture = client.getOnce("ops", "/admin/picture", adminToken);
      Api.Answer chain = client.getOnce("ops", "/admin/chain", adminToken);
      if (!a.ok() || !picture.ok() || !chain.ok()) {
        return null;
      }
      com.fasterxml.jackson.databind.node.ObjectNode out = (com.fasterxml.jackson.databind.node.ObjectNode) a.body();
      out.set("picture", picture.body());
      out.set("chain", chain.body());
      return out;
    }

    private void sample(Api client) {
      try {
        JsonNode data = ops(client);
        long matching = 0;
        long caseEvents = 0;
        long webhooks = 0;
        if (data != null) {
          for (JsonNode s : data.path("streams")) {
            long age = s.path("iteratorAgeMs").asLong();
            if (s.path("mapping").asText().startsWith("MatchingFunction")) {
              matching = Math.max(matching, age);
            } else if (s.path("mapping").asText().startsWith("CaseEventsFunction")) {
              caseEvents = Math.max(caseEvents, age);
            }
          }
          for (JsonNode q : data.path("queues")) {
            if (q.path("name").asText().equals("WebhookQueue")) {
              webhooks = q.path("visible").asLong() + q.path("delayed").asLong();
            }
          }
        }
        double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuLoad() : -1;
        samples.add(new Sample(clock.wallMillis(), cpu, storageBusy(), matching, caseEvents, webhooks,
            behind.getAndSet(0)));
      } catch (RuntimeException e) {
        // Sampling must never stop the rehearsal.
      }
    }

    /** What the reconciliation compares: the store, the dead-letter queue, the stream failures, /ops. */
    private void reconcileInputs(Api client) {
      SamTemplate template = SamTemplate.load(SamTemplate.locateFile());
      store = StoreSnapshot.read(dynamo, template.physicalName("CasesTable"), template.physicalName("PartnersTable"));
      ops = ops(client);
      Api.Answer held = client.get("admin", "/admin/quarantine?limit=5000", adminToken);
      heldListed = held.ok() ? held.body().path("cases").size() : -1;
      LocalRuntime r = runtime.get();
      if (r != null) {
        String url = r.queueUrl("WebhookDeadLetterQueue");
        deadLetterQueue = Long.parseLong(r.sqsClient().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
            "ApproximateNumberOfMessages")).attributesAsStrings().getOrDefault("ApproximateNumberOfMessages", "0"));
        failedStreamBatches = r.failedBatches(template.physicalName("CaseStreamFailureQueue")).size();
      } else if (ops != null) {
        for (JsonNode q : ops.path("queues")) {
          if (q.path("name").asText().equals("WebhookDeadLetterQueue")) {
            deadLetterQueue = q.path("visible").asLong();
          }
        }
        ops.path("failedStreamBatches").forEach(n -> failedStreamBatches += n.asLong());
      }
    }

    /** CPU time of this JVM's threads, by what they do (the rehearsal's own threads included, named apart). */
    private static Map<String, Long> cpuByThreadGroup() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<String, Long> out = new ConcurrentHashMap<>();
      for (long id : threads.getAllThreadIds()) {
        var info = threads.getThreadInfo(id);
        long cpu = threads.getThreadCpuTime(id);
        if (info == null || cpu <= 0) {
          continue;
        }
        out.merge(part(info.getThreadName()), cpu / 1_000_000, Long::sum);
      }
      Map<String, Long> sorted = new LinkedHashMap<>();
      out.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> sorted.put(e.getKey(), e.getValue()));
      return sorted;
    }

    static String part(String thread) {
      if (thread.startsWith("http-gateway")) {
        return "HTTP layer and API functions";
      }
      if (thread.startsWith("SQLiteQueue")) {
        return "DynamoDB Local's SQLite thread";
      }
      if (thread.startsWith("qtp") || thread.contains("DynamoDB")) {
        return "DynamoDB Local (request threads)";
      }
      if (thread.startsWith("stream-")) {
        return "stream functions (matching, case events)";
      }
      if (thread.startsWith("sqs-") || thread.startsWith("webhook-delivery")) {
        return "webhook delivery";
      }
      if (thread.startsWith("schedule-")) {
        return "scheduled functions";
      }
      if (thread.startsWith("elasticmq") || thread.contains("pekko")) {
        return "SQS engine (ElasticMQ)";
      }
      if (thread.startsWith("partner-") || thread.startsWith("rehearsal") || thread.startsWith("HttpClient")) {
        return "rehearsal (clients, simulated partners)";
      }
      if (thread.startsWith("C1 ") || thread.startsWith("C2 ") || thread.contains("GC") || thread.contains("Compiler")) {
        return "JVM (JIT, GC)";
      }
      return "other";
    }

    private static void deleteQuietly(Path dir) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (Exception ignored) {
        // A temporary folder; the OS cleans it up eventually.
      }
    }
  }
}
