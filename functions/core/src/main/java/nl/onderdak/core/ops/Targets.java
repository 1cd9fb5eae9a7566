package nl.onderdak.core.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The agreed targets, in the region statistics table ({@code pk = TARGET}, {@code sk = <year>#<region>}).
 *
 * <p>Loading is a put per line: loading the same file twice, or again after a failure half-way, ends in
 * the same state; a later file overwrites the lines it names and leaves the others.
 */
public final class Targets {
  static final String PARTITION = "TARGET";
  private static final int BATCH = 25;
  private final DynamoDbClient dynamo;
  private final String table;

  public Targets(DynamoDbClient dynamo, String regionStatsTable) {
    this.dynamo = dynamo;
    this.table = regionStatsTable;
  }

  public void store(List<Target> targets, String loadedBy, Instant at) {
    List<WriteRequest> writes = new ArrayList<>();
    for (Target t : targets) {
      writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Attr.item(
          "pk", PARTITION,
          "sk", t.year() + "#" + t.region(),
          "region", t.region(),
          "year", (long) t.year(),
          "homes", t.homes() == null ? null : (long) t.homes(),
          "households", t.households() == null ? null : (long) t.households(),
          "name", t.name(),
          "loadedBy", loadedBy,
          "loadedAt", at.toString())).build()).build());
    }
    for (int i = 0; i < writes.size(); i += BATCH) {
      List<WriteRequest> chunk = writes.subList(i, Math.min(writes.size(), i + BATCH));
      Map<String, List<WriteRequest>> pending = Map.of(table, chunk);
      for (int attempt = 0; !pending.isEmpty(); attempt++) {
        if (attempt > 8) {
          throw new IllegalStateException("DynamoDB kept refusing part of the targets; load the file again");
        }
        if (attempt > 0) {
          sleep(50L << attempt);
        }
        Map<String, List<WriteRequest>> request = pending;
        BatchWriteItemResponse answer = dynamo.batchWriteItem(b -> b.requestItems(request));
        pending = answer.hasUnprocessedItems() ? answer.unprocessedItems() : Map.of();
      }
    }
  }

  /** Every target of a year, by region code. */
  public Map<String, Target> year(int year) {
    Map<String, Target> out = new java.util.TreeMap<>();
    QueryRequest query = QueryRequest.builder().tableName(table)
        .keyConditionExpression("pk = :pk AND begins_with(sk, :year)")
        .expressionAttributeValues(Map.of(":pk", Attr.s(PARTITION), ":year", Attr.s(year + "#")))
        .build();
    for (Map<String, AttributeValue> item : dynamo.queryPaginator(query).items()) {
      String region = Attr.str(item, "region");
      out.put(region, new Target(region, year, optional(item, "homes"), optional(item, "households"),
          Attr.str(item, "name")));
    }
    return out;
  }

  private static Integer optional(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? null : Integer.parseInt(v.n());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading targets", e);
    }
  }
}
