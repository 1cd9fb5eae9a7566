package nl.onderdak.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.Quarantine;
import nl.onderdak.core.chain.QuarantineDesk;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.support.Ids;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * An operator's hand on a burst of fake registrations (IAM in AWS, the admin token locally), through
 * {@link QuarantineDesk}:
 * <ul>
 *   <li>{@code POST /admin/quarantine} {@code {registeredFrom, registeredUntil, kind?, region?, dryRun?}}: holds
 *       every case registered in the window (from inclusive, until exclusive, at most 7 days) that is not yet in a
 *       match out of matching; {@code dryRun} counts only;
 *   <li>{@code POST /admin/quarantine/release} {@code {caseIds}} or the same window (and {@code reason?}): lets them
 *       back into their pools, and the matcher looks at them at once;
 *   <li>{@code GET /admin/quarantine?kind=&region=&limit=}: what is held, oldest registration first, with counts
 *       by reason.
 * </ul>
 * A request works for at most {@link #BUDGET} and answers {@code complete: false} when there is more: the operator
 * sends it again. Every request is on the audit record; the answer names cases by id only.
 */
public final class QuarantineHandler extends HttpHandler {
  /** Well inside API Gateway's 30 seconds. */
  static final Duration BUDGET = Duration.ofSeconds(20);
  static final int MAX_IDS = 5_000;
  private final QuarantineDesk desk;
  private final Clock clock;

  public QuarantineHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  QuarantineHandler(Wiring wiring) {
    auditOperators(wiring.operatorAudit());
    this.clock = wiring.clock();
    this.desk = new QuarantineDesk(wiring.chainStore(), clock);
  }

  @Override
  protected void primeStores() {
    desk.held(EnumSet.of(CaseKind.GUEST), Set.of(Regions.provinces().keySet().iterator().next()), 1);
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    Instant deadline = clock.instant().plus(BUDGET);
    Actor operator = Actor.operator(request.iamUserArn());
    APIGatewayV2HTTPResponse response = switch (request.routeKey()) {
      case "GET /admin/quarantine" -> list(request);
      case "POST /admin/quarantine" -> hold(request, operator, deadline);
      case "POST /admin/quarantine/release" -> release(request, operator, deadline);
      default -> throw HttpProblem.notFound();
    };
    ObjectNode log = JsonLog.line("INFO", "quarantine request");
    log.put("route", request.routeKey()).put("status", response.getStatusCode())
        .put("actor", request.iamUserArn()).put("requestId", request.requestId());
    JsonLog.write(log);
    return response;
  }

  private APIGatewayV2HTTPResponse hold(HttpRequest request, Actor operator, Instant deadline) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    QuarantineDesk.Window window = QuarantineRequests.window(body);
    Boolean dryRun = body.bool("dryRun", false);
    body.rejectUnknown();
    QuarantineRequests.check(errors);
    QuarantineDesk.Outcome done = desk.hold(window, operator, Boolean.TRUE.equals(dryRun), deadline);
    return HttpResponses.json(200, outcome(done, Boolean.TRUE.equals(dryRun) ? "wouldHold" : "held"));
  }

  private APIGatewayV2HTTPResponse release(HttpRequest request, Actor operator, Instant deadline) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    QuarantineDesk.Outcome done;
    if (body.has("caseIds")) {
      List<String> ids = body.stringList("caseIds", true, 1, MAX_IDS, s -> s, Ids::isCaseId, "case ids");
      body.rejectUnknown();
      QuarantineRequests.check(errors);
      done = desk.release(ids, operator, deadline);
    } else {
      QuarantineDesk.Window window = QuarantineRequests.window(body);
      String reason = body.oneOf("reason", false, new TreeSet<>(Quarantine.REASONS));
      body.rejectUnknown();
      QuarantineRequests.check(errors);
      done = desk.release(window, reason, operator, deadline);
    }
    return HttpResponses.json(200, outcome(done, "released"));
  }

  private APIGatewayV2HTTPResponse list(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    Set<CaseKind> kinds = QuarantineRequests.kinds(request.queryParameter("kind"), "kind", errors);
    Set<String> regions = QuarantineRequests.regions(request.queryParameter("region"), "region", errors);
    int limit = request.queryInt("limit", 1_000, 1, MAX_IDS);
    QuarantineRequests.check(errors);
    List<QuarantineDesk.Held> held = desk.held(kinds, regions, limit + 1);
    boolean truncated = held.size() > limit;
    List<QuarantineDesk.Held> shown = truncated ? held.subList(0, limit) : held;
    ObjectNode out = Json.object().put("truncated", truncated);
    ObjectNode counts = out.putObject("byReason");
    QuarantineDesk.byReason(shown).forEach(counts::put);
    ArrayNode cases = out.putArray("cases");
    for (QuarantineDesk.Held h : shown) {
      cases.addObject().put("caseId", h.caseId()).put("kind", h.kind().wire()).put("region", h.region())
          .put("status", h.status()).put("reason", h.reason()).put("heldAt", h.heldAt())
          .put("registeredAt", h.registeredAt() == null ? null : h.registeredAt().toString());
    }
    return HttpResponses.json(200, out);
  }

  private static ObjectNode outcome(QuarantineDesk.Outcome done, String verb) {
    ObjectNode out = Json.object().put("found", done.found()).put(verb, done.changed()).put("complete", done.complete());
    ObjectNode skipped = out.putObject("skipped");
    done.skipped().forEach(skipped::put);
    ArrayNode ids = out.putArray("caseIds");
    done.caseIds().forEach(ids::add);
    return out;
  }
}
