package nl.onderdak.core.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What an event records of the chain: which step and decision it was, in which role the actor took it, who is
 * responsible for the case after it (role → organisation), what was assigned by it, and who is told of it.
 * Only ids and codes. With these on every event, the history says who held the case at each version, and the
 * consumers route webhooks without reading the case.
 *
 * @param assigned roles assigned by this change: role → organisation
 * @param assignedHow how each was assigned: {@code rule}, {@code sole_holder}, {@code handover}, {@code provider}
 * @param told the organisations told of this event (its webhooks' recipients)
 * @param waitedSince when the acting organisation began to wait on the step this event completes
 * @param programme the case's programme, and {@code caseType} its type there
 * @param held the case is held out of matching after the event (quarantined as possibly fake): nobody is told of
 *     it by webhook until it is released
 * @param detail a further code of the decision, when it has one: an incident's severity; whether a stay ended
 *     before, on or after its agreed end ({@code early}, {@code as_agreed}, {@code late})
 */
public record ChainFacts(String step, String decision, String role, Map<String, String> responsible,
    Map<String, String> assigned, Map<String, String> assignedHow, Set<String> told, String handoverId,
    String handoverRole, String handoverFrom, String handoverTo, String counterpart, boolean hasText,
    Instant waitedSince, String programme, String caseType, boolean held, String detail) {
  public static final ChainFacts NONE = new ChainFacts(null, null, null, Map.of(), Map.of(), Map.of(), Set.of(), null,
      null, null, null, null, false, null, null, null, false, null);

  public ChainFacts {
    responsible = Collections.unmodifiableMap(new LinkedHashMap<>(responsible));
    assigned = Collections.unmodifiableMap(new LinkedHashMap<>(assigned));
    assignedHow = Collections.unmodifiableMap(new LinkedHashMap<>(assignedHow));
    told = Collections.unmodifiableSet(new LinkedHashSet<>(told));
  }

  void write(Map<String, AttributeValue> item) {
    put(item, "step", step);
    put(item, "decision", decision);
    put(item, "role", role);
    map(item, "responsible", responsible);
    map(item, "assigned", assigned);
    map(item, "assignedHow", assignedHow);
    if (!told.isEmpty()) {
      item.put("notify", AttributeValue.fromSs(told.stream().toList()));
    }
    put(item, "handoverId", handoverId);
    put(item, "handoverRole", handoverRole);
    put(item, "handoverFrom", handoverFrom);
    put(item, "handoverTo", handoverTo);
    put(item, "counterpart", counterpart);
    if (hasText) {
      item.put("hasText", AttributeValue.fromBool(true));
    }
    put(item, "waitedSince", waitedSince == null ? null : waitedSince.toString());
    put(item, "programme", programme);
    put(item, "caseType", caseType);
    if (held) {
      item.put("held", AttributeValue.fromBool(true));
    }
    put(item, "detail", detail);
  }

  static ChainFacts read(Map<String, AttributeValue> item) {
    AttributeValue notify = item.get("notify");
    AttributeValue text = item.get("hasText");
    String waited = Attr.str(item, "waitedSince");
    return new ChainFacts(Attr.str(item, "step"), Attr.str(item, "decision"), Attr.str(item, "role"),
        Attr.stringMap(item.get("responsible")), Attr.stringMap(item.get("assigned")),
        Attr.stringMap(item.get("assignedHow")),
        notify == null || !notify.hasSs() ? Set.of() : new LinkedHashSet<>(notify.ss()), Attr.str(item, "handoverId"),
        Attr.str(item, "handoverRole"), Attr.str(item, "handoverFrom"), Attr.str(item, "handoverTo"),
        Attr.str(item, "counterpart"), text != null && Boolean.TRUE.equals(text.bool()),
        waited == null ? null : Instant.parse(waited), Attr.str(item, "programme"), Attr.str(item, "caseType"),
        item.get("held") != null && Boolean.TRUE.equals(item.get("held").bool()), Attr.str(item, "detail"));
  }

  private static void put(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, AttributeValue.fromS(value));
    }
  }

  private static void map(Map<String, AttributeValue> item, String name, Map<String, String> value) {
    if (!value.isEmpty()) {
      item.put(name, Attr.stringMap(value));
    }
  }


}
