package nl.onderdak.registration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.registration.DetailsCorrection;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * {@code POST /registrations/{id}/details?token=...} {@code {contact, neededFrom | availableFrom, availableUntil}}:
 * the household or host corrects its own contact or dates from its page ({@link DetailsCorrection}). A function of
 * its own, so that the status page's function keeps reading no personal data; this one reads and writes one
 * case's contact and its claims, and deletes nothing. An unknown id and a wrong token answer the same {@code 404}.
 */
public final class RegistrationDetailsHandler extends HttpHandler {
  private final RegistrationService service;
  private final Chain chain;

  public RegistrationDetailsHandler() {
    this(Wiring.fromEnv());
    onlyThroughTheEdge();
    primeBeforeSnapshot();
  }

  private RegistrationDetailsHandler(Wiring wiring) {
    this(wiring.registrations(), wiring.chain());
  }

  RegistrationDetailsHandler(RegistrationService service, Chain chain) {
    this.service = service;
    this.chain = chain;
  }

  @Override
  protected void primeStores() {
    service.status(RegistrationHandler.NOBODY, "priming");
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    CaseRecord own = service.status(request.pathParameter("id"), request.queryParameter("token"))
        .orElseThrow(HttpProblem::notFound);
    CaseView c = chain.store().caseView(own.id());
    DetailsCorrection.Corrected done = new DetailsCorrection(chain).correct(c, request.jsonBody());
    // The names of the fields only: what they now say is personal data.
    JsonLog.write(JsonLog.line("INFO", "registrant corrected details").put("correlationId", own.id())
        .put("kind", own.kind().wire()).put("fields", String.join(",", done.fields()))
        .put("repeated", done.repeated()).put("requestId", request.requestId()));
    ObjectNode out = Json.object().put("id", own.id()).put("kind", own.kind().wire());
    done.fields().forEach(out.putArray("corrected")::add);
    return HttpResponses.json(200, out);
  }
}
