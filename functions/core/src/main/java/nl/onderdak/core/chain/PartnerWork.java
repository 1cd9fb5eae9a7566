package nl.onderdak.core.chain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.ValidationException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * An organisation's own work, from its holder rows: the cases it holds ({@code ByHolder}), what waits on it
 * ({@code ByWaiting}: steps waiting on its roles and handovers it is asked to take), and for operators the cases
 * waiting unassigned. Pages are read in the index's order (the time the case entered its step: longest waiting
 * first, or newest first) and carry an opaque cursor, bound to the organisation it was given to.
 */
public final class PartnerWork {
  public static final int MAX_LIMIT = 100;
  private final DynamoDbClient dynamo;
  private final String table;

  public PartnerWork(DynamoDbClient dynamo, String casesTable) {
    this.dynamo = dynamo;
    this.table = casesTable;
  }

  /** The filters of a listing. {@code waitingDays} lists only what waits on the organisation, that long. */
  public record Filters(Role role, Set<String> statuses, Integer waitingDays, boolean newestFirst) {}

  public record Page(List<Row> rows, String cursor) {}

  /**
   * A row of a listing: a case listed under an organisation (or under nobody) with its step, the roles held and what
   * waits on whom since when; or, on a queue, a handover waiting for the organisation's answer.
   *
   * @param waiting the roles the step waits on (empty: nothing waits on this organisation)
   * @param lead null on the unassigned listing
   */
  public record Row(boolean handover, String caseId, String kind, String programme, String caseType, String status,
      String step, String since, String region, String matchId, List<String> roles, Boolean lead,
      List<String> waiting, List<String> handingOver, String handoverId, String handoverRole, String from,
      String reason, String requestedAt) {
    static Row of(Map<String, AttributeValue> item) {
      boolean handover = !HolderRows.ITEM_TYPE.equals(Attr.str(item, "itemType"));
      return new Row(handover, Attr.str(item, "caseId"), Attr.str(item, "kind"), Attr.str(item, "programme"),
          Attr.str(item, "caseType"), Attr.str(item, handover ? "caseStatus" : "status"), Attr.str(item, "step"),
          Attr.str(item, "since"), Attr.str(item, "region"), Attr.str(item, "matchId"), strings(item, "roles"),
          item.get("lead") == null ? null : item.get("lead").bool(), strings(item, "waiting"),
          strings(item, "handingOver"), Attr.str(item, "handoverId"), Attr.str(item, "role"), Attr.str(item, "from"),
          Attr.str(item, "reason"), Attr.str(item, "requestedAt"));
    }

    private static List<String> strings(Map<String, AttributeValue> item, String name) {
      AttributeValue v = item.get(name);
      return v == null || !v.hasSs() ? List.of() : v.ss().stream().sorted().toList();
    }
  }

  public Page cases(String partnerId, Filters f, String cursor, int limit, Instant now) {
    boolean waitingOnly = f.waitingDays() != null;
    String index = waitingOnly ? HolderRows.BY_WAITING : HolderRows.BY_HOLDER;
    String hash = waitingOnly ? "waitingFor" : "holder";
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":h", Attr.s(partnerId));
    String key = "#h = :h";
    Map<String, String> names = new HashMap<>(Map.of("#h", hash));
    if (waitingOnly) {
      key += " AND holderOrder < :cutoff";
      values.put(":cutoff", Attr.s(now.minus(Duration.ofDays(f.waitingDays())).toString()));
    }
    List<String> filters = new ArrayList<>();
    filters.add("itemType = :holderRow");
    values.put(":holderRow", Attr.s(HolderRows.ITEM_TYPE));
    if (f.role() != null) {
      filters.add("contains(#roles, :role)");
      names.put("#roles", "roles");
      values.put(":role", Attr.s(f.role().wire()));
    }
    if (f.statuses() != null && !f.statuses().isEmpty()) {
      List<String> in = new ArrayList<>();
      int i = 0;
      for (String s : f.statuses()) {
        in.add(":s" + i);
        values.put(":s" + i++, Attr.s(s));
      }
      filters.add("#s IN (" + String.join(", ", in) + ")");
      names.put("#s", "status");
    }
    return page(index, key, String.join(" AND ", filters), names, values, !f.newestFirst(), cursor, partnerId, hash,
        limit);
  }

  /** What waits on the organisation, longest waiting first: rows of cases whose step waits on it, and handovers. */
  public Page waiting(String partnerId, String cursor, int limit) {
    return page(HolderRows.BY_WAITING, "waitingFor = :h", null, Map.of(), Map.of(":h", Attr.s(partnerId)), true,
        cursor, partnerId, "waitingFor", limit);
  }

  /** Cases with a role nobody holds, longest waiting first. */
  public Page unassigned(String cursor, int limit) {
    return page(HolderRows.BY_HOLDER, "holder = :h", null, Map.of(), Map.of(":h", Attr.s(HolderRows.UNASSIGNED)), true,
        cursor, HolderRows.UNASSIGNED, "holder", limit);
  }

  private Page page(String index, String key, String filter, Map<String, String> names,
      Map<String, AttributeValue> values, boolean forward, String cursor, String owner, String hash, int limit) {
    Map<String, AttributeValue> start = decode(cursor, owner, hash);
    List<Row> rows = new ArrayList<>();
    // A filter may leave a page short; read on until it is full or the index has no more (a few reads at most).
    for (int reads = 0; reads < 10 && rows.size() < limit; reads++) {
      QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index).keyConditionExpression(key)
          .expressionAttributeValues(values).scanIndexForward(forward).limit(limit - rows.size());
      if (!names.isEmpty()) {
        q.expressionAttributeNames(names);
      }
      if (filter != null) {
        q.filterExpression(filter);
      }
      if (start != null) {
        q.exclusiveStartKey(start);
      }
      QueryResponse r = dynamo.query(q.build());
      r.items().forEach(item -> rows.add(Row.of(item)));
      start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
      if (start == null) {
        break;
      }
    }
    return new Page(rows, start == null ? null : encode(start));
  }

  private static String encode(Map<String, AttributeValue> key) {
    Map<String, String> flat = new LinkedHashMap<>();
    key.forEach((k, v) -> flat.put(k, v.s()));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(Json.mapper().valueToTree(flat))
        .getBytes(StandardCharsets.UTF_8));
  }

  /** A cursor is the last key read; one given for another organisation, or garbled, is refused. */
  private static Map<String, AttributeValue> decode(String cursor, String owner, String hash) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      var node = Json.parse(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      Map<String, AttributeValue> key = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> key.put(e.getKey(), Attr.s(e.getValue().asText())));
      if (!owner.equals(Attr.str(key, hash)) || key.size() != 4) {
        throw new IllegalArgumentException("not this listing's cursor");
      }
      return key;
    } catch (RuntimeException e) {
      throw new ValidationException(List.of(new FieldError("cursor", FieldError.Codes.INVALID_FORMAT,
          "pass the cursor of the previous page as it was given")));
    }
  }
}
