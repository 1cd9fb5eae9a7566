package nl.onderdak.matching;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.function.Emf;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Metric;
import nl.onderdak.function.Wiring;
import nl.onderdak.function.batch.StreamBatch;
import nl.onderdak.matching.engine.Policy;

/**
 * Runs matching from the cases stream: the batch's triggers ({@link MatchingTriggers}; the mapping's batching
 * window coalesces bursts) make one run over the union of their provinces ({@link MatchingRun}).
 *
 * <p>The batch is one unit: a failed run reports its first record, so Lambda retries the whole batch; a run is
 * safe to repeat.
 */
public final class MatchingHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private static final StreamBatch<MatchingTriggers.Trigger> BATCH =
      new StreamBatch<>("matching run", MatchingTriggers::of, MatchingTriggers.Trigger::caseId);
  private final MatchingRun run;
  private final MatchingTriggers triggers;

  public MatchingHandler() {
    this(Wiring.fromEnv());
    // SnapStart: a trigger for a household that does not exist: its read, an empty scope, no run.
    nl.onderdak.function.Priming.register("MatchingHandler", () -> triggers.scope(List.of(
        new MatchingTriggers.Trigger(nl.onderdak.core.model.CaseKind.GUEST, "G-0000000000000000", "PV26"))));
  }

  MatchingHandler(Wiring wiring) {
    this(new MatchingRun(wiring.matchStore(), wiring.clock(),
        wiring.integer("MINIMUM_STAY_DAYS", Policy.DEFAULT_MINIMUM_STAY_DAYS),
        new RegionRunLog(wiring.dynamo(), wiring.tables().regionStats()),
        MatchingRun.solver(wiring.get("MATCHING_STRATEGY"))), wiring.matchStore());
  }

  MatchingHandler(MatchingRun run, MatchStore store) {
    this.run = run;
    this.triggers = new MatchingTriggers(store);
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    return BATCH.allOrNothing(event, this::runFor).response();
  }

  private MatchingRun.Outcome runFor(List<MatchingTriggers.Trigger> batch) {
    MatchingTriggers.Scope scope = triggers.scope(batch);
    if (scope.provinces().isEmpty()) {
      return null;
    }
    long started = System.nanoTime();
    MatchingRun.Outcome outcome = run.run(scope.provinces(), scope.cases());
    long millis = (System.nanoTime() - started) / 1_000_000;
    ObjectNode line = JsonLog.line("INFO", "matching run");
    line.put("provinces", String.join(",", scope.provinces())).put("triggers", scope.cases().size())
        .put("proposals", outcome.proposals()).put("unmatched", outcome.unmatched())
        .put("attempts", outcome.attempts());
    Emf.metric(line, Metric.MATCHING_RUN_TIME, millis);
    Emf.metric(line, Metric.MATCHING_LOST_RACES, outcome.lostRaces());
    JsonLog.write(line);
    // One line per province solved: its pool sizes (a dimension per line keeps the EMF simple).
    outcome.pools().forEach((province, size) -> {
      ObjectNode pool = JsonLog.line("INFO", "matching pool");
      pool.put("Province", province);
      Emf.metric(pool, Metric.POOL_HOUSEHOLDS, size.households());
      Emf.metric(pool, Metric.POOL_HOSTS, size.hosts());
      JsonLog.write(pool);
    });
    return outcome;
  }
}
