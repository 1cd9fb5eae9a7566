package nl.onderdak.matching;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.function.Emf;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Metric;
import nl.onderdak.function.Wiring;
import nl.onderdak.matching.engine.Policy;
import nl.onderdak.matching.engine.Provinces;

/**
 * Runs matching from the cases stream. A household entering the open pool (registered, or back after
 * a declined or ended match) triggers a run for every province it accepts; a host becoming approved
 * triggers a run for its province. All triggers in one batch (the mapping's batching window coalesces
 * bursts) make one run over the union of their provinces.
 *
 * <p>A failed run reports the batch's first record, so Lambda retries the whole batch; a run is safe
 * to repeat (see {@link MatchingRun}).
 */
public final class MatchingHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private final MatchingRun run;
  private final MatchStore store;

  public MatchingHandler() {
    this(Wiring.fromEnv());
  }

  MatchingHandler(Wiring wiring) {
    this.store = wiring.matchStore();
    this.run = new MatchingRun(store, wiring.clock(),
        wiring.integer("MINIMUM_STAY_DAYS", Policy.DEFAULT_MINIMUM_STAY_DAYS),
        new RegionRunLog(wiring.dynamo(), wiring.tables().regionStats()),
        MatchingRun.solver(wiring.get("MATCHING_STRATEGY")));
  }

  MatchingHandler(MatchingRun run, MatchStore store) {
    this.run = run;
    this.store = store;
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    Set<String> provinces = new LinkedHashSet<>();
    Set<String> cases = new LinkedHashSet<>();
    try {
      // The households among the triggers, read together: which provinces they accept is on their case items.
      List<String> households = new java.util.ArrayList<>();
      for (DynamodbStreamRecord record : event.getRecords()) {
        if (isTrigger(record) && "guest".equals(text(record.getDynamodb().getNewImage(), "kind"))) {
          households.add(text(record.getDynamodb().getNewImage(), "caseId"));
        }
      }
      Map<String, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> items =
          households.isEmpty() ? Map.of() : store.caseItems(households);
      for (DynamodbStreamRecord record : event.getRecords()) {
        trigger(record, items, provinces, cases);
      }
      if (provinces.isEmpty()) {
        return new StreamsEventResponse(List.of());
      }
      long started = System.nanoTime();
      MatchingRun.Outcome outcome = run.run(provinces, cases);
      long millis = (System.nanoTime() - started) / 1_000_000;
      ObjectNode line = JsonLog.line("INFO", "matching run");
      line.put("provinces", String.join(",", provinces)).put("triggers", cases.size())
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
      return new StreamsEventResponse(List.of());
    } catch (RuntimeException e) {
      ObjectNode line = JsonLog.line("ERROR", "matching run failed; the batch will be retried");
      line.put("provinces", String.join(",", provinces)).put("error", e.getClass().getName() + ": " + e.getMessage());
      JsonLog.write(line);
      String first = event.getRecords().get(0).getDynamodb().getSequenceNumber();
      return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(first)));
    }
  }

  /** A case event that may make a match possible: a household into the open pool, a host approved. */
  private static boolean isTrigger(DynamodbStreamRecord record) {
    Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
    if (!"INSERT".equals(record.getEventName()) || image == null || !"EVENT".equals(text(image, "itemType"))) {
      return false;
    }
    String kind = text(image, "kind");
    String to = text(image, "toStatus");
    if (to == null || to.equals(text(image, "fromStatus"))) {
      return false; // an assignment or a handover: the pools did not change
    }
    return ("host".equals(kind) && "approved".equals(to)) || ("guest".equals(kind) && "open".equals(to));
  }

  private void trigger(DynamodbStreamRecord record,
      Map<String, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> households,
      Set<String> provinces, Set<String> cases) {
    if (!isTrigger(record)) {
      return;
    }
    Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
    String kind = text(image, "kind");
    String caseId = text(image, "caseId");
    if ("host".equals(kind)) {
      provinces.add(text(image, "region"));
      cases.add(caseId);
    } else {
      var item = households.get(caseId);
      if (item == null) {
        return;
      }
      cases.add(caseId);
      var profile = item.get("profile").m();
      if (profile.get("acceptsOtherRegions").bool()) {
        provinces.addAll(Provinces.CODES);
      } else {
        profile.get("preferredRegions").l().forEach(r -> {
          if (Provinces.index(r.s()) >= 0) {
            provinces.add(r.s());
          }
        });
      }
      provinces.add(Attr.str(item, "region"));
    }
  }

  private static String text(Map<String, AttributeValue> image, String name) {
    AttributeValue v = image.get(name);
    return v == null ? null : v.getS();
  }
}
