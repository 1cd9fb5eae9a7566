package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The chain at a glance, for coordinators: per organisation the cases it holds and, per step, the cases waiting
 * on it now (handovers it is asked to take included, as the step {@code handover}); and the cases waiting with
 * a role nobody holds, per role. What waits is read from the holder rows ({@code ByWaiting} and the
 * {@code UNASSIGNED} rows: the work queues, so it is what the organisations' own queues say); what each holds is
 * the case-events reader's count ({@link nl.onderdak.core.tally.RegionTallies#heldDeltas}), so that nobody reads
 * every organisation's every case to say how many there are. The times a step waited, and the handovers in, out
 * and refused, are metrics of the case events (see {@code CaseEventLines}).
 */
public final class ChainPicture {
  private final DynamoDbClient dynamo;
  private final String table;
  private final nl.onderdak.core.tally.RegionTallies tallies;

  /** @param tallies where the case-events reader counts the open cases each organisation holds */
  public ChainPicture(DynamoDbClient dynamo, String casesTable, nl.onderdak.core.tally.RegionTallies tallies) {
    this.dynamo = dynamo;
    this.table = casesTable;
    this.tallies = tallies;
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
    Map<String, Long> held = tallies.held();
    for (Partner p : partners) {
      Map<String, Long> waiting = new TreeMap<>();
      query(HolderRows.BY_WAITING, "waitingFor", p.id(), "step, itemType").forEach(row -> {
        String step = HolderRows.ITEM_TYPE.equals(Attr.str(row, "itemType")) ? Attr.str(row, "step") : Handovers.STEP;
        waiting.merge(step == null ? "none" : step, 1L, Long::sum);
      });
      out.add(new Organisation(p.id(), p.name(), held.getOrDefault(p.id(), 0L), waiting));
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

  /**
   * The picture as {@code GET /admin/chain} answers it: per organisation what it holds and what waits on it, per
   * step; the cases waiting unassigned, per role. Counts and organisations' names only: no case, no person.
   */
  public static ObjectNode toJson(Picture p) {
    ObjectNode out = Json.object().put("unassigned", p.unassigned());
    ObjectNode byRole = out.putObject("unassignedByRole");
    p.unassignedByRole().forEach(byRole::put);
    ArrayNode organisations = out.putArray("organisations");
    for (Organisation o : p.organisations()) {
      ObjectNode row = organisations.addObject().put("partnerId", o.partnerId()).put("name", o.name())
          .put("held", o.held()).put("waiting", o.waiting());
      ObjectNode byStep = row.putObject("waitingByStep");
      o.waitingByStep().forEach(byStep::put);
    }
    return out;
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
