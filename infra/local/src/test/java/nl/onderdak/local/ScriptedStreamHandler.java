package nl.onderdak.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import nl.onderdak.core.support.Env;

/**
 * A stream handler whose behaviour each item scripts: {@code fail=report:N} reports the record as
 * a batch item failure its first N deliveries, {@code fail=throw} throws whenever it is in a batch.
 * It records every batch it sees, as the keys of its records.
 */
public final class ScriptedStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  static final List<List<String>> BATCHES = new CopyOnWriteArrayList<>();
  static final List<String> ENVIRONMENT_SEEN = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  public ScriptedStreamHandler() {
    ENVIRONMENT_SEEN.add(Env.get("WATCHED_TABLE"));
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    List<String> keys = new ArrayList<>();
    event.getRecords().forEach(r -> keys.add(r.getDynamodb().getKeys().get("pk").getS()));
    BATCHES.add(keys);
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
      var fail = r.getDynamodb().getNewImage().get("fail");
      String script = fail == null ? "" : fail.getS();
      String key = r.getDynamodb().getKeys().get("pk").getS();
      if (script.equals("throw")) {
        throw new IllegalStateException("poison record " + key);
      }
      if (script.startsWith("report:")) {
        int times = Integer.parseInt(script.substring("report:".length()));
        if (FAILURES.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() <= times) {
          failures.add(new StreamsEventResponse.BatchItemFailure(r.getDynamodb().getSequenceNumber()));
          break;
        }
      }
    }
    return new StreamsEventResponse(failures);
  }
}
