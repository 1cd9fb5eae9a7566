package nl.onderdak.function.batch;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import nl.onderdak.function.JsonLog;

/**
 * An SQS batch, processed apart from the work on its messages: the messages are independent (no order to keep),
 * so they are worked at once on a small pool, and each one not finished is reported (ReportBatchItemFailures)
 * to come back after its visibility timeout; the others are deleted by Lambda.
 */
public final class QueueBatch {
  private final String name;
  private final ExecutorService pool;

  /** @param threads how many messages are worked at once (each mostly waits on the network) */
  public QueueBatch(String name, int threads) {
    this.name = name;
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** @param work true when the message is finished with; false, or throwing, to have it again later */
  public SQSBatchResponse process(SQSEvent event, Predicate<SQSEvent.SQSMessage> work) {
    List<SQSEvent.SQSMessage> messages = event.getRecords() == null ? List.of() : event.getRecords();
    List<Future<Boolean>> results = new ArrayList<>();
    for (SQSEvent.SQSMessage m : messages) {
      results.add(pool.submit(() -> work.test(m)));
    }
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      boolean done;
      try {
        done = results.get(i).get();
      } catch (Exception e) {
        ObjectNode line = JsonLog.line("ERROR", name + ": a message failed; it comes back after its visibility timeout");
        line.put("messageId", messages.get(i).getMessageId());
        Throwable cause = e.getCause() == null ? e : e.getCause();
        line.put("error", cause.getClass().getName() + ": " + cause.getMessage());
        JsonLog.write(line);
        done = false;
      }
      if (!done) {
        failures.add(SQSBatchResponse.BatchItemFailure.builder()
            .withItemIdentifier(messages.get(i).getMessageId()).build());
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }
}
