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
    return new Routing(rules, holders);
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
    StringBuilder add = new StringBuilder("ADD ");
    Map<String, String> names = new LinkedHashMap<>();
    int i = 0;
    for (Role role : roles) {
      for (String province : provinces) {
        if (i > 0) {
          add.append(", ");
        }
        names.put("#h" + i, HOLDERS + Routing.holdersKey(role, province));
        add.append("#h").append(i).append(" :p");
        i++;
      }
    }
    return TransactWriteItem.builder().update(Update.builder().tableName(table).key(Attr.key(PK, SK))
        .updateExpression(add.toString()).expressionAttributeNames(names)
        .expressionAttributeValues(Map.of(":p", AttributeValue.fromSs(List.of(partnerId)))).build()).build();
  }
}
