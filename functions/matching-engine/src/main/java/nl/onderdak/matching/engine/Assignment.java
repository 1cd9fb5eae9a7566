package nl.onderdak.matching.engine;

import java.util.List;

/**
 * The result of a solver: the pairs, how many households were placed and the total score.
 *
 * @param pairs household index, host index and score of each match
 * @param rounds how many times the exact solver widened its candidate set before its answer was proved
 *     optimal on every eligible pair (0 for solvers that do not prune)
 * @param candidateEdges the eligible pairs the final round solved on
 * @param eligibleEdges all eligible pairs of the instance (0 where not counted)
 */
public record Assignment(List<Pair> pairs, long totalScore, int rounds, long candidateEdges, long eligibleEdges) {

  public record Pair(int household, int host, int score) {}

  public int placed() {
    return pairs.size();
  }

  static Assignment of(List<Pair> pairs, int rounds, long candidateEdges, long eligibleEdges) {
    long total = 0;
    for (Pair p : pairs) {
      total += p.score();
    }
    return new Assignment(List.copyOf(pairs), total, rounds, candidateEdges, eligibleEdges);
  }
}
