package nl.onderdak.matching.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a household was left unmatched, in codes a coordinator can act on, and the supply and demand
 * per province behind it.
 *
 * <p>For each unmatched household the approved hosts in the regions it accepts go through the hard
 * rules in order; the first rule that leaves none is the reason ({@code NO_HOST_WITH_ENOUGH_BEDS},
 * {@code NO_HOST_WELCOMES_PETS}, ...). If some hosts pass every rule, they were all given to other
 * households: {@code ELIGIBLE_HOSTS_ALL_TAKEN}, which is a matter of supply, not of fit.
 */
public final class Explanations {
  private Explanations() {}

  /** The reason codes, in funnel order. */
  public enum Reason {
    NO_APPROVED_HOST_IN_REGIONS,
    NO_HOST_WITH_ENOUGH_BEDS,
    NO_HOST_WELCOMES_CHILDREN,
    NO_HOST_WELCOMES_PETS,
    NO_STEP_FREE_HOST,
    NO_SMOKE_FREE_HOST,
    NO_HOST_AVAILABLE_ON_DATES,
    ONLY_DECLINED_HOSTS,
    ELIGIBLE_HOSTS_ALL_TAKEN
  }

  /**
   * @param funnel how many approved hosts in the accepted regions were left after each rule, in order:
   *     regions, beds, children, pets, step-free, smoking, dates, not declined
   */
  public record Unmatched(int household, Reason reason, int[] funnel) {
    /** A short text for people: "12 approved hosts in its regions, 3 with enough beds, 0 welcome pets". */
    public String detail() {
      String[] labels = {"approved hosts in its regions", "with enough beds", "welcome children", "welcome pets",
          "step-free", "smoke-free", "available on its dates", "not declined before"};
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < funnel.length; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(funnel[i]).append(' ').append(labels[i]);
        if (funnel[i] == 0) {
          break;
        }
      }
      return sb.toString();
    }
  }

  /** Per province: who wants to live there, what is on offer, what was placed. */
  public record RegionPicture(String province, int householdsWanting, int personsWanting, int approvedHosts,
      int beds, int placed, Map<Reason, Integer> unmatchedByReason) {}

  public static List<Unmatched> unmatched(MatchProblem problem, Assignment assignment) {
    boolean[] placed = new boolean[problem.households().size()];
    assignment.pairs().forEach(p -> placed[p.household()] = true);
    List<Unmatched> out = new ArrayList<>();
    for (int h = 0; h < placed.length; h++) {
      if (!placed[h]) {
        out.add(explain(problem, h));
      }
    }
    return out;
  }

  static Unmatched explain(MatchProblem problem, int h) {
    Household household = problem.households().get(h);
    Policy policy = problem.policy();
    int[] funnel = new int[8];
    for (int o = 0; o < problem.hosts().size(); o++) {
      HostOffer host = problem.hosts().get(o);
      if (!host.approved() || (!household.acceptsOtherRegions() && !household.prefersProvince(host.province()))) {
        continue;
      }
      Rules.Rule broken = Rules.firstBroken(household, host, policy);
      int passed = broken == null ? 7 : switch (broken) {
        case BEDS -> 1;
        case CHILDREN -> 2;
        case PETS -> 3;
        case STEP_FREE -> 4;
        case SMOKING -> 5;
        case DATES -> 6;
        default -> 0;
      };
      if (broken == null && !problem.declined(h, o)) {
        passed = 8;
      }
      for (int i = 0; i < passed; i++) {
        funnel[i]++;
      }
    }
    Reason reason = Reason.ELIGIBLE_HOSTS_ALL_TAKEN;
    for (int i = 0; i < funnel.length; i++) {
      if (funnel[i] == 0) {
        reason = Reason.values()[i];
        break;
      }
    }
    return new Unmatched(h, reason, funnel);
  }

  public static List<RegionPicture> regions(MatchProblem problem, Assignment assignment, List<Unmatched> unmatched) {
    int[] households = new int[Provinces.COUNT];
    int[] persons = new int[Provinces.COUNT];
    int[] hosts = new int[Provinces.COUNT];
    int[] beds = new int[Provinces.COUNT];
    int[] placed = new int[Provinces.COUNT];
    List<Map<Reason, Integer>> reasons = new ArrayList<>();
    for (int p = 0; p < Provinces.COUNT; p++) {
      reasons.add(new LinkedHashMap<>());
    }
    for (Household h : problem.households()) {
      if (h.preferredProvinces().length > 0) {
        households[h.preferredProvinces()[0]]++;
        persons[h.preferredProvinces()[0]] += h.persons();
      }
    }
    for (HostOffer o : problem.hosts()) {
      if (o.approved()) {
        hosts[o.province()]++;
        beds[o.province()] += o.beds();
      }
    }
    for (Assignment.Pair pair : assignment.pairs()) {
      placed[problem.hosts().get(pair.host()).province()]++;
    }
    for (Unmatched u : unmatched) {
      Household h = problem.households().get(u.household());
      if (h.preferredProvinces().length > 0) {
        reasons.get(h.preferredProvinces()[0]).merge(u.reason(), 1, Integer::sum);
      }
    }
    List<RegionPicture> out = new ArrayList<>();
    for (int p = 0; p < Provinces.COUNT; p++) {
      if (households[p] + hosts[p] > 0) {
        out.add(new RegionPicture(Provinces.code(p), households[p], persons[p], hosts[p], beds[p], placed[p],
            reasons.get(p)));
      }
    }
    return out;
  }
}
