package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.function.Predicate;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;

/**
 * Offboarding, and the changes of an organisation's life after onboarding (operators; IAM in AWS):
 * <ul>
 *   <li>{@code POST /admin/partners/{id}/disable} {@code {reason}} and {@code .../enable}: a disabled organisation's
 *       keys stop at once, it is told nothing (webhooks already queued are parked, not sent) and the routing gives
 *       it no new case;
 *   <li>{@code PUT /admin/partners/{id}} {@code {roles[], regions[]}}: what it does and where;
 *   <li>{@code DELETE /admin/partners/{id}}: only a disabled organisation that holds no open case any more
 *       ({@code 409 not_disabled}, {@code 409 holds_cases}): its cases are handed over first;
 *   <li>{@code POST .../endpoints/{endpointId}/disable}, {@code .../enable}, {@code DELETE .../endpoints/{endpointId}}.
 * </ul>
 */
final class OffboardingRoutes {
  static final java.util.Set<String> ROUTES = java.util.Set.of("POST /admin/partners/{id}/disable",
      "POST /admin/partners/{id}/enable", "PUT /admin/partners/{id}", "DELETE /admin/partners/{id}",
      "POST /admin/partners/{id}/endpoints/{endpointId}/disable", "POST /admin/partners/{id}/endpoints/{endpointId}/enable",
      "DELETE /admin/partners/{id}/endpoints/{endpointId}");

  private final PartnerStore partners;
  private final Predicate<String> holdsOpenCases;
  private final Clock clock;

  /** @param holdsOpenCases whether an organisation still holds an open case (its holder rows) */
  OffboardingRoutes(PartnerStore partners, Predicate<String> holdsOpenCases, Clock clock) {
    this.partners = partners;
    this.holdsOpenCases = holdsOpenCases;
    this.clock = clock;
  }

  APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String id = request.pathParameter("id");
    String endpoint = request.pathParameter("endpointId");
    return switch (request.routeKey()) {
      case "POST /admin/partners/{id}/disable" -> {
        String reason = PartnerAdminRequests.disableReason(request);
        yield found(partners.setDisabled(id, true, reason, clock.instant()), id);
      }
      case "POST /admin/partners/{id}/enable" -> found(partners.setDisabled(id, false, null, clock.instant()), id);
      case "PUT /admin/partners/{id}" -> {
        PartnerAdminRequests.Change change = PartnerAdminRequests.change(request);
        yield HttpResponses.json(200, PartnerAdminViews.partnerJson(partners.change(id, change.roles(),
            change.regions(), clock.instant()).orElseThrow(HttpProblem::notFound)));
      }
      case "DELETE /admin/partners/{id}" -> delete(id);
      case "POST /admin/partners/{id}/endpoints/{endpointId}/disable" ->
          found(partners.setEndpointDisabled(id, endpoint, true, "disabled by an operator", clock.instant()), id);
      case "POST /admin/partners/{id}/endpoints/{endpointId}/enable" ->
          found(partners.setEndpointDisabled(id, endpoint, false, null, clock.instant()), id);
      case "DELETE /admin/partners/{id}/endpoints/{endpointId}" -> {
        if (!partners.deleteEndpoint(id, endpoint, clock.instant())) {
          throw HttpProblem.notFound();
        }
        yield HttpResponses.noContent();
      }
      default -> throw HttpProblem.notFound();
    };
  }

  private APIGatewayV2HTTPResponse delete(String id) {
    if (partners.find(id).map(p -> p.disabled()).orElse(false) && holdsOpenCases.test(id)) {
      throw new HttpProblem(409, "holds_cases", "the organisation still holds open cases: hand them over first");
    }
    return switch (partners.delete(id, clock.instant())) {
      case DELETED -> HttpResponses.noContent();
      case NOT_DISABLED -> throw new HttpProblem(409, "not_disabled",
          "disable the organisation first (POST /admin/partners/{id}/disable): its keys and webhooks stop at once");
      case NOT_FOUND -> throw HttpProblem.notFound();
    };
  }

  private APIGatewayV2HTTPResponse found(boolean done, String id) {
    if (!done) {
      throw HttpProblem.notFound();
    }
    return HttpResponses.json(200, PartnerAdminViews.partnerJson(partners.find(id).orElseThrow(HttpProblem::notFound)));
  }
}
