package nl.onderdak.registration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.registration.PublicStatus;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;

/**
 * {@code GET /registrations/{id}?token=...}: the registrant's own minimal status. An unknown id, a
 * malformed id and a wrong token all answer the same {@code 404}, so the route tells nobody else
 * whether an id exists. A browser (asking for {@code text/html}) gets a page that shows the same
 * status to people, in their language.
 */
public final class RegistrationStatusHandler extends HttpHandler {
  private final RegistrationService service;

  public RegistrationStatusHandler() {
    this(RegistrationHandler.defaultService());
    onlyThroughTheEdge();
    primeBeforeSnapshot();
  }

  @Override
  protected void primeStores() {
    service.status(RegistrationHandler.NOBODY, "priming");
  }

  RegistrationStatusHandler(RegistrationService service) {
    this.service = service;
  }

  /**
   * What a browser gets when someone opens their status link: a page that asks this same route for
   * the JSON and shows it in their language. It looks nothing up itself, so it says nothing about
   * whether the id exists.
   */
  static final String PAGE = """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Onderdak</title>
      <link rel="icon" href="data:,">
      <link rel="stylesheet" href="/assets/form.css">
      <script src="/assets/form.js" defer></script>
      </head>
      <body data-page="status">
      <header class="site"><p class="brand"><a href="/">Onderdak</a></p><nav id="languages"></nav></header>
      <main id="main" tabindex="-1">
      <h1 data-i18n="status.title">Registration status</h1>
      <div id="status" aria-live="polite"><p>…</p></div>
      <noscript><p>This page needs JavaScript. Dit scherm heeft JavaScript nodig.</p></noscript>
      </main>
      </body>
      </html>
      """;

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String accept = request.header("accept");
    if (accept != null && accept.contains("text/html")) {
      return HttpResponses.html(200, PAGE, "no-store");
    }
    CaseRecord c = service.status(request.pathParameter("id"), request.queryParameter("token"))
        .orElseThrow(HttpProblem::notFound);
    return HttpResponses.json(200, Json.object()
        .put("id", c.id())
        .put("kind", c.kind().wire())
        .put("status", PublicStatus.of(c.kind(), c.status().wire()))
        .put("registeredAt", c.registeredAt().toString())
        .put("updatedAt", c.updatedAt().toString()));
  }
}
