package nl.onderdak.core.privacy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.PersonalKeys;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Personal data is kept while the case is worked on, and for {@code PersonalDataRetentionDays} after it ends (closed,
 * withdrawn, rejected): not from registration, so that a household still placed keeps its contact details. When a
 * case ends, its details, notes, decision texts and contact claims (personal-data table, TTL {@code deleteAfter}) and
 * its record of reads (cases table, TTL {@code expiresAt}) are given the same end; DynamoDB deletes them by itself
 * then. The case-events reader calls this for every event that ends a case; done twice it sets the same times.
 */
public final class Retention {
  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final Duration period;

  public Retention(DynamoDbClient dynamo, Tables tables, Duration period) {
    this.dynamo = dynamo;
    this.tables = tables;
    this.period = period;
  }

  /** Whether the event ends its case (its status becomes terminal now). */
  public static boolean ends(CaseEvent e) {
    if (e.toStatus() == null || e.toStatus().equals(e.fromStatus())) {
      return false;
    }
    CaseStatus to = CaseStatus.fromWire(e.kind(), e.toStatus());
    CaseStatus from = e.fromStatus() == null ? null : CaseStatus.fromWire(e.kind(), e.fromStatus());
    return to != null && to.terminal() && (from == null || !from.terminal());
  }

  /** The case ended at {@code endedAt}: everything personal of it now ends {@code period} later. */
  public void caseEnded(String caseId, CaseKind kind, Instant endedAt) {
    long end = endedAt.plus(period).getEpochSecond();
    Map<String, AttributeValue> details = null;
    for (Map<String, AttributeValue> item : query(tables.personalData(), PersonalKeys.casePartition(caseId), null)) {
      expire(tables.personalData(), item, "deleteAfter", end);
      if (PersonalKeys.DETAILS.equals(Attr.str(item, "sk"))) {
        details = item;
      }
    }
    for (String claim : ContactClaims.heldBy(dynamo, tables, caseId, kind, details)) {
      expire(tables.personalData(), Attr.key(claim, PersonalKeys.CLAIM), "deleteAfter", end);
    }
    for (Map<String, AttributeValue> read : query(tables.cases(), CaseEvent.partitionKey(caseId), "READ#")) {
      expire(tables.cases(), read, "expiresAt", end);
    }
  }

  private void expire(String table, Map<String, AttributeValue> item, String attribute, long end) {
    try {
      dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
          .updateExpression("SET #a = :end").conditionExpression("attribute_exists(pk)")
          .expressionAttributeNames(Map.of("#a", attribute)).expressionAttributeValues(Map.of(":end", Attr.n(end))));
    } catch (ConditionalCheckFailedException gone) {
      // Erased meanwhile: nothing to keep.
    }
  }

  private List<Map<String, AttributeValue>> query(String table, String pk, String prefix) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    var request = QueryRequest.builder().tableName(table).consistentRead(true).projectionExpression("pk, sk, contact");
    if (prefix == null) {
      request.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(pk)));
    } else {
      request.keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
          .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":p", Attr.s(prefix)));
    }
    dynamo.queryPaginator(request.build()).items().forEach(out::add);
    return out;
  }
}
