package nl.onderdak.notifications;

import java.util.List;
import nl.onderdak.function.Wiring;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The webhook delivery queue and its dead-letter queue: what the case-events reader puts on, the deliverer takes
 * off, hides for a retry or parks, a replay puts back. {@link SqsWebhookQueue} in AWS and in the local runtime;
 * the fast tests use one in memory.
 */
public interface WebhookQueue {
  String QUEUE_URL = "WEBHOOK_QUEUE_URL";
  String DEAD_LETTER_URL = "WEBHOOK_DLQ_URL";

  /** Why a message was parked, and after how many attempts: what an operator sees in the console. */
  record Parked(String reason, int attempts, Integer lastStatus) {}

  /** The queue the function's variables name; the dead-letter queue only where the template gives it. */
  static WebhookQueue fromEnv(Wiring wiring) {
    return new SqsWebhookQueue(Wiring.client(SqsClient.builder(), Wiring.SQS_ENDPOINT), wiring.require(QUEUE_URL),
        wiring.get(DEAD_LETTER_URL));
  }

  /** Onto the delivery queue, ten at a time; a refused message fails the call (the batch is retried). */
  void send(List<String> bodies);

  /** Hidden for this long: the attempt after it is the retry. */
  void retryIn(String receiptHandle, int seconds);

  /** Into the dead-letter queue, with why; the deliverer then lets it go off the delivery queue. */
  void park(String body, Parked why);

  /** Many into the dead-letter queue (a restart putting back what was parked), ten at a time. */
  void parkAll(List<String> bodies, List<Parked> why);
}
