package nl.onderdak.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.chain.Assignments;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.chain.Routing;
import nl.onderdak.core.chain.RoutingRule;
import nl.onderdak.core.chain.RoutingStore;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * Who takes which role on new cases, for operators (IAM in AWS, the admin token locally):
 *
 * <pre>
 * PUT  /admin/routing            {"rules": [{programme, role, region, partnerId}, ...]} replaces every rule, then
 *                                assigns what cases waiting unassigned can now be assigned
 * GET  /admin/routing            the rules, and which organisations hold each role per province
 * GET  /admin/unassigned         cases with a role nobody holds, longest waiting first (?limit, ?cursor)
 * POST /admin/unassigned/route   assigns them by the routing as it is now (after onboarding a partner, say)
 * </pre>
 */
public final class RoutingAdminHandler extends HttpHandler {
  static final int ROUTE_AT_ONCE = 1_000;
  private final RoutingStore routing;
  private final PartnerStore partners;
  private final PartnerWork work;
  private final Chain chain;

  public RoutingAdminHandler() {
    this(Wiring.fromEnv());
  }

  RoutingAdminHandler(Wiring wiring) {
    this.routing = wiring.routing();
    this.partners = wiring.partners();
    this.work = wiring.partnerWork();
    this.chain = wiring.chain();
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    APIGatewayV2HTTPResponse response = switch (request.routeKey()) {
      case "PUT /admin/routing" -> replace(request);
      case "GET /admin/routing" -> HttpResponses.json(200, routingJson(routing.read()));
      case "GET /admin/unassigned" -> {
        int limit = request.queryInt("limit", 50, 1, PartnerWork.MAX_LIMIT);
        PartnerWork.Page page = work.unassigned(request.queryParameter("cursor"), limit);
        ObjectNode out = Json.object();
        ArrayNode cases = out.putArray("cases");
        page.rows().forEach(r -> cases.addObject().put("id", Attr.str(r, "caseId")).put("kind", Attr.str(r, "kind"))
            .put("programme", Attr.str(r, "programme")).put("type", Attr.str(r, "caseType"))
            .put("status", Attr.str(r, "status")).put("step", Attr.str(r, "step")).put("region", Attr.str(r, "region"))
            .put("since", Attr.str(r, "since")).set("missingRoles", Attr.toJson(r.get("roles"))));
        out.put("next", page.cursor());
        yield HttpResponses.json(200, out);
      }
      case "POST /admin/unassigned/route" -> HttpResponses.json(200, routeWaiting());
      default -> throw HttpProblem.notFound();
    };
    ObjectNode log = JsonLog.line("INFO", "routing admin");
    log.put("route", request.routeKey()).put("status", response.getStatusCode()).put("actor", request.iamUserArn())
        .put("requestId", request.requestId());
    JsonLog.write(log);
    return response;
  }

  private APIGatewayV2HTTPResponse replace(HttpRequest request) {
    JsonNode body = request.jsonBody();
    List<FieldError> errors = new ArrayList<>();
    JsonNode list = body.get("rules");
    if (list == null || !list.isArray()) {
      throw new ValidationException(List.of(new FieldError("rules", FieldError.Codes.MISSING, "a list of rules")));
    }
    body.fieldNames().forEachRemaining(f -> {
      if (!f.equals("rules")) {
        errors.add(new FieldError(f, FieldError.Codes.UNKNOWN_FIELD, "not a field of the routing"));
      }
    });
    if (list.size() > 5_000) {
      errors.add(new FieldError("rules", FieldError.Codes.TOO_MANY, "at most 5,000 rules"));
    }
    Map<String, Partner> known = new HashMap<>();
    partners.all().forEach(p -> known.put(p.id(), p));
    List<RoutingRule> rules = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < list.size() && errors.size() < 50; i++) {
      JsonNode r = list.get(i);
      String at = "rules[" + i + "]";
      String programme = text(r, "programme");
      Role role = Role.fromWire(text(r, "role"));
      String region = Regions.normalise(text(r, "region"));
      String partnerId = text(r, "partnerId");
      if (!Programmes.exists(programme)) {
        errors.add(new FieldError(at + ".programme", FieldError.Codes.INVALID_VALUE, "a programme id, such as "
            + Programmes.HOST_FAMILY_ID));
      }
      if (role == null) {
        errors.add(new FieldError(at + ".role", FieldError.Codes.INVALID_VALUE, "one of the roles"));
      }
      if (!Regions.isRegion(region)) {
        errors.add(new FieldError(at + ".region", FieldError.Codes.INVALID_VALUE,
            "a province (PV20..PV31) or a municipality (GM and four digits)"));
      }
      Partner partner = partnerId == null ? null : known.get(partnerId);
      if (partner == null) {
        errors.add(new FieldError(at + ".partnerId", FieldError.Codes.INVALID_VALUE, "no organisation has this id"));
      } else if (role != null && !partner.roles().contains(role)) {
        errors.add(new FieldError(at + ".partnerId", FieldError.Codes.INVALID_VALUE,
            partner.id() + " does not hold the " + role.wire() + " role"));
      } else if (role != null && Regions.isProvince(region) && !partner.regions().contains(region)) {
        errors.add(new FieldError(at + ".region", FieldError.Codes.INVALID_VALUE,
            partner.id() + " does not serve " + region));
      }
      r.fieldNames().forEachRemaining(f -> {
        if (!List.of("programme", "role", "region", "partnerId").contains(f)) {
          errors.add(new FieldError(at + "." + f, FieldError.Codes.UNKNOWN_FIELD, "not a field of a rule"));
        }
      });
      if (role != null && !seen.add(programme + "|" + role.wire() + "|" + region)) {
        errors.add(new FieldError(at, FieldError.Codes.DUPLICATE, "a second rule for this programme, role and region"));
      }
      if (errors.isEmpty()) {
        rules.add(new RoutingRule(programme, role, region, partnerId));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    routing.replaceRules(rules, ScreeningDecisionHandler.adminActor(request).wire(), chain.clock().instant());
    ObjectNode out = routingJson(routing.read());
    out.set("waiting", routeWaiting());
    return HttpResponses.json(200, out);
  }

  /** Assigns what waits unassigned, by the routing now; the answer says what is left. */
  private ObjectNode routeWaiting() {
    Assignments.Result r = Assignments.assignWaiting(chain, routing.read(), work, ROUTE_AT_ONCE);
    return Json.object().put("assigned", r.assigned()).put("stillUnassigned", r.stillUnassigned())
        .put("more", r.more());
  }

  private static ObjectNode routingJson(Routing r) {
    ObjectNode out = Json.object();
    ArrayNode rules = out.putArray("rules");
    r.rules().forEach(x -> rules.addObject().put("programme", x.programme()).put("role", x.role().wire())
        .put("region", x.region()).put("partnerId", x.partnerId()));
    ObjectNode holders = out.putObject("holders");
    new java.util.TreeMap<>(r.holders()).forEach((key, ids) -> {
      ArrayNode a = holders.putArray(key);
      ids.stream().sorted().forEach(a::add);
    });
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
