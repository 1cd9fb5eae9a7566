package nl.onderdak.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream handler for a mapping with a {@code ParallelizationFactor}: it records every batch as
 * {@code key#seq} of its records, how many invocations were running at once at most, and takes a while over
 * each batch so that lanes overlap. A record with {@code fail=report} is reported as failed the first time.
 */
public final class LaneRecordingHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  static final List<List<String>> BATCHES = new CopyOnWriteArrayList<>();
  static final AtomicInteger RUNNING = new AtomicInteger();
  static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
  private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    int now = RUNNING.incrementAndGet();
    MOST_AT_ONCE.accumulateAndGet(now, Math::max);
    try {
      List<String> records = new ArrayList<>();
      List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
      for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
        var image = r.getDynamodb().getNewImage();
        String record = image.get("pk").getS() + "#" + image.get("seq").getN();
        var fail = image.get("fail");
        if (fail != null && fail.getS().equals("report") && FAILED_ONCE.add(record)) {
          failures.add(new StreamsEventResponse.BatchItemFailure(r.getDynamodb().getSequenceNumber()));
          break;
        }
        records.add(record);
      }
      BATCHES.add(records);
      Thread.sleep(150);
      return new StreamsEventResponse(failures);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      RUNNING.decrementAndGet();
    }
  }
}
