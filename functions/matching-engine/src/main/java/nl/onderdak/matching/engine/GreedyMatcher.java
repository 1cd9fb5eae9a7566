package nl.onderdak.matching.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * First come, first served: each household in order of registration takes the best eligible host
 * still free. What a busy team does by hand; kept as the baseline the optimal matcher is measured
 * against. Makes proposals only in a surge rehearsal that compares it
 * with the optimal matcher (template parameter {@code MatchingStrategy=greedy}).
 */
public final class GreedyMatcher {
  private GreedyMatcher() {}

  public static Assignment solve(MatchProblem problem) {
    List<Household> households = problem.households();
    boolean[] taken = new boolean[problem.hosts().size()];
    List<Assignment.Pair> pairs = new ArrayList<>();
    int[] order = IntStream.range(0, households.size()).boxed()
        .sorted(Comparator.comparingInt((Integer h) -> households.get(h).registeredOn()).thenComparing(h -> h))
        .mapToInt(Integer::intValue).toArray();
    for (int h : order) {
      int[] best = {-1, -1};
      problem.forEachEligible(h, (host, score) -> {
        if (!taken[host] && score > best[1]) {
          best[0] = host;
          best[1] = score;
        }
      });
      if (best[0] >= 0) {
        taken[best[0]] = true;
        pairs.add(new Assignment.Pair(h, best[0], best[1]));
      }
    }
    return Assignment.of(pairs, 0, 0, 0);
  }
}
