package nl.onderdak.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeMap;
import nl.onderdak.core.chain.Assignments;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.chain.Routing;
import nl.onderdak.core.json.Json;

/** The JSON the routing routes answer with. */
final class RoutingViews {
  private RoutingViews() {}

  /** The rules, and who holds each role where ({@code programme#role#province} → organisations). */
  static ObjectNode routingJson(Routing r) {
    ObjectNode out = Json.object();
    ArrayNode rules = out.putArray("rules");
    r.rules().forEach(x -> rules.addObject().put("programme", x.programme()).put("role", x.role().wire())
        .put("region", x.region()).put("partnerId", x.partnerId()));
    ObjectNode holders = out.putObject("holders");
    new TreeMap<>(r.holders()).forEach((key, ids) -> {
      ArrayNode a = holders.putArray(key);
      ids.stream().sorted().forEach(a::add);
    });
    return out;
  }

  /** The cases that wait for an organisation: what is missing, since when. */
  static ObjectNode unassignedJson(PartnerWork.Page page) {
    ObjectNode out = Json.object();
    ArrayNode cases = out.putArray("cases");
    page.rows().forEach(r -> {
      ObjectNode c = cases.addObject().put("id", r.caseId()).put("kind", r.kind()).put("programme", r.programme())
          .put("type", r.caseType()).put("status", r.status()).put("step", r.step()).put("region", r.region())
          .put("since", r.since());
      ArrayNode missing = c.putArray("missingRoles");
      r.roles().forEach(missing::add);
    });
    out.put("next", page.cursor());
    return out;
  }

  /** What routing the waiting cases came to. */
  static ObjectNode routedJson(Assignments.Result r) {
    return Json.object().put("assigned", r.assigned()).put("stillUnassigned", r.stillUnassigned())
        .put("more", r.more());
  }
}
