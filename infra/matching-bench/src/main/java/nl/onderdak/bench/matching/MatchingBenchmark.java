package nl.onderdak.bench.matching;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import nl.onderdak.matching.engine.Assignment;
import nl.onderdak.matching.engine.GreedyMatcher;
import nl.onderdak.matching.engine.MatchProblem;
import nl.onderdak.matching.engine.OptimalMatcher;

/**
 * Onderdak's exact matcher, first-come-first-served greedy and OR-Tools' min-cost flow, side by side
 * on the same generated surge instances. One machine-readable line per size and solver, then a table.
 *
 * <pre>java -XX:ActiveProcessorCount=1 -jar infra/matching-bench/target/onderdak-matching-bench.jar [--sizes 1000,10000,50000] [--seed 42] [--solvers onderdak,greedy,ortools]</pre>
 *
 * Time is from the instance in memory to the answer (for OR-Tools: building its network from the
 * eligible pairs, and solving). Heap is the peak of the Java heap pools during that solver's run,
 * problem data included (OR-Tools' own memory is native and not in it).
 */
public final class MatchingBenchmark {
  private MatchingBenchmark() {}

  record Row(int size, String solver, long placed, long score, long millis, long heapMb) {}

  public static void main(String[] args) {
    List<Integer> sizes = List.of(1000, 10_000, 50_000);
    List<String> solvers = List.of("onderdak", "greedy", "ortools");
    long seed = 42;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" -> sizes = parseInts(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--solvers" -> solvers = List.of(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int size : sizes) {
      long built = System.nanoTime();
      MatchProblem problem = SurgeInstances.generate(size, size, seed + size);
      // Not in any solver's time: generating the pools and indexing the hosts by province and by what they offer.
      System.out.printf("# size=%d instance_ms=%d%n", size, (System.nanoTime() - built) / 1_000_000);
      for (String solver : solvers) {
        Row row = switch (solver) {
          case "onderdak" -> run(size, solver, () -> {
            Assignment a = OptimalMatcher.solve(problem);
            System.out.printf("# size=%d onderdak rounds=%d candidate_edges=%d eligible_edges=%d%n", size, a.rounds(),
                a.candidateEdges(), a.eligibleEdges());
            return new long[] {a.placed(), a.totalScore()};
          });
          case "greedy" -> run(size, solver, () -> {
            Assignment a = GreedyMatcher.solve(problem);
            return new long[] {a.placed(), a.totalScore()};
          });
          case "ortools" -> run(size, solver, () -> {
            long[] r = OrToolsReference.solve(problem);
            System.out.printf("# size=%d ortools arcs=%d%n", size, r[2]);
            return r;
          });
          default -> throw new IllegalArgumentException("unknown solver " + solver);
        };
        rows.add(row);
        System.out.printf("size=%d solver=%s placed=%d score=%d time_ms=%d heap_mb=%d%n", row.size, row.solver,
            row.placed, row.score, row.millis, row.heapMb);
      }
    }
    System.out.println();
    System.out.printf("| %-7s | %-8s | %8s | %12s | %10s | %9s |%n", "size", "solver", "placed", "score", "time (ms)",
        "heap (MB)");
    System.out.println("|---------|----------|----------|--------------|------------|-----------|");
    for (Row r : rows) {
      System.out.printf("| %7d | %-8s | %8d | %12d | %10d | %9d |%n", r.size, r.solver, r.placed, r.score, r.millis,
          r.heapMb);
    }
  }

  private static Row run(int size, String solver, Supplier<long[]> body) {
    System.gc();
    List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    long[] result = body.get();
    long millis = (System.nanoTime() - start) / 1_000_000;
    long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    return new Row(size, solver, result[0], result[1], millis, peak / (1024 * 1024));
  }

  private static List<Integer> parseInts(String csv) {
    List<Integer> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      out.add(Integer.parseInt(s.strip()));
    }
    return out;
  }
}
