package nl.onderdak.registration;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.registration.PublicStatus;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.registration.FormTickets;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.registration.RegistrationService.IdempotencyKeyReused;
import nl.onderdak.core.registration.RegistrationService.Registered;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/** {@code POST /registrations/guests} and {@code POST /registrations/hosts}: one class, one kind each. */
abstract class RegistrationHandler extends HttpHandler {
  static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final CaseKind kind;
  private final RegistrationService service;

  /** Lambda's constructor: wiring from the environment, built once per container. */
  RegistrationHandler(CaseKind kind) {
    this(kind, defaultService());
    onlyThroughTheEdge();
    primeBeforeSnapshot();
  }

  RegistrationHandler(CaseKind kind, RegistrationService service) {
    this.kind = kind;
    this.service = service;
  }

  @Override
  protected void primeStores() {
    service.prime(kind);
  }

  /** A well-formed id no case has (ids are random; this one is never issued: its checks would not match). */
  static final String NOBODY = "G-0000000000000000";

  static RegistrationService defaultService() {
    return Wiring.fromEnv().registrations();
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String key = request.header(IDEMPOTENCY_HEADER);
    if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw new HttpProblem(400, "validation_failed", "the Idempotency-Key header is malformed",
          List.of(new FieldError(IDEMPOTENCY_HEADER, FieldError.Codes.INVALID_FORMAT,
              "1 to 255 visible ASCII characters, such as a UUID")));
    }
    Registered r;
    try {
      r = service.registerFromForm(kind, request.jsonBody(), key, request.header(FormTickets.HEADER));
    } catch (IdempotencyKeyReused e) {
      throw new HttpProblem(422, "idempotency_key_reused", e.getMessage());
    } catch (FormTickets.TicketRefused e) {
      // Said plainly: the form asks for a new ticket and sends again; a script learns only what the page does.
      String detail = e.notBefore() == null ? e.refusal().hint() : e.refusal().hint() + " (" + e.notBefore() + ")";
      throw new HttpProblem(400, "form_ticket_refused", "the registration's form ticket was not accepted",
          List.of(new FieldError(FormTickets.HEADER, e.refusal().code(), detail)));
    }
    ObjectNode log = JsonLog.line("INFO", r.replayed() ? "registration replayed" : "registration stored");
    log.put("correlationId", r.id()).put("kind", kind.wire()).put("status", r.status()).put("requestId", request.requestId());
    JsonLog.write(log);

    String statusPath = "/registrations/" + r.id();
    ObjectNode body = Json.object()
        .put("id", r.id())
        .put("kind", r.kind().wire())
        .put("status", PublicStatus.of(r.kind(), r.status()))
        .put("statusToken", r.statusToken())
        .put("statusUrl", statusPath + "?token=" + r.statusToken())
        .put("registeredAt", r.registeredAt().toString());
    Map<String, String> headers = r.replayed()
        ? Map.of("location", statusPath, "idempotent-replayed", "true")
        : Map.of("location", statusPath);
    return HttpResponses.json(201, body, headers);
  }
}
