package nl.onderdak.matching.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact matcher: the most households placed, and among all ways of placing that many, the
 * highest total score.
 *
 * <p>It solves on a small candidate set first — each household's best eligible hosts, and each host's
 * best households — with {@link MinCostMatching}. Then it checks the answer against <em>every</em>
 * eligible pair with the solver's potentials (LP duality): a pair left out could only improve the
 * answer if it reaches from where a free household can get to a place it cannot, or if its reduced
 * cost is negative. If no left-out pair does, the answer is optimal for the whole instance — proved,
 * not hoped. Otherwise the pairs that could help are added and it solves again. After
 * {@link #MAX_ROUNDS} rounds it solves on every eligible pair, which needs no proof.
 */
public final class OptimalMatcher {
  static final int CANDIDATES_PER_HOUSEHOLD = 24;
  static final int CANDIDATES_PER_HOST = 6;
  static final int MAX_ROUNDS = 8;
  /** Score to cost: the solver minimises cost, and every cost must be positive. */
  static final int COST_BASE = Rules.MAX_SCORE + 1;

  private OptimalMatcher() {}

  public static Assignment solve(MatchProblem problem) {
    return solve(problem, CANDIDATES_PER_HOUSEHOLD, CANDIDATES_PER_HOST);
  }

  /** With a chosen candidate set size: small sizes force the widening rounds (the tests use this). */
  static Assignment solve(MatchProblem problem, int perHousehold, int perHost) {
    int n = problem.households().size();
    int m = problem.hosts().size();
    Candidates candidates = initialCandidates(problem, perHousehold, perHost);
    boolean[] marker = new boolean[m];
    for (int round = 1; ; round++) {
      boolean everything = round > MAX_ROUNDS;
      if (everything) {
        candidates = allEligible(problem);
      }
      Graph g = candidates.toGraph(n);
      MinCostMatching solver = new MinCostMatching(n, m, g.start, g.target, g.cost);
      solver.solve();
      if (everything) {
        return assignment(solver, g, round, candidates.count, candidates.count);
      }
      solver.markReachableFromFreeRows();
      long[] eligible = {0};
      boolean improvable = false;
      for (int h = 0; h < n; h++) {
        int[] mine = candidates.hosts[h];
        int size = candidates.size[h];
        for (int i = 0; i < size; i++) {
          marker[mine[i]] = true;
        }
        boolean rowReached = solver.reachable(h, true);
        long rowPotential = solver.rowPotential[h];
        int household = h;
        List<int[]> additions = new ArrayList<>();
        problem.forEachEligible(h, (host, score) -> {
          eligible[0]++;
          if (marker[host]) {
            return;
          }
          long reduced = COST_BASE - score + rowPotential - solver.columnPotential[host];
          if ((rowReached && !solver.reachable(host, false)) || reduced < 0) {
            additions.add(new int[] {host, score});
          }
        });
        for (int i = 0; i < size; i++) {
          marker[mine[i]] = false;
        }
        for (int[] a : additions) {
          candidates.add(household, a[0], a[1]);
          improvable = true;
        }
      }
      if (!improvable) {
        return assignment(solver, g, round, g.target.length, eligible[0]);
      }
    }
  }

  private static Assignment assignment(MinCostMatching solver, Graph g, int rounds, long candidateEdges,
      long eligibleEdges) {
    List<Assignment.Pair> pairs = new ArrayList<>();
    for (int h = 0; h < solver.rows(); h++) {
      int arc = solver.matchedArc(h);
      if (arc >= 0) {
        pairs.add(new Assignment.Pair(h, g.target[arc], COST_BASE - g.cost[arc]));
      }
    }
    return Assignment.of(pairs, rounds, candidateEdges, eligibleEdges);
  }

  /** Each household's best hosts and each host's best households; ties broken by a fixed hash, to spread. */
  static Candidates initialCandidates(MatchProblem problem, int perHousehold, int perHost) {
    int n = problem.households().size();
    int m = problem.hosts().size();
    Candidates out = new Candidates(n);
    long[] hostKeys = new long[m * perHost];
    int[] hostHouseholds = new int[m * perHost];
    int[] hostCount = new int[m];
    long[] keys = new long[perHousehold];
    int[] picked = new int[perHousehold];
    int[] scores = new int[perHousehold];
    for (int h = 0; h < n; h++) {
      int household = h;
      int[] count = {0};
      problem.forEachEligible(h, (host, score) -> {
        long key = ((long) score << 32) | spread(household, host);
        // This household's best few.
        if (count[0] < perHousehold) {
          keys[count[0]] = key;
          picked[count[0]] = host;
          scores[count[0]] = score;
          count[0]++;
        } else {
          int min = 0;
          for (int i = 1; i < perHousehold; i++) {
            if (keys[i] < keys[min]) {
              min = i;
            }
          }
          if (key > keys[min]) {
            keys[min] = key;
            picked[min] = host;
            scores[min] = score;
          }
        }
        // This host's best few households.
        int base = host * perHost;
        if (hostCount[host] < perHost) {
          hostKeys[base + hostCount[host]] = key;
          hostHouseholds[base + hostCount[host]] = household;
          hostCount[host]++;
        } else {
          int min = base;
          for (int i = base + 1; i < base + perHost; i++) {
            if (hostKeys[i] < hostKeys[min]) {
              min = i;
            }
          }
          if (key > hostKeys[min]) {
            hostKeys[min] = key;
            hostHouseholds[min] = household;
          }
        }
      });
      for (int i = 0; i < count[0]; i++) {
        out.add(h, picked[i], scores[i]);
      }
    }
    for (int host = 0; host < m; host++) {
      for (int i = host * perHost; i < host * perHost + hostCount[host]; i++) {
        out.addIfAbsent(hostHouseholds[i], host, (int) (hostKeys[i] >>> 32));
      }
    }
    return out;
  }

  static Candidates allEligible(MatchProblem problem) {
    Candidates out = new Candidates(problem.households().size());
    for (int h = 0; h < problem.households().size(); h++) {
      int household = h;
      problem.forEachEligible(h, (host, score) -> out.add(household, host, score));
    }
    return out;
  }

  /** A well-mixed 32-bit value per pair: ties between equal scores go differently for each household. */
  private static long spread(int household, int host) {
    long x = household * 0x9E3779B97F4A7C15L + host;
    x ^= x >>> 33;
    x *= 0xFF51AFD7ED558CCDL;
    x ^= x >>> 33;
    return x & 0xFFFFFFFFL;
  }

  /** Candidate pairs per household, growable. */
  static final class Candidates {
    final int[][] hosts;
    final int[][] scores;
    final int[] size;
    long count;

    Candidates(int n) {
      hosts = new int[n][];
      scores = new int[n][];
      size = new int[n];
      for (int h = 0; h < n; h++) {
        hosts[h] = new int[4];
        scores[h] = new int[4];
      }
    }

    void add(int h, int host, int score) {
      if (size[h] == hosts[h].length) {
        hosts[h] = Arrays.copyOf(hosts[h], size[h] * 2);
        scores[h] = Arrays.copyOf(scores[h], size[h] * 2);
      }
      hosts[h][size[h]] = host;
      scores[h][size[h]] = score;
      size[h]++;
      count++;
    }

    void addIfAbsent(int h, int host, int score) {
      for (int i = 0; i < size[h]; i++) {
        if (hosts[h][i] == host) {
          return;
        }
      }
      add(h, host, score);
    }

    Graph toGraph(int n) {
      int[] start = new int[n + 1];
      for (int h = 0; h < n; h++) {
        start[h + 1] = start[h] + size[h];
      }
      int[] target = new int[start[n]];
      int[] cost = new int[start[n]];
      for (int h = 0; h < n; h++) {
        for (int i = 0; i < size[h]; i++) {
          target[start[h] + i] = hosts[h][i];
          cost[start[h] + i] = COST_BASE - scores[h][i];
        }
      }
      return new Graph(start, target, cost);
    }
  }

  record Graph(int[] start, int[] target, int[] cost) {}
}
