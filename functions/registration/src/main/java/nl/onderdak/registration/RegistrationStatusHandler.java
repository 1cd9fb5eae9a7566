package nl.onderdak.registration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;

/**
 * {@code GET /registrations/{id}?token=...}: the registrant's own minimal status. An unknown id, a
 * malformed id and a wrong token all answer the same {@code 404}, so the route tells nobody else
 * whether an id exists.
 */
public final class RegistrationStatusHandler extends HttpHandler {
  private final RegistrationService service;

  public RegistrationStatusHandler() {
    this(RegistrationHandler.defaultService());
  }

  RegistrationStatusHandler(RegistrationService service) {
    this.service = service;
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    CaseRecord c = service.status(request.pathParameter("id"), request.queryParameter("token"))
        .orElseThrow(HttpProblem::notFound);
    return HttpResponses.json(200, Json.object()
        .put("id", c.id())
        .put("kind", c.kind().wire())
        .put("status", c.status().wire())
        .put("registeredAt", c.registeredAt().toString())
        .put("updatedAt", c.updatedAt().toString()));
  }
}
