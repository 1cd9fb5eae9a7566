package nl.onderdak.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.chain.Assignments;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.chain.RoutingRule;
import nl.onderdak.core.chain.RoutingRulesParser;
import nl.onderdak.core.chain.RoutingStore;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerStore;
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
    primeBeforeSnapshot();
  }

  @Override
  protected void primeStores() {
    routing.read();
  }

  RoutingAdminHandler(Wiring wiring) {
    auditOperators(wiring.operatorAudit());
    this.routing = wiring.routing();
    this.partners = wiring.partners();
    this.work = wiring.partnerWork();
    this.chain = wiring.chain();
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    APIGatewayV2HTTPResponse response = switch (request.routeKey()) {
      case "PUT /admin/routing" -> replace(request);
      case "GET /admin/routing" -> HttpResponses.json(200, RoutingViews.routingJson(routing.read()));
      case "GET /admin/unassigned" -> HttpResponses.json(200, RoutingViews.unassignedJson(work.unassigned(
          request.queryParameter("cursor"), request.queryInt("limit", 50, 1, PartnerWork.MAX_LIMIT))));
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
    Map<String, Partner> known = new HashMap<>();
    partners.all().forEach(p -> known.put(p.id(), p));
    List<RoutingRule> rules = RoutingRulesParser.parse(request.jsonBody(), known);
    routing.replaceRules(rules, ScreeningDecisionHandler.adminActor(request).wire(), chain.clock().instant());
    ObjectNode out = RoutingViews.routingJson(routing.read());
    out.set("waiting", routeWaiting());
    return HttpResponses.json(200, out);
  }

  /** Assigns what waits unassigned, by the routing now; the answer says what is left. */
  private ObjectNode routeWaiting() {
    return RoutingViews.routedJson(Assignments.assignWaiting(chain, routing.read(), work, ROUTE_AT_ONCE));
  }
}
