package nl.onderdak.partners;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.Role;

/** The JSON the partner admin routes answer with: an organisation as operators see it (never a key or secret). */
final class PartnerAdminViews {
  private PartnerAdminViews() {}

  static ObjectNode partnerJson(Partner p) {
    ObjectNode out = Json.object();
    out.put("partnerId", p.id()).put("name", p.name()).put("disabled", p.disabled());
    ArrayNode roles = out.putArray("roles");
    p.roles().stream().map(Role::wire).sorted().forEach(roles::add);
    ArrayNode regions = out.putArray("regions");
    p.regions().stream().sorted().forEach(regions::add);
    ArrayNode list = out.putArray("endpoints");
    for (Partner.Endpoint e : p.endpoints()) {
      ObjectNode n = list.addObject().put("endpointId", e.id()).put("url", e.url()).put("disabled", e.disabled());
      if (e.disabledReason() != null) {
        n.put("disabledReason", e.disabledReason());
      }
      ArrayNode ev = n.putArray("events");
      e.events().forEach(ev::add);
    }
    return out;
  }
}
