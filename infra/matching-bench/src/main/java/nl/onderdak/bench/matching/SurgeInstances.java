package nl.onderdak.bench.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import nl.onderdak.matching.engine.HostOffer;
import nl.onderdak.matching.engine.Household;
import nl.onderdak.matching.engine.Languages;
import nl.onderdak.matching.engine.MatchProblem;
import nl.onderdak.matching.engine.Policy;
import nl.onderdak.matching.engine.Provinces;

/**
 * Pools shaped like spring 2022 in the Netherlands, from a seed: households mostly mothers with
 * children, wanting the big cities (Noord-Holland, Zuid-Holland, Utrecht); hosts spread more evenly
 * over the country; few households flexible about region. The shares are stated here so that anyone
 * can argue with them.
 */
final class SurgeInstances {
  static final int TODAY = 19_100; // an epoch day in 2022; only differences matter

  /** Where households want to live, by province index (PV20..PV31): skewed to the Randstad. */
  private static final double[] HOUSEHOLD_PROVINCE = {3, 2, 1.5, 4, 2, 8, 14, 28, 22, 1.5, 10, 4};
  /** Where host offers are: closer to where people live, and more outside the big cities. */
  private static final double[] HOST_PROVINCE = {4, 5, 4, 8, 3, 14, 8, 14, 16, 3, 15, 6};
  /** Persons per household: 1..6. */
  private static final double[] HOUSEHOLD_SIZE = {24, 31, 25, 12, 6, 2};
  /** Beds per offer: 1..6. */
  private static final double[] BEDS = {18, 34, 21, 15, 8, 4};
  /** Big-city municipalities named in preferences, per province index (-1: none). */
  private static final int[] CITY = {14, 80, 106, 193, 34, 268, 344, 363, 599, 687, 772, 935};

  private SurgeInstances() {}

  static MatchProblem generate(int households, int hosts, long seed) {
    Random random = new Random(seed);
    long uk = Languages.mask(List.of("uk"));
    long ru = Languages.mask(List.of("ru"));
    long en = Languages.mask(List.of("en"));
    long nl = Languages.mask(List.of("nl"));
    long de = Languages.mask(List.of("de"));
    List<Household> hs = new ArrayList<>(households);
    for (int i = 0; i < households; i++) {
      int persons = 1 + pick(random, HOUSEHOLD_SIZE);
      boolean children = persons > 1 && random.nextDouble() < 0.65;
      int first = pick(random, HOUSEHOLD_PROVINCE);
      int count = random.nextDouble() < 0.55 ? 1 : random.nextDouble() < 0.8 ? 2 : 3;
      int[] preferred = new int[count];
      preferred[0] = first;
      for (int k = 1; k < count; k++) {
        preferred[k] = nearestOther(first, preferred, k);
      }
      long languages = (random.nextDouble() < 0.85 ? uk : 0) | (random.nextDouble() < 0.6 ? ru : 0)
          | (random.nextDouble() < 0.35 ? en : 0);
      if (languages == 0) {
        languages = uk;
      }
      int[] municipalities = random.nextDouble() < 0.5 ? new int[] {CITY[first]} : new int[0];
      hs.add(new Household("G" + i, persons, children, random.nextDouble() < 0.10, random.nextDouble() < 0.06,
          random.nextDouble() < 0.20, languages, preferred, municipalities, random.nextDouble() < 0.15,
          TODAY + random.nextInt(42) - 21, TODAY - random.nextInt(120)));
    }
    List<HostOffer> os = new ArrayList<>(hosts);
    for (int i = 0; i < hosts; i++) {
      int province = pick(random, HOST_PROVINCE);
      long languages = nl | (random.nextDouble() < 0.7 ? en : 0) | (random.nextDouble() < 0.2 ? de : 0)
          | (random.nextDouble() < 0.04 ? uk : 0) | (random.nextDouble() < 0.04 ? ru : 0);
      int from = TODAY + random.nextInt(60) - 30;
      os.add(new HostOffer("H" + i, province, random.nextDouble() < 0.3 ? CITY[province] : -1,
          1 + pick(random, BEDS), random.nextDouble() < 0.75, random.nextDouble() < 0.35,
          random.nextDouble() < 0.20, random.nextDouble() < 0.12, languages, from, from + 14 + random.nextInt(170),
          true));
    }
    return new MatchProblem(hs, os, Policy.of(TODAY), Set.of());
  }

  private static int nearestOther(int from, int[] chosen, int filled) {
    int best = -1;
    for (int p = 0; p < Provinces.COUNT; p++) {
      boolean taken = false;
      for (int k = 0; k < filled; k++) {
        taken |= chosen[k] == p;
      }
      if (!taken && (best < 0 || Provinces.distanceKm(from, p) < Provinces.distanceKm(from, best))) {
        best = p;
      }
    }
    return best;
  }

  private static int pick(Random random, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
