package nl.onderdak.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.Decided;
import nl.onderdak.core.chain.ScreeningStep;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.support.Ids;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * {@code POST /admin/hosts/{id}/screening} with {@code {"decision": "approved" | "rejected", "reason", "text"}}:
 * the screening decision on a host offer, taken by an operator. The same step as the partner route
 * ({@link ScreeningStep}), so the two answer alike: the same decision said again is {@code 200} with the same
 * result, another decision on a host that moved on is {@code 409}.
 */
public final class ScreeningDecisionHandler extends HttpHandler {
  private final Chain chain;

  public ScreeningDecisionHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  ScreeningDecisionHandler(Wiring wiring) {
    this(wiring.chain());
    auditOperators(wiring.operatorAudit());
  }

  @Override
  protected void primeStores() {
    chain.store().caseView("H-0000000000000000"); // no such case: one read, nothing found
  }

  ScreeningDecisionHandler(Chain chain) {
    this.chain = chain;
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String id = request.pathParameter("id");
    if (!Ids.isCaseId(id) || CaseKind.ofId(id) != CaseKind.HOST) {
      throw HttpProblem.notFound();
    }
    CaseView host = chain.store().caseView(id);
    if (host == null) {
      throw HttpProblem.notFound();
    }
    ScreeningStep step = host.programmeDefinition().step(ScreeningStep.class);
    Decided d = step.decide(chain, adminActor(request), host, request.jsonBody());
    ObjectNode log = JsonLog.line("INFO", "screening decision");
    log.put("correlationId", id).put("status", d.status()).put("repeated", d.repeated())
        .put("requestId", request.requestId());
    JsonLog.write(log);
    ObjectNode out = Json.object().put("id", id).put("status", d.status());
    if (d.at() != null) {
      out.put("decidedAt", d.at().toString());
    }
    return HttpResponses.json(200, out);
  }

  /** Who decided: the IAM principal API Gateway verified (the local runtime's admin locally). */
  static Actor adminActor(HttpRequest request) {
    return Actor.operator(request.iamUserArn());
  }
}
