package nl.onderdak.notifications;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.function.Wiring;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The {@link WebhookQueue} on SQS: the only class that knows the queues' wire shape. */
public final class SqsWebhookQueue implements WebhookQueue {
  private final SqsClient sqs;
  private final String queueUrl;
  private final String deadLetterUrl;

  public SqsWebhookQueue(SqsClient sqs, String queueUrl, String deadLetterUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.deadLetterUrl = deadLetterUrl;
  }

  @Override
  public void send(List<String> bodies) {
    sendAll(queueUrl, bodies, null);
  }

  @Override
  public void retryIn(String receiptHandle, int seconds) {
    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout(seconds));
  }

  @Override
  public void park(String body, Parked why) {
    sqs.sendMessage(b -> b.queueUrl(deadLetterUrl()).messageBody(body).messageAttributes(attributes(why)));
  }

  @Override
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
