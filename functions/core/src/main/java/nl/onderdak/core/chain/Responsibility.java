package nl.onderdak.core.chain;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Who is responsible for a case: for each role that works on it, exactly one organisation, and since when. The
 * lead is the holder of the role its case type leads with. Kept on the case item as two maps ({@code
 * responsible}: role → partner id, {@code assignedAt}: role → time); only ids and codes, never a name.
 */
public record Responsibility(Map<Role, String> holders, Map<Role, Instant> since) {
  public static final Responsibility NONE = new Responsibility(Map.of(), Map.of());

  public Responsibility {
    holders = Collections.unmodifiableMap(copy(holders));
    since = Collections.unmodifiableMap(copy(since));
  }

  private static <V> Map<Role, V> copy(Map<Role, V> m) {
    EnumMap<Role, V> out = new EnumMap<>(Role.class);
    out.putAll(m);
    return out;
  }

  public String holder(Role role) {
    return holders.get(role);
  }

  /** Whether this organisation holds any role on the case. */
  public boolean holds(String partnerId) {
    return partnerId != null && holders.containsValue(partnerId);
  }

  public boolean holds(String partnerId, Role role) {
    return partnerId != null && partnerId.equals(holders.get(role));
  }

  /** The roles this organisation holds on the case. */
  public Set<Role> rolesOf(String partnerId) {
    Set<Role> out = EnumSet.noneOf(Role.class);
    holders.forEach((role, holder) -> {
      if (holder.equals(partnerId)) {
        out.add(role);
      }
    });
    return out;
  }

  /** Every organisation holding a role, in role order. */
  public Set<String> partners() {
    return new LinkedHashSet<>(holders.values());
  }

  /** The roles of {@code required} that nobody holds. */
  public Set<Role> missing(Iterable<Role> required) {
    Set<Role> out = EnumSet.noneOf(Role.class);
    required.forEach(r -> {
      if (!holders.containsKey(r)) {
        out.add(r);
      }
    });
    return out;
  }

  public Responsibility with(Role role, String partnerId, Instant at) {
    Map<Role, String> h = copy(holders);
    Map<Role, Instant> s = copy(since);
    h.put(role, partnerId);
    s.put(role, at);
    return new Responsibility(h, s);
  }

  public Responsibility with(Map<Role, String> assigned, Instant at) {
    Responsibility out = this;
    for (Map.Entry<Role, String> e : assigned.entrySet()) {
      out = out.with(e.getKey(), e.getValue(), at);
    }
    return out;
  }

  // ------------------------------------------------------------------ items

  public AttributeValue holdersValue() {
    return Attr.stringMap(wire(holders));
  }

  public AttributeValue sinceValue() {
    Map<String, String> m = new LinkedHashMap<>();
    since.forEach((role, at) -> m.put(role.wire(), at.toString()));
    return Attr.stringMap(m);
  }

  public static Responsibility fromItem(Map<String, AttributeValue> item) {
    Map<Role, String> holders = byRole(Attr.stringMap(item.get("responsible")));
    Map<Role, Instant> since = new EnumMap<>(Role.class);
    byRole(Attr.stringMap(item.get("assignedAt"))).forEach((r, at) -> since.put(r, Instant.parse(at)));
    return new Responsibility(holders, since);
  }

  /** Role wire names to roles (unknown names left out). */
  public static Map<Role, String> byRole(Map<String, String> wire) {
    Map<Role, String> out = new EnumMap<>(Role.class);
    wire.forEach((role, value) -> {
      Role r = Role.fromWire(role);
      if (r != null) {
        out.put(r, value);
      }
    });
    return out;
  }

  /** As a stream record or an event item carries it: role wire name → partner id. */
  public static Map<String, String> wire(Map<Role, String> holders) {
    Map<String, String> out = new LinkedHashMap<>();
    holders.forEach((r, p) -> out.put(r.wire(), p));
    return out;
  }
}
