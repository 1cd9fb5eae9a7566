package nl.onderdak.core.chain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The rows that list a case under each organisation responsible for it ({@code HOLDER#<partner>} in the case's
 * item collection, index {@code ByHolder}), and under {@code UNASSIGNED} while a role has nobody. A row says
 * which roles the organisation holds, the step the case is in and since when, and, when that step waits on
 * the organisation, for which roles ({@code waitingFor}, index {@code ByWaiting}: what {@code GET /partner/queue}
 * reads). They are rewritten in the transaction of every change to the case, so they never disagree with it;
 * a terminal status removes them all.
 */
public final class HolderRows {
  public static final String UNASSIGNED = "UNASSIGNED";
  public static final String ITEM_TYPE = "HOLDER";
  public static final String SORT_PREFIX = "HOLDER#";
  public static final String BY_HOLDER = "ByHolder";
  public static final String BY_WAITING = "ByWaiting";

  private HolderRows() {}

  /** The rows a case in this state has: one per responsible organisation, and one for its missing roles. */
  public static List<Map<String, AttributeValue>> rows(CaseView c, MatchContext match) {
    return rows(c, match, Quarantine.reason(c.item()) != null);
  }

  /**
   * The same, {@code held} saying whether the case is held as possibly fake ({@link Quarantine}): its organisations
   * still hold it (their lists show it), but nothing waits on them, so it is in no one's queue until released.
   */
  public static List<Map<String, AttributeValue>> rows(CaseView c, MatchContext match, boolean heldCase) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    if (c.terminal()) {
      return out;
    }
    CaseType type = c.caseType();
    Step step = c.step();
    Responsibility r = c.responsibility();
    for (String partner : r.partners()) {
      Set<Role> roles = r.rolesOf(partner);
      Set<Role> waiting = step == null || heldCase ? Set.of() : step.waitsOn(c, roles, partner, match);
      Set<Role> handingOver = EnumSet.noneOf(Role.class);
      c.handovers().keySet().forEach(role -> {
        if (roles.contains(role)) {
          handingOver.add(role);
        }
      });
      Map<String, AttributeValue> row = base(c, step, partner, roles);
      row.put("lead", AttributeValue.fromBool(partner.equals(r.holder(type.lead()))));
      if (!waiting.isEmpty()) {
        row.put("waiting", AttributeValue.fromSs(wires(waiting)));
        row.put("waitingFor", Attr.s(partner));
      }
      if (!handingOver.isEmpty()) {
        row.put("handingOver", AttributeValue.fromSs(wires(handingOver)));
      }
      out.add(row);
    }
    Set<Role> missing = r.missing(type.roles());
    if (!missing.isEmpty()) {
      out.add(base(c, step, UNASSIGNED, missing));
    }
    return out;
  }

  /** Who has a row for this case now: its organisations, and UNASSIGNED while a required role has nobody. */
  public static Set<String> rowOwners(CaseView c) {
    Set<String> out = new LinkedHashSet<>();
    if (c == null || c.terminal()) {
      return out;
    }
    out.addAll(c.responsibility().partners());
    if (!c.responsibility().missing(c.caseType().roles()).isEmpty()) {
      out.add(UNASSIGNED);
    }
    return out;
  }

  /** Puts rewriting a case's rows as they are, for a transaction that changes what its rows wait for only. */
  public static List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> rewrite(String table, CaseView c,
      MatchContext match) {
    List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> out = new ArrayList<>();
    for (Map<String, AttributeValue> row : rows(c, match)) {
      out.add(software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
          .put(p -> p.tableName(table).item(row)).build());
    }
    return out;
  }

  public static Map<String, AttributeValue> key(String caseId, String holder) {
    return Attr.key("CASE#" + caseId, SORT_PREFIX + holder);
  }

  private static Map<String, AttributeValue> base(CaseView c, Step step, String holder, Set<Role> roles) {
    Instant since = c.stepSince();
    Map<String, AttributeValue> row = new LinkedHashMap<>(Attr.item(
        "pk", "CASE#" + c.id(),
        "sk", SORT_PREFIX + holder,
        "itemType", ITEM_TYPE,
        "holder", holder,
        "holderOrder", since + "#" + c.id(),
        "caseId", c.id(),
        "kind", c.kind().wire(),
        "programme", c.programme(),
        "caseType", c.type(),
        "status", c.status().wire(),
        "step", step == null ? null : step.key(),
        "since", since.toString(),
        "region", c.region(),
        "matchId", c.matchId()));
    row.put("roles", AttributeValue.fromSs(wires(roles)));
    return row;
  }

  static List<String> wires(Set<Role> roles) {
    List<String> out = new ArrayList<>();
    roles.forEach(r -> out.add(r.wire()));
    return out;
  }
}
