package nl.onderdak.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.DynamoDbClients;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Ids;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;

/**
 * {@code POST /admin/hosts/{id}/screening} with {@code {"decision": "approved" | "rejected", "reason": "..."}}:
 * the screening decision on a host offer. Only an approved host is ever matched. The move is a
 * conditional write from {@code screening}: a second decision, or a decision on a host that moved on,
 * is {@code 409} and changes nothing. Operators use it until partners screen through the partner API.
 */
public final class ScreeningDecisionHandler extends HttpHandler {
  private static final Set<String> DECISIONS = Set.of("approved", "rejected");
  private final CaseStore cases;
  private final Clock clock;

  public ScreeningDecisionHandler() {
    this(new CaseStore(DynamoDbClients.fromEnv(), Tables.fromEnv()), Clock.systemUTC());
  }

  ScreeningDecisionHandler(CaseStore cases, Clock clock) {
    this.cases = cases;
    this.clock = clock;
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String id = request.pathParameter("id");
    if (!Ids.isCaseId(id) || CaseKind.ofId(id) != CaseKind.HOST) {
      throw HttpProblem.notFound();
    }
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String decision = body.oneOf("decision", true, DECISIONS);
    String reason = body.string("reason", true, 1, 500);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    HostStatus to = decision.equals("approved") ? HostStatus.APPROVED : HostStatus.REJECTED;
    var current = cases.find(id).orElseThrow(HttpProblem::notFound);
    CaseEvent event;
    try {
      event = cases.transition(id, HostStatus.SCREENING, to, clock.instant(), adminActor(request), reason);
    } catch (CaseStore.TransitionRefused e) {
      throw new HttpProblem(409, "not_in_screening", "host " + id + " is " + current.status().wire()
          + "; a screening decision needs a host in screening");
    }
    ObjectNode log = JsonLog.line("INFO", "screening decision");
    log.put("correlationId", id).put("decision", decision).put("requestId", request.requestId());
    JsonLog.write(log);
    return HttpResponses.json(200, Json.object()
        .put("id", id)
        .put("status", event.toStatus())
        .put("decidedAt", event.at().toString()));
  }

  /** Who decided: the IAM principal API Gateway verified (the local runtime's admin locally). */
  static String adminActor(HttpRequest request) {
    String principal = request.iamUserArn();
    return principal == null ? "admin" : "admin:" + principal;
  }
}
