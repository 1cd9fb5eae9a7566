package nl.onderdak.notifications;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.function.Wiring;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The webhook delivery queue and its dead-letter queue (SQS): what the case-events reader puts on, the deliverer
 * takes off, hides for a retry or parks, a replay puts back. The only class that knows their wire shape.
 */
public final class WebhookQueue {
  public static final String QUEUE_URL = "WEBHOOK_QUEUE_URL";
  public static final String DEAD_LETTER_URL = "WEBHOOK_DLQ_URL";
  private final SqsClient sqs;
  private final String queueUrl;
  private final String deadLetterUrl;

  public WebhookQueue(SqsClient sqs, String queueUrl, String deadLetterUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.deadLetterUrl = deadLetterUrl;
  }

  /** The queue the function's variables name; the dead-letter queue only where the template gives it. */
  public static WebhookQueue fromEnv(Wiring wiring) {
    return new WebhookQueue(Wiring.client(SqsClient.builder(), Wiring.SQS_ENDPOINT), wiring.require(QUEUE_URL),
        wiring.get(DEAD_LETTER_URL));
  }

  /** Why a message was parked, and after how many attempts: what an operator sees in the console. */
  public record Parked(String reason, int attempts, Integer lastStatus) {}

  /** Onto the delivery queue, ten at a time; a refused message fails the call (the batch is retried). */
  public void send(List<String> bodies) {
    sendAll(queueUrl, bodies, null);
  }

  /** Hidden for this long: the attempt after it is the retry. */
  public void retryIn(String receiptHandle, int seconds) {
    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout(seconds));
  }

  /** Into the dead-letter queue, with why; the deliverer then lets it go off the delivery queue. */
  public void park(String body, Parked why) {
    sqs.sendMessage(b -> b.queueUrl(deadLetterUrl()).messageBody(body).messageAttributes(attributes(why)));
  }

  /** Many into the dead-letter queue (a restart putting back what was parked), ten at a time. */
  public void parkAll(List<String> bodies, List<Parked> why) {
    sendAll(deadLetterUrl(), bodies, why);
  }

  private String deadLetterUrl() {
    if (deadLetterUrl == null || deadLetterUrl.isBlank()) {
      throw new IllegalStateException("environment variable " + DEAD_LETTER_URL + " is not set (see template.yaml)");
    }
    return deadLetterUrl;
  }

  private void sendAll(String url, List<String> bodies, List<Parked> why) {
    for (int i = 0; i < bodies.size(); i += 10) {
      List<SendMessageBatchRequestEntry> chunk = new ArrayList<>();
      for (int j = i; j < Math.min(bodies.size(), i + 10); j++) {
        var entry = SendMessageBatchRequestEntry.builder().id(Integer.toString(chunk.size())).messageBody(bodies.get(j));
        if (why != null) {
          entry.messageAttributes(attributes(why.get(j)));
        }
        chunk.add(entry.build());
      }
      var sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(chunk));
      if (!sent.failed().isEmpty()) {
        throw new IllegalStateException("the queue refused " + sent.failed().size() + " message(s): "
            + sent.failed().get(0).message());
      }
    }
  }

  private static Map<String, MessageAttributeValue> attributes(Parked why) {
    return Map.of(
        "reason", MessageAttributeValue.builder().dataType("String").stringValue(why.reason()).build(),
        "attempts", MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(why.attempts()))
            .build(),
        "lastStatus", MessageAttributeValue.builder().dataType("String")
            .stringValue(why.lastStatus() == null ? "none" : why.lastStatus().toString()).build());
  }
}
