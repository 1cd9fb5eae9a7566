package nl.onderdak.matching.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Small random instances with every rule in play, for checking the solver against brute force. */
final class RandomInstances {
  static final int TODAY = 20_000;

  private RandomInstances() {}

  static MatchProblem generate(Random random, int households, int hosts, int provinces) {
    List<Household> hs = new ArrayList<>();
    for (int i = 0; i < households; i++) {
      int adults = 1 + random.nextInt(3);
      int children = random.nextInt(3);
      int first = random.nextInt(provinces);
      int[] preferred = random.nextBoolean() ? new int[] {first} : new int[] {first, (first + 1) % provinces};
      hs.add(new Household("G" + i, adults + children, children > 0, random.nextInt(4) == 0, random.nextInt(5) == 0,
          random.nextInt(4) == 0, 1L << random.nextInt(3), preferred, new int[] {random.nextInt(3)},
          random.nextInt(3) == 0, TODAY + random.nextInt(20) - 10, TODAY - random.nextInt(100)));
    }
    List<HostOffer> os = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      int from = TODAY + random.nextInt(20) - 15;
      os.add(new HostOffer("H" + i, random.nextInt(provinces), random.nextInt(3), 1 + random.nextInt(6),
          random.nextInt(4) > 0, random.nextBoolean(), random.nextBoolean(), random.nextInt(5) == 0,
          1L << random.nextInt(3), from, from + 5 + random.nextInt(90), random.nextInt(8) > 0));
    }
    Set<String> declined = new HashSet<>();
    for (int i = 0; i < households / 3; i++) {
      declined.add("G" + random.nextInt(households) + "|H" + random.nextInt(Math.max(1, hosts)));
    }
    return new MatchProblem(hs, os, Policy.of(TODAY), declined);
  }
}
