package nl.onderdak.core.chain;

import static nl.onderdak.core.storage.Attr.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.PersonalKeys;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A match item's part of a decision's transaction: its new status, conditioned on the status and version it
 * was read at (so two decisions at once cannot both win), and a decision's free text with the personal data.
 */
final class MatchWrites {
  private MatchWrites() {}

  /** Pools a match is listed in while it waits on a partner; decided matches leave the index. */
  static String poolKey(String status, String region) {
    return "accepted".equals(status) || "placed".equals(status) || "proposed".equals(status)
        ? "match#" + status + "#" + region : null;
  }

  /**
   * @param status the new status (null: unchanged)
   * @param attributes further attributes to set
   * @param accept a partner whose acceptance is added
   */
  static TransactWriteItem update(Tables tables, MatchView m, String status, Actor actor, Instant at,
      Map<String, AttributeValue> attributes, String accept) {
    StringBuilder set = new StringBuilder("SET #v = :next");
    Map<String, AttributeValue> values = new HashMap<>(Attr.item(":from", m.status(), ":version", m.version(),
        ":next", m.version() + 1));
    String remove = "";
    if (status != null) {
      set.append(", #s = :to, decidedAt = :at, decidedBy = :actor");
      values.put(":to", s(status));
      values.put(":at", s(at.toString()));
      values.put(":actor", s(actor.wire()));
      String pool = poolKey(status, m.region());
      if (pool == null) {
        remove = " REMOVE poolKey";
      } else {
        set.append(", poolKey = :pool");
        values.put(":pool", s(pool));
      }
    }
    attributes.forEach((name, value) -> {
      set.append(", ").append(name).append(" = :").append(name);
      values.put(":" + name, value);
    });
    String add = "";
    if (accept != null) {
      add = " ADD acceptedBy :me";
      values.put(":me", AttributeValue.fromSs(List.of(accept)));
    }
    String condition = "#s = :from AND #v = :version";
    return TransactWriteItem.builder().update(Update.builder().tableName(tables.cases())
        .key(Attr.key("MATCH#" + m.id(), "MATCH"))
        .updateExpression(set + add + remove)
        .conditionExpression(condition)
        .expressionAttributeNames(Map.of("#s", "status", "#v", "version"))
        .expressionAttributeValues(values).build()).build();
  }

  /** A decision's free text about a match (a decline's, an end's): with the personal data, kept as long. */
  static TransactWriteItem text(Tables tables, MatchView m, String decision, String text, Actor actor, Instant at,
      java.time.Duration retention) {
    return TransactWriteItem.builder().put(Put.builder().tableName(tables.personalData()).item(Attr.item(
        "pk", PersonalKeys.matchPartition(m.id()), "sk", PersonalKeys.TEXT + decision, "matchId", m.id(),
        "guestId", m.guestId(), "hostId", m.hostId(), "at", at.toString(), "author", actor.wire(),
        "decision", decision, "text", text, "deleteAfter", at.plus(retention).getEpochSecond())).build()).build();
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }
}
