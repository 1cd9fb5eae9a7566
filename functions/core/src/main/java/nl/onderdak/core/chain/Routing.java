package nl.onderdak.core.chain;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.partners.Role;

/**
 * Who is assigned to a new case: the routing rules as operators set them, and which organisations hold each
 * role in each province. For each role its case type names:
 *
 * <ol>
 *   <li>a rule for the case's municipality; else
 *   <li>a rule for its province; else
 *   <li>the one organisation holding the role in the province, if it is the only one (not for a role its type
 *       names optional: a lone care provider in a province is not given every household there); else
 *   <li>nobody: the case waits unassigned for that role (listed by {@code GET /admin/unassigned}), unless the
 *       role is optional for its type.
 * </ol>
 * A disabled organisation is never chosen: a rule naming it is passed over (its holders lose it when it is
 * disabled), so the case falls to the next step of the list.
 */
public record Routing(List<RoutingRule> rules, Map<String, Set<String>> holders, Set<String> disabled) {
  public static final String RULE = "rule";
  public static final String SOLE_HOLDER = "sole_holder";
  public static final Routing EMPTY = new Routing(List.of(), Map.of());

  public Routing(List<RoutingRule> rules, Map<String, Set<String>> holders) {
    this(rules, holders, Set.of());
  }

  /** What the routing assigns: role → organisation, and how each was chosen. */
  public record Assigned(Map<Role, String> partners, Map<Role, String> how) {}

  public static String holdersKey(Role role, String province) {
    return role.wire() + "#" + province;
  }

  /** The organisations holding a role in a province. */
  public Set<String> holding(Role role, String province) {
    return holders.getOrDefault(holdersKey(role, province), Set.of());
  }

  /**
   * @param pinned roles already decided (a provider's own home is its own), left as they are
   */
  public Assigned assign(Programme programme, CaseType type, String province, String municipality,
      Map<Role, String> pinned) {
    Map<Role, String> partners = new EnumMap<>(Role.class);
    Map<Role, String> how = new EnumMap<>(Role.class);
    for (Role role : type.allRoles()) {
      if (pinned.containsKey(role)) {
        continue;
      }
      String chosen = rule(programme.id(), role, municipality);
      if (chosen == null) {
        chosen = rule(programme.id(), role, province);
      }
      String why = RULE;
      if (chosen == null && type.roles().contains(role)) {
        Set<String> holding = holding(role, province);
        if (holding.size() == 1) {
          chosen = holding.iterator().next();
          why = SOLE_HOLDER;
        }
      }
      if (chosen != null) {
        partners.put(role, chosen);
        how.put(role, why);
      }
    }
    return new Assigned(partners, how);
  }

  private String rule(String programme, Role role, String region) {
    if (region == null) {
      return null;
    }
    for (RoutingRule r : rules) {
      if (r.programme().equals(programme) && r.role() == role && r.region().equals(region)
          && !disabled.contains(r.partnerId())) {
        return r.partnerId();
      }
    }
    return null;
  }

  /** The rules without duplicates of one (programme, role, region): the last one given wins. */
  public static List<RoutingRule> distinct(List<RoutingRule> rules) {
    java.util.LinkedHashMap<String, RoutingRule> out = new java.util.LinkedHashMap<>();
    rules.forEach(r -> out.put(r.programme() + "|" + r.role().wire() + "|" + r.region(), r));
    return new ArrayList<>(out.values());
  }

  public static Set<String> set(String... ids) {
    return new LinkedHashSet<>(List.of(ids));
  }
}
