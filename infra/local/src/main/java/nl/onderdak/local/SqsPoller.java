package nl.onderdak.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping, locally: long-polls the queue, invokes the function with an
 * {@link SQSEvent} of up to BatchSize messages, deletes what succeeded (with ReportBatchItemFailures:
 * all but the reported ones; without: all, or none if the function failed). What is not deleted comes
 * back after its visibility timeout, and moves to the dead-letter queue by the queue's redrive policy.
 *
 * <p>As Lambda does, several pollers work the queue at once, each with its own batch: Lambda starts with five
 * and scales up with the backlog, to {@code ScalingConfig.MaximumConcurrency} if set; locally it is five, or that
 * maximum if it is lower.
 */
final class SqsPoller implements AutoCloseable {
  private final String name;
  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final LocalFunction function;
  private final int batchSize;
  private final boolean reportFailures;
  static final int POLLERS = 5;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  SqsPoller(String name, SqsClient sqs, String queueUrl, String queueArn, LocalFunction function, int batchSize,
      boolean reportFailures) {
    this(name, sqs, queueUrl, queueArn, function, batchSize, reportFailures, POLLERS);
  }

  SqsPoller(String name, SqsClient sqs, String queueUrl, String queueArn, LocalFunction function, int batchSize,
      boolean reportFailures, int pollers) {
    this.name = name;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.queueArn = queueArn;
    this.function = function;
    this.batchSize = Math.min(10, batchSize);
    this.reportFailures = reportFailures;
    for (int i = 1; i <= Math.max(1, pollers); i++) {
      Thread thread = new Thread(this::run, "sqs-" + name + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  String name() {
    return name;
  }

  void start() {
    threads.forEach(Thread::start);
  }

  private void run() {
    while (running) {
      try {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
            .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
            .messageAttributeNames("All")).messages();
        if (messages.isEmpty()) {
          continue;
        }
        deliver(messages);
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        e.printStackTrace();
        sleep(500);
      }
    }
  }

  private void deliver(List<Message> messages) {
    SQSEvent event = new SQSEvent();
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
      r.setMessageId(m.messageId());
      r.setReceiptHandle(m.receiptHandle());
      r.setBody(m.body());
      r.setMd5OfBody(m.md5OfBody());
      Map<String, String> attributes = new HashMap<>();
      m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
      r.setAttributes(attributes);
      r.setEventSource("aws:sqs");
      r.setEventSourceArn(queueArn);
      r.setAwsRegion(Intrinsics.REGION);
      records.add(r);
    }
    event.setRecords(records);
    Set<String> failed = new HashSet<>();
    try {
      Object result = function.invoke(event, "sqs", name + " (" + messages.size() + " messages)");
      if (reportFailures && result instanceof SQSBatchResponse response && response.getBatchItemFailures() != null) {
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
      }
    } catch (Exception e) {
      // The whole batch comes back after the visibility timeout, as in Lambda.
      return;
    }
    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
    for (Message m : messages) {
      if (!failed.contains(m.messageId())) {
        done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
            .receiptHandle(m.receiptHandle()).build());
      }
    }
    if (!done.isEmpty()) {
      sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    long deadline = System.currentTimeMillis() + 3000;
    try {
      for (Thread thread : threads) {
        thread.join(Math.max(1, deadline - System.currentTimeMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
