package nl.onderdak.matching.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class OptimalMatcherTest {

  /** Every matching of a small instance, by exhaustive search: the best (placed, then score). */
  private static long[] bruteForce(MatchProblem p) {
    int n = p.households().size();
    int m = p.hosts().size();
    int[][] score = new int[n][m];
    for (int[] row : score) {
      java.util.Arrays.fill(row, -1);
    }
    for (int h = 0; h < n; h++) {
      int hh = h;
      p.forEachEligible(h, (o, s) -> score[hh][o] = s);
    }
    long[] best = {0, 0};
    search(0, new boolean[m], 0, 0, score, best);
    return best;
  }

  private static void search(int h, boolean[] used, long placed, long total, int[][] score, long[] best) {
    if (h == score.length) {
      if (placed > best[0] || (placed == best[0] && total > best[1])) {
        best[0] = placed;
        best[1] = total;
      }
      return;
    }
    search(h + 1, used, placed, total, score, best);
    for (int o = 0; o < used.length; o++) {
      if (!used[o] && score[h][o] >= 0) {
        used[o] = true;
        search(h + 1, used, placed + 1, total + score[h][o], score, best);
        used[o] = false;
      }
    }
  }

  private static void assertSafe(MatchProblem p, Assignment a) {
    Set<Integer> households = new HashSet<>();
    Set<Integer> hosts = new HashSet<>();
    long total = 0;
    for (Assignment.Pair pair : a.pairs()) {
      assertTrue(households.add(pair.household()), "household promised twice");
      assertTrue(hosts.add(pair.host()), "host booked twice");
      Household h = p.households().get(pair.household());
      HostOffer o = p.hosts().get(pair.host());
      assertNull(Rules.firstBroken(h, o, p.policy()), "a hard rule is broken");
      assertTrue(!p.declined(pair.household(), pair.host()), "a declined pair came back");
      assertEquals(Rules.score(h, o, p.policy()), pair.score());
      total += pair.score();
    }
    assertEquals(total, a.totalScore());
  }

  @Test
  void equalsBruteForceOnHundredsOfSmallInstances() {
    Random random = new Random(20260301);
    for (int i = 0; i < 400; i++) {
      MatchProblem p = RandomInstances.generate(random, 1 + random.nextInt(7), 1 + random.nextInt(7),
          1 + random.nextInt(3));
      long[] best = bruteForce(p);
      // Tiny candidate sets force the proof-and-widen rounds to do the work.
      Assignment a = OptimalMatcher.solve(p, 1, 1);
      assertSafe(p, a);
      assertEquals(best[0], a.placed(), "instance " + i + ": households placed");
      assertEquals(best[1], a.totalScore(), "instance " + i + ": total score");
      Assignment full = OptimalMatcher.solve(p);
      assertEquals(best[0], full.placed());
      assertEquals(best[1], full.totalScore());
    }
  }

  @Test
  void pruningNeverChangesTheAnswerOnLargerInstances() {
    Random random = new Random(7);
    for (int i = 0; i < 30; i++) {
      MatchProblem p = RandomInstances.generate(random, 150 + random.nextInt(150), 100 + random.nextInt(200), 4);
      Assignment pruned = OptimalMatcher.solve(p, 2, 1);
      long[] everything = solveOnEveryEligiblePair(p);
      assertSafe(p, pruned);
      assertEquals(everything[0], pruned.placed(), "instance " + i);
      assertEquals(everything[1], pruned.totalScore(), "instance " + i);
      assertTrue(pruned.candidateEdges() <= pruned.eligibleEdges());
    }
  }

  /** The solver on every eligible pair, no candidate pruning at all: {placed, total score}. */
  private static long[] solveOnEveryEligiblePair(MatchProblem p) {
    OptimalMatcher.Candidates all = OptimalMatcher.allEligible(p);
    OptimalMatcher.Graph g = all.toGraph(p.households().size());
    MinCostMatching solver = new MinCostMatching(p.households().size(), p.hosts().size(), g.start(), g.target(),
        g.cost());
    solver.solve();
    long placed = 0;
    long total = 0;
    for (int h = 0; h < p.households().size(); h++) {
      int arc = solver.matchedArc(h);
      if (arc >= 0) {
        placed++;
        total += OptimalMatcher.COST_BASE - g.cost()[arc];
      }
    }
    return new long[] {placed, total};
  }

  @Test
  void greedyNeverBreaksARuleAndNeverBeatsTheOptimum() {
    Random random = new Random(99);
    for (int i = 0; i < 50; i++) {
      MatchProblem p = RandomInstances.generate(random, 50 + random.nextInt(100), 50 + random.nextInt(100), 3);
      Assignment greedy = GreedyMatcher.solve(p);
      Assignment optimal = OptimalMatcher.solve(p);
      assertSafe(p, greedy);
      assertSafe(p, optimal);
      assertTrue(optimal.placed() >= greedy.placed());
      if (optimal.placed() == greedy.placed()) {
        assertTrue(optimal.totalScore() >= greedy.totalScore());
      }
    }
  }
}
