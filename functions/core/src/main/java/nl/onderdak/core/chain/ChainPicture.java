package nl.onderdak.core.chain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The chain at a glance, for coordinators: per organisation the cases it holds and, per step, the cases waiting
 * on it now (handovers it is asked to take included, as the step {@code handover}); and the cases waiting with
 * a role nobody holds, per role. Read from the holder rows (counts of the {@code ByHolder} and {@code ByWaiting}
 * indexes), so it is what the organisations' own lists say. The times a step waited, and the handovers in, out
 * and refused, are metrics of the case events (see {@code CaseEventLines}).
 */
public final class ChainPicture {
  private final DynamoDbClient dynamo;
  private final String table;

  public ChainPicture(DynamoDbClient dynamo, String casesTable) {
    this.dynamo = dynamo;
    this.table = casesTable;
  }

  /** One organisation's figures. */
  public record Organisation(String partnerId, String name, long held, Map<String, Long> waitingByStep) {
    public long waiting() {
      return waitingByStep.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public record Picture(List<Organisation> organisations, long unassigned, Map<String, Long> unassignedByRole) {}

  public Picture now(List<Partner> partners) {
    List<Organisation> out = new ArrayList<>();
    for (Partner p : partners) {
      Map<String, Long> waiting = new TreeMap<>();
      query(HolderRows.BY_WAITING, "waitingFor", p.id(), "step, itemType").forEach(row -> {
        String step = HolderRows.ITEM_TYPE.equals(Attr.str(row, "itemType")) ? Attr.str(row, "step") : Handovers.STEP;
        waiting.merge(step == null ? "none" : step, 1L, Long::sum);
      });
      out.add(new Organisation(p.id(), p.name(), count(p.id()), waiting));
    }
    Map<String, Long> byRole = new LinkedHashMap<>();
    for (Role r : Role.values()) {
      byRole.put(r.wire(), 0L);
    }
    long[] unassigned = {0};
    query(HolderRows.BY_HOLDER, "holder", HolderRows.UNASSIGNED, "#r").forEach(row -> {
      unassigned[0]++;
      AttributeValue roles = row.get("roles");
      if (roles != null && roles.hasSs()) {
        roles.ss().forEach(r -> byRole.merge(r, 1L, Long::sum));
      }
    });
    return new Picture(out, unassigned[0], byRole);
  }

  private long count(String holder) {
    long total = 0;
    Map<String, AttributeValue> start = null;
    do {
      var builder = QueryRequest.builder().tableName(table).indexName(HolderRows.BY_HOLDER)
          .keyConditionExpression("holder = :h").expressionAttributeValues(Map.of(":h", Attr.s(holder)))
          .select(Select.COUNT);
      if (start != null) {
        builder.exclusiveStartKey(start);
      }
      var r = dynamo.query(builder.build());
      total += r.count();
      start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return total;
  }

  private List<Map<String, AttributeValue>> query(String index, String key, String value, String projection) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    var builder = QueryRequest.builder().tableName(table).indexName(index).keyConditionExpression("#k = :v")
        .expressionAttributeValues(Map.of(":v", Attr.s(value))).projectionExpression(projection);
    Map<String, String> names = new LinkedHashMap<>();
    names.put("#k", key);
    if (projection.contains("#r")) {
      names.put("#r", "roles");
    }
    builder.expressionAttributeNames(names);
    dynamo.queryPaginator(builder.build()).items().forEach(out::add);
    return out;
  }
}
