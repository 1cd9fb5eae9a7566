package nl.onderdak.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An SQS handler that records each message body, how many invocations ran at once at most, and takes a while. */
public final class QueueRecordingHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  static final List<String> BODIES = new CopyOnWriteArrayList<>();
  static final AtomicInteger RUNNING = new AtomicInteger();
  static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
    try {
      event.getRecords().forEach(m -> BODIES.add(m.getBody()));
      Thread.sleep(200);
      return new SQSBatchResponse(List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      RUNNING.decrementAndGet();
    }
  }
}
