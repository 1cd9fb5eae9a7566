package nl.onderdak.core.chain;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The stays' clock, on a schedule: a stay whose agreed end is {@code endingSoonDays} away or nearer is told to its
 * support organisation and leads ({@code stay.ending_soon}), so that what comes next is prepared before the end; a
 * stay still running after its agreed end with no end or extension recorded raises {@code case.alert}
 * ({@code stay_past_agreed_end}). Each once per agreed end, through the programme's {@link StayStep}; the placed
 * matches are read per province from the {@code ByPool} index ({@code match#placed#<province>}). And an approved host
 * whose availability has ended leaves the pool by itself ({@link WithdrawalStep#availabilityEnded}). And check-ins:
 * each due one ({@code CheckInDays} after the move-in, then every {@code CheckInEveryDays}) is sent to the
 * household's support organisation ({@code stay.checkin_due}), one per run and stay. And a trial stay of an
 * introduction whose decide-by date passed undecided raises {@code case.alert} ({@code trial_decision_overdue}).
 */
public final class StayWatch {
  /** Check-ins: 3 days and 2 weeks after the move-in, then monthly (the host-family programme's rhythm). */
  public static final java.util.List<Integer> DEFAULT_CHECKIN_DAYS = java.util.List.of(3, 14);
  public static final int DEFAULT_CHECKIN_EVERY_DAYS = 30;

  private final Chain chain;
  private final int endingSoonDays;
  private final java.util.List<Integer> checkInDays;
  private final int checkInEveryDays;

  public StayWatch(Chain chain, int endingSoonDays) {
    this(chain, endingSoonDays, DEFAULT_CHECKIN_DAYS, DEFAULT_CHECKIN_EVERY_DAYS);
  }

  /**
   * @param checkInDays days after the move-in of the first check-ins, in order
   * @param checkInEveryDays after the last of those, one every so many days
   */
  public StayWatch(Chain chain, int endingSoonDays, java.util.List<Integer> checkInDays, int checkInEveryDays) {
    this.chain = chain;
    this.endingSoonDays = endingSoonDays;
    this.checkInDays = java.util.List.copyOf(checkInDays);
    this.checkInEveryDays = checkInEveryDays;
  }

  /**
   * What one run did ({@code endingSoon}, {@code pastEnd}, {@code hostsEnded}, {@code checkInsDue}: notices sent now)
   * and found: per province, the stays whose agreed end is near, those of them with no next step recorded for it,
   * and those past it ({@code endingByProvince}, {@code unplannedByProvince}, {@code pastByProvince}, every stay
   * counted, told before or not): the coordinators' gauges.
   */
  public record Outcome(int placed, int endingSoon, int pastEnd, int hostsEnded, int checkInsDue, int trialsOverdue,
      Map<String, Integer> endingByProvince, Map<String, Integer> pastByProvince,
      Map<String, Integer> unplannedByProvince) {}

  /** The day after the move-in on which check-in number {@code n} (1, 2, …) is due. */
  public int checkInDay(long n) {
    if (n <= checkInDays.size()) {
      return checkInDays.get((int) n - 1);
    }
    int last = checkInDays.isEmpty() ? 0 : checkInDays.get(checkInDays.size() - 1);
    return last + (int) (n - checkInDays.size()) * checkInEveryDays;
  }

  public Outcome run() {
    return run(Regions.provinces().keySet());
  }

  /** The same, in these provinces only. */
  public Outcome run(java.util.Set<String> provinces) {
    LocalDate today = LocalDate.ofInstant(chain.clock().instant(), ZoneOffset.UTC);
    int placed = 0;
    int soon = 0;
    int past = 0;
    int hostsEnded = 0;
    int due = 0;
    int trials = 0;
    Map<String, Integer> ending = new java.util.TreeMap<>();
    Map<String, Integer> pastByProvince = new java.util.TreeMap<>();
    Map<String, Integer> unplanned = new java.util.TreeMap<>();
    for (String province : provinces) {
      ending.put(province, 0);
      pastByProvince.put(province, 0);
      unplanned.put(province, 0);
      hostsEnded += availabilityEnded(province, today);
      trials += trialsOverdue(province, today);
      for (var item : chain.store().pool("match#placed#" + province)) {
        MatchView m = MatchView.of(item);
        placed++;
        StayStep stay = Programmes.of(m.str("hostProgramme")).step(StayStep.class);
        // The index copy decides whether anything is due; a decision reads the match itself (strongly, and the
        // transaction is conditioned on its version). At most one decision per stay per run: the next run, an hour
        // later, takes the next one.
        String end = m.str("agreedEndDate");
        LocalDate agreed = end == null ? null : LocalDate.parse(end); // null: a provider's home without one
        boolean pastEnd = agreed != null && today.isAfter(agreed);
        boolean endingSoon = agreed != null && !pastEnd && !today.isBefore(agreed.minusDays(endingSoonDays));
        if (pastEnd) {
          pastByProvince.merge(province, 1, Integer::sum);
        } else if (endingSoon) {
          ending.merge(province, 1, Integer::sum);
          if (!StayStep.nextStepKnown(m)) {
            unplanned.merge(province, 1, Integer::sum);
          }
        }
        String moveIn = m.str("moveInDate");
        long next = m.num("checkInsDue") + 1;
        // The most urgent first: a stay past its end, then a check-in, then an end that is near.
        if (pastEnd && !end.equals(m.str("pastEndFor"))
            && stay.clock(chain, chain.store().match(m.id()), StayStep.PAST_END)) {
          past++;
        } else if (moveIn != null && !today.isBefore(LocalDate.parse(moveIn).plusDays(checkInDay(next)))
            && stay.checkInDue(chain, chain.store().match(m.id()), next)) {
          due++;
        } else if (endingSoon && !end.equals(m.str("endingSoonFor"))
            && stay.clock(chain, chain.store().match(m.id()), StayStep.ENDING_SOON)) {
          soon++;
        }
      }
    }
    return new Outcome(placed, soon, past, hostsEnded, due, trials, ending, pastByProvince, unplanned);
  }

  /** Accepted matches of the province on a trial stay whose decide-by date has passed with no outcome. */
  private int trialsOverdue(String province, LocalDate today) {
    int n = 0;
    for (var item : chain.store().pool("match#accepted#" + province)) {
      MatchView m = MatchView.of(item);
      String by = m.str("decideBy");
      if (!IntroductionStep.TRIAL.equals(m.str("introduction")) || by == null || !today.isAfter(LocalDate.parse(by))
          || by.equals(m.str("trialOverdueFor"))) {
        continue;
      }
      MatchView now = chain.store().match(m.id());
      IntroductionStep step = Programmes.of(now.str("hostProgramme")).step(IntroductionStep.class);
      if (step != null && step.trialOverdue(chain, MatchParties.read(chain.store(), now))) {
        n++;
      }
    }
    return n;
  }

  /** Approved hosts of the province whose last available day is before today: each withdrawn by the clock. */
  private int availabilityEnded(String province, LocalDate today) {
    int ended = 0;
    for (var item : chain.store().pool("host#approved#" + province)) {
      var profile = item.get("profile");
      var until = profile == null || !profile.hasM() ? null : profile.m().get("availableUntil");
      if (until == null || !LocalDate.parse(until.s()).isBefore(today)) {
        continue;
      }
      CaseView host = chain.store().caseView(Attr.str(item, "caseId"));
      if (host != null && host.programmeDefinition().step(WithdrawalStep.class).availabilityEnded(chain, host)) {
        ended++;
      }
    }
    return ended;
  }

  /** SnapStart's prime: the query of a pool that never exists (nothing read, nothing written). */
  public void prime() {
    chain.store().dynamo().query(QueryRequest.builder().tableName(chain.store().tables().cases()).indexName("ByPool")
        .keyConditionExpression("poolKey = :pool")
        .expressionAttributeValues(Map.of(":pool", Attr.s("match#placed#PRIMING"))).limit(1).build());
  }

  public int endingSoonDays() {
    return endingSoonDays;
  }
}
