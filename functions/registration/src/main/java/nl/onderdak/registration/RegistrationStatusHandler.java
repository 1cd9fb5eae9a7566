package nl.onderdak.registration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.Decided;
import nl.onderdak.core.chain.WithdrawalStep;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;
import nl.onderdak.core.registration.PublicStatus;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;

/**
 * The registrant's own page, with the status token of their registration:
 * <ul>
 *   <li>{@code GET /registrations/{id}?token=...}: the minimal status. A browser (asking for {@code text/html}) gets a
 *       page that shows it to people, in their language, and offers the withdrawal;
 *   <li>{@code POST /registrations/{id}/withdraw?token=...} {@code {reason}}: the household or host withdraws
 *       itself, as its organisation would record it ({@link WithdrawalStep}: the organisations are alerted, a
 *       proposal it is in is cancelled); a reason code only, no words. {@code 409 placed} during a stay: the
 *       organisation ends a stay.
 * </ul>
 * An unknown id, a malformed id and a wrong token all answer the same {@code 404}, so the routes tell nobody else
 * whether an id exists.
 */
public final class RegistrationStatusHandler extends HttpHandler {
  /** What a registrant may give as the reason, by kind: the organisations' other codes are theirs to judge. */
  static final Map<CaseKind, Set<String>> OWN_REASONS = Map.of(
      CaseKind.GUEST, new TreeSet<>(Set.of("found_own_place", "returned", "no_longer_needed")),
      CaseKind.HOST, new TreeSet<>(Set.of("no_longer_available")));

  private final RegistrationService service;
  private final Chain chain;
  private final nl.onderdak.core.partners.PartnerStore partners;

  public RegistrationStatusHandler() {
    this(Wiring.fromEnv());
    onlyThroughTheEdge();
    primeBeforeSnapshot();
  }

  private RegistrationStatusHandler(Wiring wiring) {
    this(wiring.registrations(), wiring.chain(), wiring.partners());
  }

  @Override
  protected void primeStores() {
    service.status(RegistrationHandler.NOBODY, "priming");
  }

  RegistrationStatusHandler(RegistrationService service, Chain chain, nl.onderdak.core.partners.PartnerStore partners) {
    this.service = service;
    this.chain = chain;
    this.partners = partners;
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
    if (request.routeKey().equals("POST /registrations/{id}/withdraw")) {
      return withdraw(request);
    }

    String accept = request.header("accept");
    if (accept != null && accept.contains("text/html")) {
      return HttpResponses.html(200, PAGE, "no-store");
    }
    CaseRecord c = service.status(request.pathParameter("id"), request.queryParameter("token"))
        .orElseThrow(HttpProblem::notFound);
    // The step the case is in, as the programme names it (a household on hold is shown as matching: whether it
    // may be a duplicate is not the registrant's to learn); none once it has ended.
    CaseView view = chain.store().caseView(c.id());
    nl.onderdak.core.chain.Step step = view == null ? null : view.step();
    String stepKey = step == null ? null
        : nl.onderdak.core.chain.DuplicateCheckStep.KEY.equals(step.key()) ? nl.onderdak.core.chain.SystemStep.MATCHING
        : step.key();
    com.fasterxml.jackson.databind.node.ObjectNode out = Json.object()
        .put("id", c.id())
        .put("kind", c.kind().wire())
        .put("status", PublicStatus.of(c.kind(), c.status().wire()))
        .put("step", stepKey)
        .put("registeredAt", c.registeredAt().toString())
        .put("updatedAt", c.updatedAt().toString());
    // The organisation that helps it: the case's lead, by its name and public contact (its desk, never a person).
    var profile = nl.onderdak.core.partners.PublicContact.ofLead(view, partners);
    if (profile.isPresent()) {
      com.fasterxml.jackson.databind.node.ObjectNode org = out.putObject("organisation")
          .put("name", profile.get().name());
      var contact = profile.get().contact();
      if (contact != null) {
        org.put("phone", contact.phone()).put("email", contact.email()).put("website", contact.website());
      }
    } else {
      out.putNull("organisation");
    }
    return HttpResponses.json(200, out);
  }

  private APIGatewayV2HTTPResponse withdraw(HttpRequest request) {
    CaseRecord own = service.status(request.pathParameter("id"), request.queryParameter("token"))
        .orElseThrow(HttpProblem::notFound);
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String reason = body.oneOf("reason", true, OWN_REASONS.get(own.kind()));
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    CaseView c = chain.store().caseView(own.id());
    Decided done = c.step(WithdrawalStep.class).withdraw(chain, Actor.REGISTRANT, c,
        Json.object().put("reason", reason));
    JsonLog.write(JsonLog.line("INFO", "registrant withdrew").put("correlationId", own.id())
        .put("kind", own.kind().wire()).put("reason", reason).put("repeated", done.repeated())
        .put("requestId", request.requestId()));
    return HttpResponses.json(200, Json.object().put("id", own.id()).put("kind", own.kind().wire())
        .put("status", done.status()));
  }
}
