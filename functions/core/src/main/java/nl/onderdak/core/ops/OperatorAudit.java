package nl.onderdak.core.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every operator request on a durable record (the audit table), not only in logs that end after
 * {@code LogRetentionDays}: who (the IAM principal), which route, on what (the path's ids), when, from which
 * request, and how it ended. Written before the request is handled ({@code attempted}: an action that cannot be put
 * on record is not done) and completed after it ({@code status}). Never a request's body: it may hold free text.
 *
 * <pre>
 * AUDIT#&lt;day&gt;   &lt;time&gt;#&lt;requestId&gt;   actor, route, target, requestId, at, status
 * </pre>
 */
public final class OperatorAudit {
  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public OperatorAudit(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /** One request's entry: where it is written. */
  public record Entry(String pk, String sk) {}

  /** Before the request is handled; throws when it cannot be recorded (the request is then refused). */
  public Entry attempted(String actor, String route, Map<String, String> target, String requestId) {
    Instant at = clock.instant();
    Entry e = new Entry("AUDIT#" + at.toString().substring(0, 10), at + "#" + requestId);
    Map<String, AttributeValue> item = new java.util.HashMap<>(Attr.item("pk", e.pk(), "sk", e.sk(),
        "actor", actor, "route", route, "requestId", requestId, "at", at.toString(), "state", "attempted"));
    if (target != null && !target.isEmpty()) {
      item.put("target", Attr.stringMap(target));
    }
    dynamo.putItem(b -> b.tableName(table).item(item));
    return e;
  }

  /** After it: how it ended. */
  public void finished(Entry e, int status) {
    dynamo.updateItem(b -> b.tableName(table).key(Attr.key(e.pk(), e.sk()))
        .updateExpression("SET #s = :s, #state = :done, finishedAt = :at")
        .expressionAttributeNames(Map.of("#s", "status", "#state", "state"))
        .expressionAttributeValues(Map.of(":s", Attr.n(status), ":done", Attr.s("finished"),
            ":at", Attr.s(clock.instant().toString()))));
  }
}
