package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseDesk;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerDirectory;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.ProviderHomes;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * The partner API, behind the partner-key authorizer. Every route asks {@link nl.onderdak.core.chain.CaseAccess}
 * first: an organisation sees and acts on a case only while it is responsible for it (or reviews an active match
 * involving it); every other id answers {@code 404}, exactly as an unknown id does. Decisions are the programme's
 * steps; the routes on a case are {@link CaseRoutes}, on a match {@link MatchRoutes}; this class finds the
 * partner, serves its own listings and writes the request's log line.
 *
 * <pre>
 * GET  /partner/me                                   who the key belongs to
 * GET  /partner/cases?role=&amp;status=&amp;waitingDays=&amp;order=&amp;limit=&amp;cursor=   its cases
 * GET  /partner/queue                                what waits on it, longest waiting first
 * POST /partner/homes                                {contact, homes[]}: a housing provider's own homes
 * /partner/cases/{id}/…, /partner/hosts/{id}/…       {@link CaseRoutes}
 * /partner/matches/{id}/…                            {@link MatchRoutes}
 * </pre>
 */
public final class PartnerApiHandler extends HttpHandler {
  private final PartnerStore partners;
  private final PartnerWork work;
  private final ProviderHomes providerHomes;
  private final CaseRoutes cases;
  private final MatchRoutes matches;
  private final java.time.Clock clock;

  public PartnerApiHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  @Override
  protected void primeStores() {
    partners.find("P-0000000000000000");
    cases.prime();
  }

  PartnerApiHandler(Wiring wiring) {
    this.partners = wiring.partners();
    this.work = wiring.partnerWork();
    this.clock = wiring.clock();
    this.providerHomes = new ProviderHomes(wiring.registrations(), wiring.clock());
    var access = wiring.access();
    var desk = new CaseDesk(access, wiring.caseFiles(), wiring.clock());
    this.cases = new CaseRoutes(wiring.chain(), access, desk, new PartnerDirectory(partners, wiring.clock()));
    this.matches = new MatchRoutes(wiring.chain(), access, desk);
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String partnerId = request.authorizerContext("partnerId");
    // The authorizer lets no request through without a partner; this is the second lock.
    Partner partner = partnerId == null ? null : partners.find(partnerId).orElse(null);
    if (partner == null || partner.disabled()) {
      throw new HttpProblem(403, "forbidden", "this route needs a partner API key");
    }
    String route = request.routeKey();
    String id = request.pathParameter("id");
    APIGatewayV2HTTPResponse response = switch (route) {
      case "GET /partner/me" -> HttpResponses.json(200, PartnerAdminViews.partnerJson(partner));
      case "GET /partner/cases" -> HttpResponses.json(200, PartnerViews.pageJson("cases",
          work.cases(partner.id(), PartnerRequests.filters(request), request.queryParameter("cursor"),
              request.queryInt("limit", 50, 1, PartnerWork.MAX_LIMIT), clock.instant())));
      case "GET /partner/queue" -> HttpResponses.json(200, PartnerViews.queueJson(work.waiting(partner.id(),
          request.queryParameter("cursor"), request.queryInt("limit", PartnerWork.MAX_LIMIT, 1, PartnerWork.MAX_LIMIT))));
      case "POST /partner/homes" -> HttpResponses.json(201, PartnerViews.homesJson(providerHomes.offer(partner,
          request.jsonBody(), PartnerRequests.idempotencyKey(request, "a bulk offer"))));
      default -> route.contains(" /partner/matches/") ? matches.handle(Actor.of(partner), id, request)
          : cases.handle(Actor.of(partner), id, request);
    };
    ObjectNode log = JsonLog.line("INFO", "partner request");
    log.put("partnerId", partner.id()).put("route", route)
        .put("status", response.getStatusCode()).put("requestId", request.requestId());
    if (id != null) {
      // Case routes follow the case; match routes name the match (its events carry both cases).
      log.put(route.contains("/matches/") ? "matchId" : "correlationId", id);
    }
    JsonLog.write(log);
    return response;
  }
}
