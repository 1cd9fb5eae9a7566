package nl.onderdak.core.partners;

import static nl.onderdak.core.storage.Attr.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The {@link WebhookLog} in the partners table, each entry expiring ({@code expiresAt}) after {@link #KEEP}:
 *
 * <ul>
 *   <li>{@code PARTNER#id / WEBHOOKID#webhookId}: the message (for a replay), its type, endpoint,
 *       state ({@code queued}, {@code retrying}, {@code delivered}, {@code dead_lettered},
 *       {@code replay_requested}), attempts and the last answer;
 *   <li>{@code PARTNER#id / WEBHOOK#time#webhookId}: the listing, newest first.
 * </ul>
 */
public final class DynamoWebhookLog implements WebhookLog {
  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoWebhookLog(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  private static Entry entry(Map<String, AttributeValue> item) {
    return new Entry(Attr.str(item, "webhookId"), Attr.str(item, "type"), Attr.str(item, "endpointId"),
        Attr.str(item, "eventAt"), Attr.str(item, "state"), Attr.num(item, "attempts"), Attr.str(item, "lastAnswer"),
        Attr.str(item, "updatedAt"), Attr.str(item, "message"));
  }

  /**
   * Records the webhooks of one event once each, in one transaction (fifty at a time: a transaction holds at most
   * a hundred items), rather than one per endpoint: the case-events reader calls this for every event.
   */
  @Override
  public void queued(List<Queued> webhooks, Instant now) {
    for (int from = 0; from < webhooks.size(); from += 50) {
      List<Queued> chunk = webhooks.subList(from, Math.min(webhooks.size(), from + 50));
      List<TransactWriteItem> writes = new ArrayList<>();
      chunk.forEach(w -> writes.addAll(items(w, now)));
      try {
        dynamo.transactWriteItems(b -> b.transactItems(writes));
      } catch (TransactionCanceledException e) {
        if (chunk.size() == 1) {
          continue; // already recorded
        }
        // Some were recorded before (a replayed batch, perhaps with an endpoint added since): each on its own.
        for (Queued w : chunk) {
          try {
            dynamo.transactWriteItems(b -> b.transactItems(items(w, now)));
          } catch (TransactionCanceledException recorded) {
            // Already recorded.
          }
        }
      }
    }
  }

  private List<TransactWriteItem> items(Queued w, Instant now) {
    long expires = now.plus(KEEP).getEpochSecond();
    Map<String, AttributeValue> record = Attr.item("pk", "PARTNER#" + w.partnerId(), "sk", "WEBHOOKID#" + w.webhookId(),
        "itemType", "WEBHOOK", "webhookId", w.webhookId(), "endpointId", w.endpointId(), "type", w.type(),
        "eventAt", w.eventAt().toString(), "state", "queued", "attempts", 0L, "message", w.message(),
        "updatedAt", now.toString(), "expiresAt", expires);
    Map<String, AttributeValue> listing = Attr.item("pk", "PARTNER#" + w.partnerId(),
        "sk", "WEBHOOK#" + w.eventAt() + "#" + w.webhookId(), "itemType", "WEBHOOK_LISTING",
        "webhookId", w.webhookId(), "expiresAt", expires);
    return List.of(putNew(record), putNew(listing));
  }

  /** After an attempt: the state, the attempt number and the answer (a status or an error). */
  @Override
  public void attempted(String partnerId, String webhookId, String state, int attempt, String answer, Instant at) {
    try {
      dynamo.updateItem(b -> b.tableName(table).key(Attr.key("PARTNER#" + partnerId, "WEBHOOKID#" + webhookId))
          .updateExpression("SET #state = :state, attempts = :attempt, lastAnswer = :answer, updatedAt = :at")
          .conditionExpression("attribute_exists(pk)")
          .expressionAttributeNames(Map.of("#state", "state"))
          .expressionAttributeValues(Attr.item(":state", state, ":attempt", attempt, ":answer", answer,
              ":at", at.toString())));
    } catch (ConditionalCheckFailedException e) {
      // Older than the log (or expired from it): nothing to update.
    }
  }

  /** The partner's most recent webhooks, newest first. */
  @Override
  public List<Entry> recent(String partnerId, int limit) {
    List<Map<String, AttributeValue>> listing = dynamo.query(b -> b.tableName(table)
        .keyConditionExpression("pk = :pk AND begins_with(sk, :w)")
        .expressionAttributeValues(Map.of(":pk", s("PARTNER#" + partnerId), ":w", s("WEBHOOK#")))
        .scanIndexForward(false).limit(limit)).items();
    if (listing.isEmpty()) {
      return List.of();
    }
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (Map<String, AttributeValue> l : listing) {
      keys.add(Attr.key("PARTNER#" + partnerId, "WEBHOOKID#" + Attr.str(l, "webhookId")));
    }
    Map<String, Map<String, AttributeValue>> byId = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i += 100) {
      List<Map<String, AttributeValue>> chunk = keys.subList(i, Math.min(keys.size(), i + 100));
      Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(chunk)
          .consistentRead(true).build());
      while (!request.isEmpty()) {
        var response = dynamo.batchGetItem(software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest.builder()
            .requestItems(request).build());
        response.responses().getOrDefault(table, List.of()).forEach(item -> byId.put(Attr.str(item, "webhookId"), item));
        request = response.unprocessedKeys();
      }
    }
    List<Entry> out = new ArrayList<>();
    for (Map<String, AttributeValue> l : listing) {
      Map<String, AttributeValue> item = byId.get(Attr.str(l, "webhookId"));
      if (item != null) {
        out.add(entry(item));
      }
    }
    return out;
  }

  @Override
  public Optional<Entry> find(String partnerId, String webhookId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Attr.key("PARTNER#" + partnerId, "WEBHOOKID#" + webhookId)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(entry(item));
  }

  /**
   * Every webhook in the log, of every partner, read strongly consistently page by page (a scan: for the local
   * runtime's restart, which puts back on its in-memory queues what the log says is still owed or parked).
   */
  @Override
  public void forEach(java.util.function.Consumer<Entry> each) {
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page = dynamo.scan(b -> b.tableName(table).consistentRead(true)
          .filterExpression("itemType = :w").expressionAttributeValues(Map.of(":w", s("WEBHOOK")))
          .exclusiveStartKey(from));
      page.items().forEach(item -> each.accept(entry(item)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
  }

  private TransactWriteItem putNew(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
        .conditionExpression("attribute_not_exists(pk)").build()).build();
  }
}
