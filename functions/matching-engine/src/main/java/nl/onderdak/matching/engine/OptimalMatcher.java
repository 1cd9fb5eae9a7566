package nl.onderdak.matching.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact matcher: the most households placed, and among all ways of placing that many, the
 * highest total score.
 *
 * <p>It solves on a small candidate set first — each household's best eligible hosts, and each host's
 * best households — with {@link DecomposedMatching}. Then it checks the answer against <em>every</em>
 * eligible pair with the solver's potentials (LP duality): a pair left out could only improve the
 * answer if it reaches from where a free household can get to a place it cannot, or if its reduced
 * cost is negative. If no left-out pair does, the answer is optimal for the whole instance — proved,
 * not hoped. Otherwise the pairs that could help (and those close to it, {@link #SLACK}) are added and
 * it solves again. After {@link #MAX_ROUNDS} rounds it solves on every eligible pair, which needs no
 * proof. The eligible pairs are walked once by the rules and then kept in memory while they fit
 * ({@link EligiblePairs}), so each proof round costs little besides the solve.
 */
public final class OptimalMatcher {
  static final int CANDIDATES_PER_HOUSEHOLD = 24;
  static final int CANDIDATES_PER_HOST = 6;
  static final int MAX_ROUNDS = 12;
  static final int ADDITIONS_PER_HOUSEHOLD = 16;
  /**
   * Pairs whose reduced cost is below this are added too, though they do not (yet) break the proof:
   * when the solution shifts they are the next to, so adding them early saves rounds.
   */
  static final long SLACK = 2;
  private static final boolean TRACE = Boolean.getBoolean("onderdak.matching.trace");
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
    long t00 = System.nanoTime();
    EligiblePairs pairs = new EligiblePairs(problem);
    Candidates candidates = initialCandidates(problem, pairs, perHousehold, perHost);
    if (TRACE) {
      System.err.printf("initial candidates: %d ms%n", (System.nanoTime() - t00) / 1_000_000);
    }
    boolean[] marker = new boolean[m];
    boolean cardinalityProved = false;
    int[] previousMatching = null;
    for (int round = 1; ; round++) {
      boolean everything = round > MAX_ROUNDS;
      if (everything) {
        candidates = allEligible(problem);
      }
      Graph g = candidates.toGraph(n);
      DecomposedMatching solver = new DecomposedMatching(n, m, g.start, g.target, g.cost);
      long t0 = System.nanoTime();
      // The candidates only grow, so the last round's matching is one of this graph: the cardinality search
      // starts from it. (Only the cardinality: the costs are solved afresh.)
      solver.solve(previousMatching);
      previousMatching = solver.matchOfRow.clone();
      if (TRACE) {
        System.err.printf("round %d: edges=%d solve_ms=%d%n", round, g.target.length,
            (System.nanoTime() - t0) / 1_000_000);
      }
      if (everything) {
        return assignment(solver, g, round, candidates.count, candidates.count);
      }
      // Proof, part 1: no augmenting path in the whole eligible graph (so no more households can be placed).
      long t1 = System.nanoTime();
      // Once no augmenting path exists in the whole graph, none will: later rounds only add pairs to a
      // candidate set whose maximum matching is then already as large as the whole graph's.
      int pathEdges = cardinalityProved ? 0 : addAugmentingPaths(problem, pairs, solver, candidates);
      cardinalityProved = pathEdges == 0;
      long t2 = System.nanoTime();
      long nearlyAdded = 0;
      // Proof, part 2: no left-out pair with negative reduced cost (so no better pairs of the same count).
      long[] eligible = {0};
      long[] violated = {0};
      long[][] addKeys = {new long[64]};
      for (int h = 0; h < n; h++) {
        int[] mine = candidates.hosts[h];
        int size = candidates.size[h];
        for (int i = 0; i < size; i++) {
          marker[mine[i]] = true;
        }
        long rowPotential = solver.rowPotential[h];
        int[] found = {0};
        long[] columnPotential = solver.columnPotential;
        pairs.forEachRun(h, (hosts, scores, from, to) -> {
          eligible[0] += to - from;
          // Reduced cost below SLACK <=> score > COST_BASE + rowPotential - columnPotential - SLACK.
          long base = COST_BASE + rowPotential;
          for (int i = from; i < to; i++) {
            int host = hosts[i];
            int score = scores[i];
            long reduced = base - score - columnPotential[host];
            if (reduced >= SLACK || marker[host]) {
              continue;
            }
            if (reduced < 0) {
              violated[0]++;
            }
            if (found[0] == addKeys[0].length) {
              addKeys[0] = Arrays.copyOf(addKeys[0], found[0] * 2);
            }
            // Sort key: the reduced cost (clamped, made non-negative), then the host (22 bits), the score (8).
            long order = Math.max(-(1L << 30), Math.min(reduced, (1L << 30) - 1)) + (1L << 30);
            addKeys[0][found[0]++] = (order << 30) | ((long) host << 8) | score;
          }
        });
        for (int i = 0; i < size; i++) {
          marker[mine[i]] = false;
        }
        // The most negative first, and only a few per household per round: most violations vanish once
        // the strongest are in (the potentials move), and a smaller candidate set solves faster.
        int take = Math.min(found[0], ADDITIONS_PER_HOUSEHOLD);
        if (found[0] > take) {
          Arrays.sort(addKeys[0], 0, found[0]);
        }
        for (int i = 0; i < take; i++) {
          long key = addKeys[0][i];
          candidates.addIfAbsent(h, (int) ((key >>> 8) & ((1 << 22) - 1)), (int) (key & 0xFF));
        }
        nearlyAdded += take;
      }
      if (TRACE) {
        System.err.printf("round %d: path_search_ms=%d proof_scan_ms=%d placed=%d path_pairs_added=%d "
            + "violations=%d near_pairs_added=%d%n", round, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000,
            countPlaced(solver), pathEdges, violated[0], nearlyAdded);
      }
      if (pathEdges == 0 && violated[0] == 0) {
        return assignment(solver, g, round, g.target.length, eligible[0]);
      }
    }
  }

  /**
   * Searches the whole eligible graph (not just the candidates) for augmenting paths from every
   * unplaced household, breadth first, generating each household's eligible hosts as it goes. Adds the
   * pairs of every path found to the candidates and returns how many were added; 0 proves that the
   * current matching places as many households as any matching can (König).
   */
  private static int addAugmentingPaths(MatchProblem problem, EligiblePairs pairs, DecomposedMatching solver,
      Candidates candidates) {
    int n = problem.households().size();
    int m = problem.hosts().size();
    int[] viaRow = new int[m];
    int[] viaScore = new int[m];
    Arrays.fill(viaRow, -1);
    int[] parentColumnOfRow = new int[n];
    Arrays.fill(parentColumnOfRow, -2);
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int h = 0; h < n; h++) {
      if (solver.matchOfRow[h] < 0) {
        parentColumnOfRow[h] = -1;
        queue[tail++] = h;
      }
    }
    List<Integer> freeReached = new ArrayList<>();
    while (head < tail) {
      int row = queue[head++];
      int[] next = {tail};
      int own = solver.matchOfRow[row];
      pairs.forEachRun(row, (hosts, scores, from, to) -> {
        for (int i = from; i < to; i++) {
          int host = hosts[i];
          if (viaRow[host] >= 0 || host == own) {
            continue;
          }
          viaRow[host] = row;
          viaScore[host] = scores[i];
          int owner = solver.matchOfColumn[host];
          if (owner < 0) {
            freeReached.add(host);
          } else if (parentColumnOfRow[owner] == -2) {
            parentColumnOfRow[owner] = host;
            queue[next[0]++] = owner;
          }
        }
      });
      tail = next[0];
    }
    int added = 0;
    for (int free : freeReached) {
      // Walk back to a free household, adding each unmatched pair of the path.
      int column = free;
      while (column >= 0) {
        int row = viaRow[column];
        if (candidates.addIfAbsent(row, column, viaScore[column])) {
          added++;
        }
        column = parentColumnOfRow[row];
      }
    }
    return added;
  }

  private static long reducedCost(DecomposedMatching solver, int household, int[] hostAndScore) {
    return COST_BASE - hostAndScore[1] + solver.rowPotential[household] - solver.columnPotential[hostAndScore[0]];
  }

  private static int countPlaced(DecomposedMatching solver) {
    int placed = 0;
    for (int h = 0; h < solver.rows(); h++) {
      placed += solver.matchOfRow[h] >= 0 ? 1 : 0;
    }
    return placed;
  }

  private static Assignment assignment(DecomposedMatching solver, Graph g, int rounds, long candidateEdges,
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

  /**
   * The first candidates: each household's best hosts by score, plus a few of its eligible hosts drawn
   * at random, plus a few households drawn at random for each host. The random draws make the
   * candidate graph an expander, so it places nearly as many households as the whole graph does; the
   * best-by-score pairs make its answer nearly as good. The proof does the rest.
   */
  static Candidates initialCandidates(MatchProblem problem, EligiblePairs pairs, int perHousehold, int perHost) {
    int n = problem.households().size();
    int m = problem.hosts().size();
    int best = Math.max(1, perHousehold * 2 / 3);
    int drawn = Math.max(1, perHousehold - best);
    Candidates out = new Candidates(n);
    int[] hostPick = new int[m * perHost];
    int[] hostPickScore = new int[m * perHost];
    int[] hostSeen = new int[m];
    long[] keys = new long[best];
    int[] picked = new int[best];
    int[] scores = new int[best];
    int[] sample = new int[drawn];
    int[] sampleScores = new int[drawn];
    int[] count = {0, 0};
    int[] minSlot = {0};
    java.util.SplittableRandom random = new java.util.SplittableRandom(0x5EED);
    pairs.firstWalk((household, host, score) -> {
      long key = ((long) score << 32) | spread(household, host);
      if (count[0] < best) {
        keys[count[0]] = key;
        picked[count[0]] = host;
        scores[count[0]] = score;
        count[0]++;
        if (count[0] == best) {
          minSlot[0] = minIndex(keys, best);
        }
      } else if (key > keys[minSlot[0]]) {
        int min = minSlot[0];
        keys[min] = key;
        picked[min] = host;
        scores[min] = score;
        minSlot[0] = minIndex(keys, best);
      }
      // Reservoir samples: this household's random hosts, and each host's random households.
      int seen = ++count[1];
      if (seen <= drawn) {
        sample[seen - 1] = host;
        sampleScores[seen - 1] = score;
      } else {
        int slot = random.nextInt(seen);
        if (slot < drawn) {
          sample[slot] = host;
          sampleScores[slot] = score;
        }
      }
      int hostSeenCount = ++hostSeen[host];
      int base = host * perHost;
      if (hostSeenCount <= perHost) {
        hostPick[base + hostSeenCount - 1] = household;
        hostPickScore[base + hostSeenCount - 1] = score;
      } else {
        int slot = random.nextInt(hostSeenCount);
        if (slot < perHost) {
          hostPick[base + slot] = household;
          hostPickScore[base + slot] = score;
        }
      }
    }, household -> {
      for (int i = 0; i < count[0]; i++) {
        out.add(household, picked[i], scores[i]);
      }
      for (int i = 0; i < Math.min(drawn, count[1]); i++) {
        out.addIfAbsent(household, sample[i], sampleScores[i]);
      }
      count[0] = 0;
      count[1] = 0;
    });
    for (int host = 0; host < m; host++) {
      for (int i = host * perHost; i < host * perHost + Math.min(perHost, hostSeen[host]); i++) {
        out.addIfAbsent(hostPick[i], host, hostPickScore[i]);
      }
    }
    return out;
  }

  private static int minIndex(long[] keys, int length) {
    int min = 0;
    for (int i = 1; i < length; i++) {
      if (keys[i] < keys[min]) {
        min = i;
      }
    }
    return min;
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

    boolean addIfAbsent(int h, int host, int score) {
      for (int i = 0; i < size[h]; i++) {
        if (hosts[h][i] == host) {
          return false;
        }
      }
      add(h, host, score);
      return true;
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
