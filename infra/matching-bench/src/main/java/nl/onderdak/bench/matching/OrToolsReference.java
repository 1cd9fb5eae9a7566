package nl.onderdak.bench.matching;

import com.google.ortools.Loader;
import com.google.ortools.graph.MinCostFlow;
import com.google.ortools.graph.MinCostFlowBase;
import nl.onderdak.matching.engine.MatchProblem;
import nl.onderdak.matching.engine.Rules;

/**
 * The exact reference: OR-Tools' min-cost flow on every eligible pair, with the same scores, asked
 * for the maximum flow of minimum cost (most households placed, then least cost = highest score).
 * Network: source → each household (capacity 1) → each eligible host (capacity 1, cost
 * MAX_SCORE + 1 − score) → sink (capacity 1).
 */
final class OrToolsReference {
  private OrToolsReference() {}

  /** {placed, total score, eligible pairs}. */
  static long[] solve(MatchProblem problem) {
    Loader.loadNativeLibraries();
    int n = problem.households().size();
    int m = problem.hosts().size();
    int source = 0;
    int sink = n + m + 1;
    int costBase = Rules.MAX_SCORE + 1;
    MinCostFlow flow = new MinCostFlow(n + m + 2, n + m);
    try {
      for (int h = 0; h < n; h++) {
        flow.addArcWithCapacityAndUnitCost(source, 1 + h, 1, 0);
      }
      int firstPairArc = flow.getNumArcs();
      for (int h = 0; h < n; h++) {
        int row = 1 + h;
        problem.forEachEligible(h, (host, score) ->
            flow.addArcWithCapacityAndUnitCost(row, 1 + n + host, 1, costBase - score));
      }
      int pairArcs = flow.getNumArcs() - firstPairArc;
      for (int o = 0; o < m; o++) {
        flow.addArcWithCapacityAndUnitCost(1 + n + o, sink, 1, 0);
      }
      flow.setNodeSupply(source, n);
      flow.setNodeSupply(sink, -n);
      MinCostFlowBase.Status status = flow.solveMaxFlowWithMinCost();
      if (status != MinCostFlowBase.Status.OPTIMAL) {
        throw new IllegalStateException("OR-Tools: " + status);
      }
      long placed = 0;
      long score = 0;
      for (int a = firstPairArc; a < firstPairArc + pairArcs; a++) {
        if (flow.getFlow(a) > 0) {
          placed++;
          score += costBase - flow.getUnitCost(a);
        }
      }
      return new long[] {placed, score, pairArcs};
    } finally {
      flow.delete();
    }
  }
}
