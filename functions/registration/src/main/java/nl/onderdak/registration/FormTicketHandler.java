package nl.onderdak.registration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.registration.FormTickets;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.Wiring;

/**
 * {@code POST /registrations/tickets}: the public form asks for a ticket when it opens, and sends it with the
 * registration ({@link FormTickets}). It takes no body and reads nothing about anyone.
 */
public final class FormTicketHandler extends HttpHandler {
  static final String ROUTE = "POST /registrations/tickets";
  private final FormTickets tickets;

  public FormTicketHandler() {
    this(Wiring.fromEnv().formTickets());
    onlyThroughTheEdge();
    primeBeforeSnapshot();
  }

  FormTicketHandler(FormTickets tickets) {
    this.tickets = tickets;
  }

  @Override
  protected void primeStores() {
    tickets.prime();
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    if (!ROUTE.equals(request.routeKey())) {
      // Not this route (SnapStart's priming request is one): nothing issued, nothing written.
      throw nl.onderdak.function.HttpProblem.notFound();
    }
    FormTickets.Issued t = tickets.issue();
    return HttpResponses.json(201, Json.object()
        .put("ticket", t.ticket())
        .put("notBefore", t.notBefore().toString())
        .put("expiresAt", t.expiresAt().toString())
        .put("header", FormTickets.HEADER), Map.of("cache-control", "no-store"));
  }
}
