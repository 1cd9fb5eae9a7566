package nl.onderdak.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * What SQS would have kept over a restart, put back. The embedded SQS engine holds its messages in
 * memory; the webhook log in the partners table (on disk with a data folder) records every webhook before
 * it is queued and what became of it. So at start-up every webhook the log says is still owed
 * ({@code queued}, {@code retrying}, {@code replay_requested}) goes back on the delivery queue, and every
 * {@code dead_lettered} one back in the dead-letter queue. A webhook that was delivered just before the
 * stop but not yet marked so is sent again with its own {@code webhook-id}: at least once, as in AWS.
 * Only the local runtime needs this; in AWS the queues are durable.
 */
final class WebhookRecovery {
  private WebhookRecovery() {}

  /** What was put back. */
  record Restored(int owed, int deadLettered) {}

  static Restored restore(DynamoDbClient dynamo, String partnersTable, SqsClient sqs, String queueUrl,
      String deadLetterUrl) {
    List<SendMessageBatchRequestEntry> owed = new ArrayList<>();
    List<SendMessageBatchRequestEntry> dead = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page = dynamo.scan(b -> b.tableName(partnersTable).consistentRead(true)
          .filterExpression("itemType = :w").expressionAttributeValues(Map.of(":w", Attr.s("WEBHOOK")))
          .exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : page.items()) {
        String state = Attr.str(item, "state");
        String body = Attr.str(item, "message");
        if (body == null || "delivered".equals(state)) {
          continue;
        }
        if ("dead_lettered".equals(state)) {
          dead.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(dead.size() % 10)).messageBody(body)
              .messageAttributes(Map.of(
                  "reason", text("restored after a restart of the local runtime; last answer: "
                      + Attr.str(item, "lastAnswer")),
                  "attempts", MessageAttributeValue.builder().dataType("Number")
                      .stringValue(Long.toString(Attr.num(item, "attempts"))).build(),
                  "lastStatus", text("none")))
              .build());
        } else {
          owed.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(owed.size() % 10)).messageBody(body)
              .build());
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    send(sqs, queueUrl, owed);
    send(sqs, deadLetterUrl, dead);
    return new Restored(owed.size(), dead.size());
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static void send(SqsClient sqs, String url, List<SendMessageBatchRequestEntry> entries) {
    for (int i = 0; i < entries.size(); i += 10) {
      List<SendMessageBatchRequestEntry> chunk = entries.subList(i, Math.min(entries.size(), i + 10));
      var sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(chunk));
      if (!sent.failed().isEmpty()) {
        throw new IllegalStateException("the local queue refused a restored webhook: " + sent.failed().get(0).message());
      }
    }
  }
}
