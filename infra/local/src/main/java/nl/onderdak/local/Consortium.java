package nl.onderdak.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;

/**
 * The consortium the demo data and the surge rehearsal play, after the 2022 programme: five organisations, each
 * owning its steps in its regions. Two take applications, screen hosts and review the first match (north and
 * middle; south); one supports households in the Randstad and reviews matches in Amsterdam and Rotterdam; one
 * supports households everywhere else; one introduces households to their host families everywhere (a role the
 * routing assigns by rule only, so it has one per province). In Utrecht two share the province by routing rule: the
 * national support organisation has the province, the Randstad one the city.
 */
public final class Consortium {
  /** One organisation: a short key, its name, roles and provinces. */
  public record Organisation(String key, String name, List<String> roles, List<String> regions) {}

  public static final String NORTH = "north";
  public static final String SOUTH = "south";
  public static final String RANDSTAD = "randstad";
  public static final String NATIONAL = "national";
  public static final String INTRODUCTIONS = "introductions";
  private static final List<String> EVERY_PROVINCE = List.of("PV20", "PV21", "PV22", "PV23", "PV24", "PV25", "PV26",
      "PV27", "PV28", "PV29", "PV30", "PV31");

  public static final List<Organisation> ORGANISATIONS = List.of(
      new Organisation(NORTH, "Aid organisation North and Middle", List.of("screening", "placement_review"),
          List.of("PV20", "PV21", "PV22", "PV23", "PV24", "PV25", "PV26", "PV27")),
      new Organisation(SOUTH, "Aid organisation South", List.of("screening", "placement_review"),
          List.of("PV28", "PV29", "PV30", "PV31")),
      new Organisation(RANDSTAD, "Guest support Randstad", List.of("guest_support", "placement_review"),
          List.of("PV26", "PV27", "PV28")),
      new Organisation(NATIONAL, "Guest support Netherlands", List.of("guest_support"), EVERY_PROVINCE),
      new Organisation(INTRODUCTIONS, "Introductions Netherlands", List.of("introduction"), EVERY_PROVINCE));

  /** {role, region, organisation key}: where the routing must choose, because two organisations hold the role. */
  static final String[][] RULES = {
      {"guest_support", "PV26", NATIONAL}, {"guest_support", "GM0344", RANDSTAD},
      {"guest_support", "PV27", RANDSTAD}, {"guest_support", "PV28", RANDSTAD},
      {"placement_review", "PV26", NORTH}, {"placement_review", "PV27", NORTH}, {"placement_review", "PV28", SOUTH},
      {"placement_review", "GM0363", RANDSTAD}, {"placement_review", "GM0599", RANDSTAD},
      {"introduction", "PV20", INTRODUCTIONS}, {"introduction", "PV21", INTRODUCTIONS},
      {"introduction", "PV22", INTRODUCTIONS}, {"introduction", "PV23", INTRODUCTIONS},
      {"introduction", "PV24", INTRODUCTIONS}, {"introduction", "PV25", INTRODUCTIONS},
      {"introduction", "PV26", INTRODUCTIONS}, {"introduction", "PV27", INTRODUCTIONS},
      {"introduction", "PV28", INTRODUCTIONS}, {"introduction", "PV29", INTRODUCTIONS},
      {"introduction", "PV30", INTRODUCTIONS}, {"introduction", "PV31", INTRODUCTIONS}};

  private Consortium() {}

  /** The body of {@code PUT /admin/routing} for the consortium, given each organisation's id by key. */
  public static ObjectNode routing(Map<String, String> ids) {
    ObjectNode body = Json.object();
    ArrayNode rules = body.putArray("rules");
    for (String[] r : RULES) {
      rules.addObject().put("programme", "host_family").put("role", r[0]).put("region", r[1])
          .put("partnerId", ids.get(r[2]));
    }
    return body;
  }

  /** The body of {@code POST /admin/partners} for one organisation. */
  public static ObjectNode onboarding(Organisation o) {
    ObjectNode body = Json.object().put("name", o.name());
    o.roles().forEach(body.putArray("roles")::add);
    o.regions().forEach(body.putArray("regions")::add);
    return body;
  }
}
