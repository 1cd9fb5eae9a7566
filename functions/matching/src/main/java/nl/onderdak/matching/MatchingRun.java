package nl.onderdak.matching;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.RegistrationItems;
import nl.onderdak.core.support.Secrets;
import nl.onderdak.matching.engine.Assignment;
import nl.onderdak.matching.engine.Explanations;
import nl.onderdak.matching.engine.HostOffer;
import nl.onderdak.matching.engine.Household;
import nl.onderdak.matching.engine.MatchProblem;
import nl.onderdak.matching.engine.OptimalMatcher;
import nl.onderdak.matching.engine.Policy;
import nl.onderdak.matching.engine.Provinces;
import nl.onderdak.matching.engine.Rules;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One matching run for a set of provinces: the approved hosts there, and every open household that
 * would accept a place there; solved exactly; the pairs proposed in conditional transactions of up to twenty
 * (each pair on its own when a group loses a race).
 * When a proposal loses a race (another run, a partner) the run reads the pools again and solves
 * again, so it never writes a half match and never books anyone twice. A run that is repeated, or
 * retried after a crash, finds the proposed cases no longer in the pools and proposes nothing twice.
 */
public final class MatchingRun {
  static final int ATTEMPTS = 4;
  static final int UNMATCHED_LISTED = 200;
  private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

  private final MatchStore store;
  private final Clock clock;
  private final int minimumStayDays;
  private final RunLog runLog;
  private final java.util.function.Function<MatchProblem, Assignment> solver;

  /**
   * The solver a strategy names: {@code optimal} (the default, and always in AWS) or {@code greedy}, first
   * come first served, which exists only so that the surge rehearsal can compare the two on one surge.
   */
  public static java.util.function.Function<MatchProblem, Assignment> solver(String strategy) {
    if (strategy == null || strategy.isBlank() || strategy.equals("optimal")) {
      return OptimalMatcher::solve;
    }
    if (strategy.equals("greedy")) {
      return nl.onderdak.matching.engine.GreedyMatcher::solve;
    }
    throw new IllegalArgumentException("MATCHING_STRATEGY is optimal or greedy, not " + strategy);
  }

  /** Where each run's picture of a province is kept for coordinators. */
  public interface RunLog {
    void record(String province, ObjectNode picture);
  }

  public MatchingRun(MatchStore store, Clock clock, int minimumStayDays, RunLog runLog) {
    this(store, clock, minimumStayDays, runLog, OptimalMatcher::solve);
  }

  public MatchingRun(MatchStore store, Clock clock, int minimumStayDays, RunLog runLog,
      java.util.function.Function<MatchProblem, Assignment> solver) {
    this.solver = solver;
    this.store = store;
    this.clock = clock;
    this.minimumStayDays = minimumStayDays;
    this.runLog = runLog;
  }

  /** What a run did. */
  public record Outcome(int proposals, int unmatched, int attempts, int lostRaces, Map<String, PoolSize> pools) {}

  /** How many open households and approved hosts a province had when it was solved. */
  public record PoolSize(int households, int hosts) {}

  /**
   * Runs for these provinces.
   *
   * @param mustConsider cases that triggered the run: read strongly consistently, in case the pool
   *     index has not caught up with them yet
   */
  public Outcome run(Collection<String> provinces, Collection<String> mustConsider) {
    int proposals = 0;
    int lostRaces = 0;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Pools pools = read(new TreeSet<>(provinces), mustConsider);
      Instant now = clock.instant();
      int today = (int) LocalDate.now(clock.withZone(ZONE)).toEpochDay();
      MatchProblem problem = new MatchProblem(pools.households, pools.hosts, new Policy(today, minimumStayDays),
          pools.declined);
      Assignment assignment = solver.apply(problem);
      String runId = "R-" + now.toEpochMilli() + "-" + attempt;
      boolean lost = false;
      List<MatchStore.Proposal> planned = new ArrayList<>();
      for (Assignment.Pair pair : assignment.pairs()) {
        Household h = problem.households().get(pair.household());
        HostOffer o = problem.hosts().get(pair.host());
        Map<String, AttributeValue> guestItem = pools.items.get(h.id());
        Map<String, AttributeValue> hostItem = pools.items.get(o.id());
        Rules.Score score = Rules.scoreOf(h, o, problem.policy());
        Map<String, Integer> parts = new LinkedHashMap<>();
        parts.put("language", score.language());
        parts.put("region", score.region());
        parts.put("size", score.size());
        parts.put("waiting", score.waiting());
        MatchStore.Proposal proposal = MatchStore.Proposal.of(matchId(h.id(), o.id(), guestItem), guestItem, hostItem,
            pair.score(), parts, runId);
        planned.add(proposal);
      }
      List<MatchStore.Proposal> written = new ArrayList<>();
      List<Boolean> outcomes = store.proposeAll(planned, now);
      for (int i = 0; i < planned.size(); i++) {
        if (outcomes.get(i)) {
          proposals++;
          written.add(planned.get(i));
        } else {
          lost = true;
          lostRaces++;
        }
      }
      if (lost) {
        continue; // someone else moved a case we counted on: read the pools again and solve again
      }
      List<Explanations.Unmatched> unmatched = Explanations.unmatched(problem, assignment);
      Set<Integer> solved = new HashSet<>();
      provinces.forEach(p -> solved.add(Provinces.index(p)));
      for (Explanations.Unmatched u : unmatched) {
        Household h = problem.households().get(u.household());
        if (!allItsRegionsIn(h, solved)) {
          // This run saw only some of the regions the household accepts, so its explanation ("353 approved hosts
          // in its regions") would be partial, and would flap with every run of another scope: the rehearsal
          // showed a thousand rewrites per run. A run over all of its regions explains it.
          continue;
        }
        Map<String, AttributeValue> item = pools.items.get(h.id());
        if (u.reason().name().equals(Attr.str(item, "unmatchedReason"))
            && java.util.Objects.equals(u.detail(), Attr.str(item, "unmatchedDetail"))) {
          // Says this already (as read): no write. Most of a large pool is unchanged from run to run, and a
          // conditional write per household per run made every run O(pool) writes.
          continue;
        }
        if (store.recordUnmatched(h.id(), Attr.num(item, "version"), u.reason().name(), u.detail(), now)) {
          // Only when the explanation changes: "why was this household not matched" is then one query away.
          ObjectNode line = nl.onderdak.function.JsonLog.line("INFO", "household not matched");
          line.put("correlationId", h.id()).put("reason", u.reason().name()).put("detail", u.detail())
              .put("runId", "R-" + now.toEpochMilli() + "-" + attempt);
          nl.onderdak.function.JsonLog.write(line);
        }
      }
      recordPictures(provinces, problem, assignment, unmatched, written, runId, now);
      return new Outcome(proposals, unmatched.size(), attempt, lostRaces, poolSizes(provinces, pools));
    }
    return new Outcome(proposals, -1, ATTEMPTS, lostRaces, Map.of());
  }

  /** Whether a run over these provinces saw every region the household accepts. */
  static boolean allItsRegionsIn(Household h, Set<Integer> provinces) {
    if (h.acceptsOtherRegions()) {
      return provinces.size() >= Provinces.CODES.size();
    }
    for (int p : h.preferredProvinces()) {
      if (!provinces.contains(p)) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, PoolSize> poolSizes(Collection<String> provinces, Pools pools) {
    Map<String, PoolSize> sizes = new java.util.TreeMap<>();
    for (String province : provinces) {
      int households = 0;
      int hosts = 0;
      for (Map<String, AttributeValue> item : pools.items.values()) {
        if (province.equals(Attr.str(item, "region"))) {
          if ("guest".equals(Attr.str(item, "kind"))) {
            households++;
          } else {
            hosts++;
          }
        }
      }
      sizes.put(province, new PoolSize(households, hosts));
    }
    return sizes;
  }

  /** The same pair proposed from the same state gets the same id; a new state gets a new one. */
  static String matchId(String guestId, String hostId, Map<String, AttributeValue> guestItem) {
    String digest = Secrets.sha256Hex(guestId + "|" + hostId + "|" + Attr.num(guestItem, "version"));
    return "M-" + digest.substring(0, 16).toUpperCase();
  }

  private record Pools(List<Household> households, List<HostOffer> hosts, Set<String> declined,
      Map<String, Map<String, AttributeValue>> items) {}

  private Pools read(Set<String> provinces, Collection<String> mustConsider) {
    Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
    for (String province : provinces) {
      for (Map<String, AttributeValue> item : store.pool(CaseKind.HOST, "approved", province)) {
        items.put(Attr.str(item, "caseId"), item);
      }
    }
    // Households filed under any province may accept these provinces: read every open pool.
    for (String province : Provinces.CODES) {
      for (Map<String, AttributeValue> item : store.pool(CaseKind.GUEST, "open", province)) {
        items.put(Attr.str(item, "caseId"), item);
      }
    }
    items.putAll(store.caseItems(mustConsider));
    List<Household> households = new ArrayList<>();
    List<HostOffer> hosts = new ArrayList<>();
    Set<String> declined = new HashSet<>();
    Set<Integer> wanted = new HashSet<>();
    provinces.forEach(p -> wanted.add(Provinces.index(p)));
    items.values().removeIf(item -> {
      String status = Attr.str(item, "status");
      // A case a trigger named is read by id, not from its pool: one held out of matching is left out here too.
      return nl.onderdak.core.chain.Quarantine.reason(item) != null || !("guest".equals(Attr.str(item, "kind")) && "open".equals(status))
          && !("host".equals(Attr.str(item, "kind")) && "approved".equals(status));
    });
    for (Map<String, AttributeValue> item : items.values()) {
      if ("host".equals(Attr.str(item, "kind"))) {
        HostOffer host = CasePools.host(item);
        if (wanted.contains(host.province())) {
          hosts.add(host);
        }
      } else {
        Household h = CasePools.household(item);
        boolean accepts = h.acceptsOtherRegions();
        for (int p : h.preferredProvinces()) {
          accepts |= wanted.contains(p);
        }
        if (accepts) {
          households.add(h);
          CasePools.declinedHosts(item).forEach(host -> declined.add(h.id() + "|" + host));
        }
      }
    }
    return new Pools(households, hosts, declined, items);
  }

  private void recordPictures(Collection<String> provinces, MatchProblem problem, Assignment assignment,
      List<Explanations.Unmatched> unmatched, List<MatchStore.Proposal> written, String runId, Instant now) {
    for (Explanations.RegionPicture picture : Explanations.regions(problem, assignment, unmatched)) {
      if (!provinces.contains(picture.province())) {
        continue;
      }
      ObjectNode json = Json.object()
          .put("region", picture.province())
          .put("runId", runId)
          .put("at", now.toString())
          .put("householdsWanting", picture.householdsWanting())
          .put("personsWanting", picture.personsWanting())
          .put("approvedHosts", picture.approvedHosts())
          .put("beds", picture.beds())
          .put("proposed", picture.placed());
      ObjectNode reasons = json.putObject("unmatchedByReason");
      picture.unmatchedByReason().forEach((reason, count) -> reasons.put(reason.name(), count));
      ArrayNode proposed = json.putArray("proposals");
      for (MatchStore.Proposal w : written) {
        if (w.hostRegion().equals(picture.province()) && proposed.size() < UNMATCHED_LISTED) {
          ObjectNode entry = proposed.addObject().put("matchId", w.matchId()).put("guestId", w.guestId())
              .put("hostId", w.hostId()).put("score", w.score());
          ObjectNode parts = entry.putObject("scoreParts");
          w.scoreParts().forEach(parts::put);
        }
      }
      // The longest-waiting first; the list is capped (the counts above are complete) to keep the item small.
      ArrayNode households = json.putArray("unmatched");
      int listed = 0;
      for (Explanations.Unmatched u : unmatched) {
        Household h = problem.households().get(u.household());
        if (h.preferredProvinces().length > 0 && Provinces.code(h.preferredProvinces()[0]).equals(picture.province())
            && listed++ < UNMATCHED_LISTED) {
          households.addObject().put("id", h.id()).put("reason", u.reason().name()).put("detail", u.detail());
        }
      }
      runLog.record(picture.province(), json);
    }
  }
}
