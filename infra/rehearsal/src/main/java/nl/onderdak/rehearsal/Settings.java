package nl.onderdak.rehearsal;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to rehearse. Times named in hours or days are on the rehearsal's clock (simulated time); the clock
 * runs {@link #speed()} times faster than real time, chosen so that the arrivals come at {@code rate}
 * registrations per second on average.
 */
record Settings(
    int households, int hosts, double days, double rate, double tailDays,
    double reviewHours, double flexibleShare,
    double screeningHours, double reviewDelayHours, double placementHours, double stayDays,
    double approveShare, double declineShare, double silentShare, double endShare,
    Set<String> faults, long seed, boolean compareGreedy, int clients, Path out,
    String target, String adminToken, String dynamoDb, String timeOrigin) {

  /** Every fault the rehearsal can switch on. */
  static final List<String> ALL_FAULTS = List.of("partner-down", "partner-500", "partner-429", "duplicates",
      "out-of-order", "function-failures", "restart", "bot-flood");

  static final String USAGE = """
      java -jar infra/rehearsal/target/onderdak-rehearsal.jar [options]
        --households N        households that register (8000: about 22,000 people)
        --hosts N             hosts that register (12000)
        --days D              simulated days the arrivals span (30)
        --rate R              registrations per second, on average, in real time (20: what 2 cores sustain)
        --tail-days D         simulated days the process runs on after the last arrival (10; --small: 20)
        --review-hours H      ProposalReviewMinutes as hours: a proposal expires unreviewed after H (72)
        --flexible-share F    share of households that accept a place outside their regions (0.35)
        --screening-hours H   partners screen a host after about H (36)
        --review-delay-hours H  partners review a proposal after about H (10)
        --placement-hours H   partners confirm a move-in after about H (36)
        --stay-days D         stays are agreed for about D days (20, --small 14; at least the minimum stay, 14)
        --approve-share F     hosts approved at screening (0.6; 40% dropped out in 2022)
        --decline-share F     proposals declined (0.12), with the real reason codes
        --silent-share F      proposals nobody reviews, which expire (0.04)
        --end-share F         stays that break down, ending well before their agreed end (0.06)
        --faults LIST         all, none, or some of: partner-down,partner-500,partner-429,duplicates,
                              out-of-order,function-failures,restart,bot-flood (all)
        --seed N              (2022)
        --no-greedy           skip the second run with greedy matching
        --clients N           concurrent clients (24)
        --out DIR             where the report goes (target/rehearsal)
        --target URL          rehearse against a runtime already running (e.g. http://localhost:3000);
                              needs --admin-token and --dynamodb; restart and function-failures are then off
        --admin-token T       that runtime's admin token
        --dynamodb URL        that runtime's DynamoDB Local (http://localhost:8000)
        --time-origin T       the instant that runtime's scaled clock starts from (its ONDERDAK_TIME_ORIGIN, with
                              ONDERDAK_SCALE_TIME=true): the rehearsal's clock runs from the same one
        --small               a few hundred registrations in about two minutes (what CI runs)
      """;

  static Settings parse(String[] args) {
    Settings s = defaults();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(USAGE);
        System.exit(0);
      }
      if (a.equals("--small")) {
        s = s.small();
        continue;
      }
      if (a.equals("--no-greedy")) {
        s = s.with("compareGreedy", "false");
        continue;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
      s = s.with(a.substring(2), args[++i]);
    }
    if (s.target != null) {
      Set<String> faults = new LinkedHashSet<>(s.faults);
      faults.remove("restart");
      faults.remove("function-failures");
      s = new Settings(s.households, s.hosts, s.days, s.rate, s.tailDays, s.reviewHours, s.flexibleShare,
          s.screeningHours, s.reviewDelayHours, s.placementHours, s.stayDays, s.approveShare, s.declineShare,
          s.silentShare, s.endShare, faults, s.seed, false, s.clients, s.out, s.target, s.adminToken, s.dynamoDb,
          s.timeOrigin);
    }
    return s;
  }

  static Settings defaults() {
    return new Settings(8_000, 12_000, 30, 20, 10, 72, 0.35, 36, 10, 36, 20, 0.6, 0.12, 0.04, 0.06,
        new LinkedHashSet<>(ALL_FAULTS), 2022, true, 24, Path.of("target", "rehearsal"), null, null, null, null);
  }

  /**
   * A few hundred registrations, every fault on, in about two minutes: the rehearsal CI runs. Its stays are agreed
   * for the minimum (14 days) and its tail is long enough (20 days) for most of them to come to their agreed end.
   */
  Settings small() {
    return new Settings(220, 200, 8, 12, 20, reviewHours, flexibleShare, screeningHours, reviewDelayHours,
        placementHours, 14, approveShare, declineShare, silentShare, endShare, faults, seed, compareGreedy,
        8, out, target, adminToken, dynamoDb, timeOrigin);
  }

  /** How many simulated seconds pass per real second. */
  double speed() {
    double wallSeconds = (households + hosts) / rate;
    return Math.max(1, days * 86_400 / wallSeconds);
  }

  boolean fault(String name) {
    return faults.contains(name);
  }

  Settings with(String name, String value) {
    int households = this.households;
    int hosts = this.hosts;
    double days = this.days;
    double rate = this.rate;
    double tailDays = this.tailDays;
    double reviewHours = this.reviewHours;
    double flexibleShare = this.flexibleShare;
    double screeningHours = this.screeningHours;
    double reviewDelayHours = this.reviewDelayHours;
    double placementHours = this.placementHours;
    double stayDays = this.stayDays;
    double approveShare = this.approveShare;
    double declineShare = this.declineShare;
    double silentShare = this.silentShare;
    double endShare = this.endShare;
    Set<String> faults = this.faults;
    long seed = this.seed;
    boolean compareGreedy = this.compareGreedy;
    int clients = this.clients;
    Path out = this.out;
    String target = this.target;
    String adminToken = this.adminToken;
    String dynamoDb = this.dynamoDb;
    String timeOrigin = this.timeOrigin;
    switch (name) {
      case "households" -> households = positive(name, Integer.parseInt(value));
      case "hosts" -> hosts = positive(name, Integer.parseInt(value));
      case "days" -> days = positive(name, Double.parseDouble(value));
      case "rate" -> rate = positive(name, Double.parseDouble(value));
      case "tail-days" -> tailDays = Double.parseDouble(value);
      case "review-hours" -> reviewHours = positive(name, Double.parseDouble(value));
      case "flexible-share" -> flexibleShare = share(name, value);
      case "screening-hours" -> screeningHours = Double.parseDouble(value);
      case "review-delay-hours" -> reviewDelayHours = Double.parseDouble(value);
      case "placement-hours" -> placementHours = Double.parseDouble(value);
      case "stay-days" -> stayDays = positive(name, Double.parseDouble(value));
      case "approve-share" -> approveShare = share(name, value);
      case "decline-share" -> declineShare = share(name, value);
      case "silent-share" -> silentShare = share(name, value);
      case "end-share" -> endShare = share(name, value);
      case "faults" -> {
        faults = new LinkedHashSet<>();
        if (value.equals("all")) {
          faults.addAll(ALL_FAULTS);
        } else if (!value.equals("none")) {
          for (String f : value.split(",")) {
            if (!ALL_FAULTS.contains(f.strip())) {
              throw new IllegalArgumentException("unknown fault " + f + "; known: " + ALL_FAULTS);
            }
            faults.add(f.strip());
          }
        }
      }
      case "seed" -> seed = Long.parseLong(value);
      case "compareGreedy" -> compareGreedy = Boolean.parseBoolean(value);
      case "clients" -> clients = positive(name, Integer.parseInt(value));
      case "out" -> out = Path.of(value);
      case "target" -> target = value.replaceAll("/+$", "");
      case "admin-token" -> adminToken = value;
      case "dynamodb" -> dynamoDb = value;
      case "time-origin" -> timeOrigin = java.time.Instant.parse(value).toString();
      default -> throw new IllegalArgumentException("unknown option --" + name + "\n" + USAGE);
    }
    return new Settings(households, hosts, days, rate, tailDays, reviewHours, flexibleShare, screeningHours,
        reviewDelayHours, placementHours, stayDays, approveShare, declineShare, silentShare, endShare, faults, seed,
        compareGreedy, clients, out, target, adminToken, dynamoDb, timeOrigin);
  }

  private static int positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException("--" + name + " must be positive");
    }
    return v;
  }

  private static double positive(String name, double v) {
    if (!(v > 0)) {
      throw new IllegalArgumentException("--" + name + " must be positive");
    }
    return v;
  }

  private static double share(String name, String value) {
    double v = Double.parseDouble(value);
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("--" + name + " is a share between 0 and 1");
    }
    return v;
  }
}
