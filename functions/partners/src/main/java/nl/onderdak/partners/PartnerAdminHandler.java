package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.EndpointPolicy;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * Onboarding partners, for operators (IAM in AWS, the admin token locally):
 *
 * <pre>
 * POST   /admin/partners                                   {name, roles[], regions[]} → the partner and its first API key
 * GET    /admin/partners                                   every partner (never a key or secret)
 * POST   /admin/partners/{id}/keys                         {overlapHours} → a new key; older keys stop after the overlap
 * DELETE /admin/partners/{id}/keys/{keyId}                 revoke a key at once
 * POST   /admin/partners/{id}/endpoints                    {url, events[]} → the endpoint and its signing secret
 * POST   /admin/partners/{id}/endpoints/{endpointId}/secret {overlapHours} → a new secret; both sign meanwhile
 * </pre>
 * and offboarding (disable, enable, change, delete; endpoints disabled, enabled, deleted): {@link OffboardingRoutes}.
 *
 * Keys and secrets are shown once, in the answer that makes them; only key hashes are stored.
 */
public final class PartnerAdminHandler extends HttpHandler {
  private final PartnerStore partners;
  private final EndpointPolicy endpoints;
  private final Clock clock;
  private final OffboardingRoutes offboarding;

  public PartnerAdminHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  @Override
  protected void primeStores() {
    partners.find("P-0000000000000000");
  }

  PartnerAdminHandler(Wiring wiring) {
    this(wiring.partners(), wiring.endpointPolicy(), holdsOpenCases(wiring.partnerWork(), wiring.clock()),
        wiring.clock());
    auditOperators(wiring.operatorAudit());
  }

  /** @param holdsOpenCases whether an organisation still holds an open case (no deletion while it does) */
  PartnerAdminHandler(PartnerStore partners, EndpointPolicy endpoints, Predicate<String> holdsOpenCases, Clock clock) {
    this.partners = partners;
    this.endpoints = endpoints;
    this.clock = clock;
    this.offboarding = new OffboardingRoutes(partners, holdsOpenCases, clock);
  }

  /** Its holder rows: one row is enough to say it still holds a case. */
  private static Predicate<String> holdsOpenCases(PartnerWork work, Clock clock) {
    return id -> !work.cases(id, new PartnerWork.Filters(null, Set.of(), null, false), null, 1, clock.instant())
        .rows().isEmpty();
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String route = request.routeKey();
    String id = request.pathParameter("id");
    APIGatewayV2HTTPResponse response = switch (route) {
      case "POST /admin/partners" -> create(request);
      case "GET /admin/partners" -> list();
      case "POST /admin/partners/{id}/keys" -> rotateKey(id, request);
      case "DELETE /admin/partners/{id}/keys/{keyId}" -> revokeKey(id, request.pathParameter("keyId"));
      case "POST /admin/partners/{id}/endpoints" -> addEndpoint(id, request);
      case "PUT /admin/partners/{id}/contact" -> publicContact(id, request);
      case "POST /admin/partners/{id}/endpoints/{endpointId}/secret" ->
          rotateSecret(id, request.pathParameter("endpointId"), request);
      default -> offboarding.handle(request);
    };
    ObjectNode log = JsonLog.line("INFO", "partner admin");
    log.put("route", route).put("partnerId", id).put("status", response.getStatusCode())
        .put("actor", request.iamUserArn()).put("requestId", request.requestId());
    JsonLog.write(log);
    return response;
  }

  private APIGatewayV2HTTPResponse create(HttpRequest request) {
    PartnerAdminRequests.NewPartner p = PartnerAdminRequests.partner(request);
    PartnerStore.Created created = partners.create(p.name(), p.roles(), p.regions(), clock.instant());
    ObjectNode out = PartnerAdminViews.partnerJson(created.partner());
    out.put("keyId", created.key().keyId());
    out.put("apiKey", created.key().apiKey());
    return HttpResponses.json(201, out);
  }

  /** How the public reaches the organisation (its desk): shown on the own pages of the cases it leads. */
  private APIGatewayV2HTTPResponse publicContact(String id, HttpRequest request) {
    nl.onderdak.core.partners.PublicContact contact = PartnerAdminRequests.publicContact(request);
    if (!partners.setPublicContact(id, contact, clock.instant())) {
      throw HttpProblem.notFound();
    }
    return HttpResponses.json(200, Json.object().put("partnerId", id).put("phone", contact.phone())
        .put("email", contact.email()).put("website", contact.website()));
  }

  private APIGatewayV2HTTPResponse list() {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("partners");
    partners.all().forEach(p -> list.add(PartnerAdminViews.partnerJson(p)));
    return HttpResponses.json(200, out);
  }

  private APIGatewayV2HTTPResponse rotateKey(String id, HttpRequest request) {
    Duration overlap = PartnerAdminRequests.overlap(request);
    PartnerStore.IssuedKey key = partners.rotateKey(id, overlap, clock.instant()).orElseThrow(HttpProblem::notFound);
    return HttpResponses.json(201, Json.object().put("partnerId", id).put("keyId", key.keyId())
        .put("apiKey", key.apiKey()).put("previousKeysValidUntil", clock.instant().plus(overlap).toString()));
  }

  private APIGatewayV2HTTPResponse revokeKey(String id, String keyId) {
    if (!partners.revokeKey(id, keyId, clock.instant())) {
      throw HttpProblem.notFound();
    }
    return HttpResponses.json(200, Json.object().put("partnerId", id).put("keyId", keyId).put("revoked", true));
  }

  private APIGatewayV2HTTPResponse addEndpoint(String id, HttpRequest request) {
    PartnerAdminRequests.NewEndpoint asked = PartnerAdminRequests.endpoint(request, endpoints);
    PartnerStore.IssuedEndpoint e = partners.addEndpoint(id, asked.url(), asked.events(), clock.instant())
        .orElseThrow(HttpProblem::notFound);
    return HttpResponses.json(201, Json.object().put("partnerId", id).put("endpointId", e.endpointId())
        .put("url", e.url()).put("secret", e.secret()));
  }

  private APIGatewayV2HTTPResponse rotateSecret(String id, String endpointId, HttpRequest request) {
    String secret = partners.rotateSecret(id, endpointId, PartnerAdminRequests.overlap(request), clock.instant())
        .orElseThrow(HttpProblem::notFound);
    return HttpResponses.json(201, Json.object().put("partnerId", id).put("endpointId", endpointId)
        .put("secret", secret));
  }

}
