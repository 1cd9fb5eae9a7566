package nl.onderdak.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.ReasonCodes;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.privacy.SubjectRights;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * A person's rights, for operators (the data protection officer's requests; IAM in AWS, the admin token locally):
 * <ul>
 *   <li>{@code GET /admin/cases/{id}/export}: everything held on the case, as one JSON document, put on the record
 *       of reads ({@link SubjectRights#export});
 *   <li>{@code POST /admin/cases/{id}/erasure} {@code {reason}}: once the case has ended, its personal details and
 *       free text are deleted and the case stays pseudonymous, with an event saying who erased it and why;
 *       {@code 409 case_open} while it is still being worked on; the same request again answers alike.
 * </ul>
 */
public final class SubjectRightsHandler extends HttpHandler {
  private final SubjectRights rights;

  public SubjectRightsHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  SubjectRightsHandler(Wiring wiring) {
    auditOperators(wiring.operatorAudit());
    this.rights = new SubjectRights(wiring.chainStore(), wiring.clock());
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String id = request.pathParameter("id");
    Actor operator = Actor.operator(request.iamUserArn());
    APIGatewayV2HTTPResponse response = switch (request.routeKey()) {
      case "GET /admin/cases/{id}/export" -> HttpResponses.json(200,
          rights.export(id, operator, request.requestId()).orElseThrow(HttpProblem::notFound));
      case "POST /admin/cases/{id}/erasure" -> erase(id, reason(request), operator);
      default -> throw HttpProblem.notFound();
    };
    ObjectNode log = JsonLog.line("INFO", "subject rights");
    log.put("route", request.routeKey()).put("correlationId", id).put("status", response.getStatusCode())
        .put("actor", request.iamUserArn()).put("requestId", request.requestId());
    JsonLog.write(log);
    return response;
  }

  private APIGatewayV2HTTPResponse erase(String id, String reason, Actor operator) {
    SubjectRights.Erasure done = rights.erase(id, reason, operator);
    return switch (done) {
      case ERASED, ALREADY_ERASED -> HttpResponses.json(200, Json.object().put("caseId", id).put("erased", true));
      case CASE_OPEN -> throw new HttpProblem(409, "case_open",
          "the case is still open: the organisation responsible ends it first (a withdrawal), then it is erased");
      case NOT_FOUND -> throw HttpProblem.notFound();
    };
  }

  private static String reason(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String reason = body.oneOf("reason", true, new java.util.TreeSet<>(ReasonCodes.ERASURE));
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return reason;
  }
}
