package nl.onderdak.matching.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One matching instance: open households, host offers, the policy of the day and the pairs declined
 * before. Hosts are laid out per province in flat arrays, so that walking every eligible pair (which
 * the exact solver does to prove its answer) is a tight loop over primitives.
 */
public final class MatchProblem {
  /** Needs a household has, as bits a host must offer. */
  private static final int CHILDREN = 1;
  private static final int PETS = 2;
  private static final int STEP_FREE = 4;
  private static final int SMOKE_FREE = 8;

  private final List<Household> households;
  private final List<HostOffer> hosts;
  private final Policy policy;
  private final int[][] declinedByHousehold;

  // Approved hosts only (no other host is ever eligible), grouped by province.
  private final int[] provinceStart = new int[Provinces.COUNT + 1];
  private final int[] slotHost;
  private final int[] slotBeds;
  private final int[] slotOffers;
  private final int[] slotFrom;
  private final int[] slotUntil;
  private final int[] slotMunicipality;
  private final long[] slotLanguages;
  private final int[] slotProvince;
  /**
   * Per province, household needs (children, pets, step-free, smoke-free) and household size: the slots
   * whose host offers all of it, in slot order, for the combinations the households have (built once, in
   * the constructor, so a problem is safe to share). The walk then visits only hosts that fit, and checks
   * just their dates.
   */
  private final int[][] fitting = new int[Provinces.COUNT * 16 * FITTING_PERSONS][];
  private static final int FITTING_PERSONS = 16;

  /**
   * @param declinedPairs pairs proposed before and declined, as {@code householdId + "|" + hostId}
   */
  public MatchProblem(List<Household> households, List<HostOffer> hosts, Policy policy, Set<String> declinedPairs) {
    this.households = List.copyOf(households);
    this.hosts = List.copyOf(hosts);
    this.policy = policy;

    Map<String, Integer> hostIndex = new HashMap<>();
    for (int o = 0; o < hosts.size(); o++) {
      hostIndex.put(hosts.get(o).id(), o);
    }
    Map<String, Integer> householdIndex = new HashMap<>();
    for (int h = 0; h < households.size(); h++) {
      householdIndex.put(households.get(h).id(), h);
    }
    List<List<Integer>> declined = new ArrayList<>();
    for (int h = 0; h < households.size(); h++) {
      declined.add(new ArrayList<>());
    }
    for (String pair : declinedPairs) {
      int bar = pair.indexOf('|');
      Integer h = householdIndex.get(pair.substring(0, bar));
      Integer o = hostIndex.get(pair.substring(bar + 1));
      if (h != null && o != null) {
        declined.get(h).add(o);
      }
    }
    declinedByHousehold = new int[households.size()][];
    for (int h = 0; h < households.size(); h++) {
      declinedByHousehold[h] = declined.get(h).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    int[] counts = new int[Provinces.COUNT];
    for (HostOffer o : hosts) {
      if (o.approved()) {
        counts[o.province()]++;
      }
    }
    for (int p = 0; p < Provinces.COUNT; p++) {
      provinceStart[p + 1] = provinceStart[p] + counts[p];
    }
    int slots = provinceStart[Provinces.COUNT];
    slotHost = new int[slots];
    slotBeds = new int[slots];
    slotOffers = new int[slots];
    slotFrom = new int[slots];
    slotUntil = new int[slots];
    slotMunicipality = new int[slots];
    slotLanguages = new long[slots];
    slotProvince = new int[slots];
    int[] next = Arrays.copyOf(provinceStart, Provinces.COUNT);
    for (int o = 0; o < hosts.size(); o++) {
      HostOffer offer = hosts.get(o);
      if (!offer.approved()) {
        continue;
      }
      int s = next[offer.province()]++;
      slotHost[s] = o;
      slotBeds[s] = offer.beds();
      slotOffers[s] = (offer.childrenWelcome() ? CHILDREN : 0) | (offer.petsWelcome() ? PETS : 0)
          | (offer.stepFreeAccess() ? STEP_FREE : 0) | (offer.smokingInHome() ? 0 : SMOKE_FREE);
      slotFrom[s] = offer.availableFrom();
      slotUntil[s] = offer.availableUntil();
      slotMunicipality[s] = offer.municipality();
      slotLanguages[s] = offer.languages();
      slotProvince[s] = offer.province();
    }
    for (Household h : households) {
      int persons = h.persons();
      if (persons >= 0 && persons < FITTING_PERSONS) {
        for (int p = 0; p < Provinces.COUNT; p++) {
          fitting(p, needsOf(h), persons);
        }
      }
    }
  }

  private static int needsOf(Household h) {
    return (h.hasChildren() ? CHILDREN : 0) | (h.hasPets() ? PETS : 0) | (h.stepFreeNeeded() ? STEP_FREE : 0)
        | (h.smoker() ? 0 : SMOKE_FREE);
  }

  public List<Household> households() {
    return households;
  }

  public List<HostOffer> hosts() {
    return hosts;
  }

  public Policy policy() {
    return policy;
  }

  public boolean declined(int household, int host) {
    return Arrays.binarySearch(declinedByHousehold[household], host) >= 0;
  }

  private int[] fitting(int province, int needs, int persons) {
    int key = (province * 16 + needs) * FITTING_PERSONS + persons;
    int[] slots = fitting[key];
    if (slots == null) {
      int count = 0;
      int[] found = new int[provinceStart[province + 1] - provinceStart[province]];
      for (int s = provinceStart[province]; s < provinceStart[province + 1]; s++) {
        if (slotBeds[s] >= persons && (needs & ~slotOffers[s]) == 0) {
          found[count++] = s;
        }
      }
      slots = Arrays.copyOf(found, count);
      fitting[key] = slots;
    }
    return slots;
  }

  /** Receives one eligible pair. */
  @FunctionalInterface
  public interface PairVisitor {
    void visit(int host, int score);
  }

  /**
   * Calls the visitor for every host this household may be matched with (every hard rule holds), with
   * the pair's score. The same pairs as {@link Rules#eligible}, minus declined ones, found faster.
   */
  public void forEachEligible(int household, PairVisitor visitor) {
    Household h = households.get(household);
    int needs = needsOf(h);
    int startDay = Math.max(h.neededFrom(), policy.today());
    int minUntil = startDay + policy.minimumStayDays();
    int[] declined = declinedByHousehold[household];
    // The score's parts that depend on the household alone, or on the province, worked out once.
    int waiting = Math.max(0, Math.min(policy.today() - h.registeredOn(), Rules.WAITING_DAYS_CAP))
        / Rules.WAITING_DAYS_PER_POINT;
    for (int p = 0; p < Provinces.COUNT; p++) {
      if (!h.acceptsOtherRegions() && !h.prefersProvince(p)) {
        continue;
      }
      int rank = h.rankOf(p);
      int regionPoints = Rules.regionPoints(h, p, rank);
      int[] slots = h.persons() >= 0 && h.persons() < FITTING_PERSONS
          ? fitting[(p * 16 + needs) * FITTING_PERSONS + h.persons()] : null;
      int count = slots == null ? provinceStart[p + 1] - provinceStart[p] : slots.length;
      for (int i = 0; i < count; i++) {
        int s = slots == null ? provinceStart[p] + i : slots[i];
        if (slotFrom[s] > startDay || slotUntil[s] < minUntil) {
          continue;
        }
        if (slots == null && (slotBeds[s] < h.persons() || (needs & ~slotOffers[s]) != 0)) {
          continue;
        }
        int o = slotHost[s];
        if (declined.length > 0 && Arrays.binarySearch(declined, o) >= 0) {
          continue;
        }
        int score = waiting + regionPoints
            + ((h.languages() & slotLanguages[s]) != 0 ? Rules.LANGUAGE_POINTS : 0)
            + Math.max(0, Rules.SIZE_POINTS - Rules.SIZE_POINTS_PER_SPARE_BED * (slotBeds[s] - h.persons()));
        if (rank >= 0 && slotMunicipality[s] >= 0 && h.preferredMunicipalities().length > 0
            && h.prefersMunicipality(slotMunicipality[s])) {
          score += Rules.MUNICIPALITY_POINTS;
        }
        visitor.visit(o, score);
      }
    }
  }
}
