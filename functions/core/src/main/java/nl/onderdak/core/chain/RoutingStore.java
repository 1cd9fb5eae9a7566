package nl.onderdak.core.chain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The routing in the partners table, as one item ({@code ROUTING / CURRENT}): the rules, and for each role and
 * province the organisations holding it ({@code h#<role>#<province>}, string sets, kept by partner onboarding in
 * the same transaction). One item, so that replacing the rules is atomic and a registration reads the whole
 * routing in one call; it holds ids and codes only (no key hash, no secret), and registration functions may
 * read this item and nothing else of the table.
 */
public final class RoutingStore {
  public static final String PK = "ROUTING";
  public static final String SK = "CURRENT";
  private static final String HOLDERS = "h#";
  /** The organisations disabled now: the routing passes over their rules. */
  private static final String DISABLED = "disabled";
  private final DynamoDbClient dynamo;
  private final String table;

  public RoutingStore(DynamoDbClient dynamo, String partnersTable) {
    this.dynamo = dynamo;
    this.table = partnersTable;
  }

  public Routing read() {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Attr.key(PK, SK)).consistentRead(true))
        .item();
    if (item == null || item.isEmpty()) {
      return Routing.EMPTY;
    }
    List<RoutingRule> rules = new ArrayList<>();
    AttributeValue list = item.get("rules");
    if (list != null && list.hasL()) {
      for (AttributeValue v : list.l()) {
        Map<String, AttributeValue> r = v.m();
        Role role = Role.fromWire(Attr.str(r, "role"));
        if (role != null) {
          rules.add(new RoutingRule(Attr.str(r, "programme"), role, Attr.str(r, "region"), Attr.str(r, "partnerId")));
        }
      }
    }
    Map<String, Set<String>> holders = new HashMap<>();
    item.forEach((name, value) -> {
      if (name.startsWith(HOLDERS) && value.hasSs()) {
        holders.put(name.substring(HOLDERS.length()), new LinkedHashSet<>(value.ss()));
      }
    });
    AttributeValue disabled = item.get(DISABLED);
    return new Routing(rules, holders, disabled != null && disabled.hasSs() ? Set.copyOf(disabled.ss()) : Set.of());
  }

  /** Replaces every rule at once. */
  public void replaceRules(List<RoutingRule> rules, String by, Instant at) {
    List<AttributeValue> list = new ArrayList<>();
    for (RoutingRule r : rules) {
      list.add(Attr.map("programme", r.programme(), "role", r.role().wire(), "region", r.region(),
          "partnerId", r.partnerId()));
    }
    dynamo.updateItem(b -> b.tableName(table).key(Attr.key(PK, SK))
        .updateExpression("SET #rules = :rules, rulesUpdatedAt = :at, rulesUpdatedBy = :by")
        .expressionAttributeNames(Map.of("#rules", "rules"))
        .expressionAttributeValues(Map.of(":rules", AttributeValue.fromL(list), ":at", Attr.s(at.toString()),
            ":by", Attr.s(by))));
  }

  /** The routing item's part of onboarding a partner: it now holds these roles in these provinces. */
  public TransactWriteItem addHolder(String partnerId, Set<Role> roles, Set<String> provinces) {
    return holders(partnerId, roles, provinces, Set.of(), Set.of(), null);
  }

  /**
   * The routing item's part of a change to an organisation: it now holds {@code adding} and no longer
   * {@code removing} (role × province each), and is disabled or not ({@code disabled} null: as it was); null when
   * nothing changes there.
   */
  public TransactWriteItem holders(String partnerId, Set<Role> addRoles, Set<String> addProvinces,
      Set<Role> removeRoles, Set<String> removeProvinces, Boolean disabled) {
    Set<String> adding = new java.util.TreeSet<>();
    addRoles.forEach(r -> addProvinces.forEach(p -> adding.add(HOLDERS + Routing.holdersKey(r, p))));
    Set<String> removing = new java.util.TreeSet<>();
    removeRoles.forEach(r -> removeProvinces.forEach(p -> removing.add(HOLDERS + Routing.holdersKey(r, p))));
    removing.removeAll(adding);
    Map<String, String> names = new LinkedHashMap<>();
    List<String> add = new ArrayList<>();
    List<String> delete = new ArrayList<>();
    int i = 0;
    for (String a : adding) {
      names.put("#h" + i, a);
      add.add("#h" + i++ + " :p");
    }
    for (String r : removing) {
      names.put("#h" + i, r);
      delete.add("#h" + i++ + " :p");
    }
    if (disabled != null) {
      names.put("#d", DISABLED);
      (disabled ? add : delete).add("#d :p");
    }
    StringBuilder expression = new StringBuilder();
    if (!add.isEmpty()) {
      expression.append("ADD ").append(String.join(", ", add));
    }
    if (!delete.isEmpty()) {
      expression.append(expression.length() > 0 ? " " : "").append("DELETE ").append(String.join(", ", delete));
    }
    if (expression.length() == 0) {
      return null; // nothing changes on the routing item
    }
    return TransactWriteItem.builder().update(Update.builder().tableName(table).key(Attr.key(PK, SK))
        .updateExpression(expression.toString()).expressionAttributeNames(names)
        .expressionAttributeValues(Map.of(":p", AttributeValue.fromSs(List.of(partnerId)))).build()).build();
  }
}
