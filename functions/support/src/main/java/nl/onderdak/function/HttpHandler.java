package nl.onderdak.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.onderdak.core.chain.Refused;
import nl.onderdak.core.validation.ValidationException;

/**
 * Base of every HTTP route handler: turns refusals into problem responses and anything unexpected
 * into a {@code 500} that names the request id (and logs it), so a client never sees a stack trace
 * and never gets a {@code 500} for something it sent.
 */
public abstract class HttpHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  /** The header CloudFront adds to every request it forwards (EdgeDistribution's origin), with the edge secret. */
  public static final String EDGE_HEADER = "x-onderdak-edge";
  /** The environment variable that holds the edge secret; empty when no edge is in front. */
  public static final String EDGE_SECRET_ENV = "EDGE_ORIGIN_SECRET";

  private volatile nl.onderdak.core.ops.OperatorAudit audit;
  private volatile byte[] edgeSecret;

  /**
   * A public route: when an edge (CloudFront with the WAF's per-client limits) is in front, only requests that came
   * through it are answered, so a script cannot go round the limits to the API's own address. Without a secret
   * (no edge, the local runtime, the tests) every request is.
   */
  protected final void onlyThroughTheEdge(String secret) {
    this.edgeSecret = secret == null || secret.isEmpty() ? null
        : secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@link #onlyThroughTheEdge} with the secret from the function's environment. */
  protected final void onlyThroughTheEdge() {
    onlyThroughTheEdge(nl.onderdak.core.support.Env.get(EDGE_SECRET_ENV));
  }

  /** Operators' requests to this handler go on the durable audit record ({@link nl.onderdak.core.ops.OperatorAudit}). */
  protected final void auditOperators(nl.onderdak.core.ops.OperatorAudit audit) {
    this.audit = audit;
  }

  @Override
  public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    HttpRequest request = new HttpRequest(event);
    byte[] edge = edgeSecret;
    if (edge != null && !fromTheEdge(request.header(EDGE_HEADER), edge)) {
      return HttpResponses.problem(new HttpProblem(403, "edge_required",
          "this address is not public; use the site's own address"), request.requestId());
    }
    nl.onderdak.core.ops.OperatorAudit audited = request.iamUserArn() == null ? null : audit;
    nl.onderdak.core.ops.OperatorAudit.Entry entry;
    try {
      entry = audited == null ? null : audited.attempted(request.iamUserArn(), request.routeKey(),
          event.getPathParameters(), request.requestId());
    } catch (RuntimeException e) {
      // What cannot be put on record is not done.
      JsonLog.write(JsonLog.line("ERROR", "audit record not written").put("requestId", request.requestId())
          .put("route", event.getRouteKey()).put("error", e.getClass().getName()));
      return HttpResponses.problem(new HttpProblem(503, "audit_unavailable",
          "the request could not be put on record, so it was not done; try again"), request.requestId());
    }
    APIGatewayV2HTTPResponse response = answer(request, event);
    if (entry != null) {
      try {
        audited.finished(entry, response.getStatusCode());
      } catch (RuntimeException e) {
        // Done and on record as attempted: the missing outcome is in the logs.
        JsonLog.write(JsonLog.line("ERROR", "audit outcome not written").put("requestId", request.requestId())
            .put("status", response.getStatusCode()).put("error", e.getClass().getName()));
      }
    }
    return response;
  }

  private APIGatewayV2HTTPResponse answer(HttpRequest request, APIGatewayV2HTTPEvent event) {
    String requestId = request.requestId();
    try {
      return handle(request);
    } catch (HttpProblem p) {
      return HttpResponses.problem(p, requestId);
    } catch (Refused r) {
      // A not-found is answered exactly as an unknown id: the same code and words, whatever the cause.
      HttpProblem p = r.kind() == Refused.Kind.NOT_FOUND ? HttpProblem.notFound()
          : new HttpProblem(r.kind().status, r.code(), r.getMessage());
      return HttpResponses.problem(p, requestId);
    } catch (nl.onderdak.core.registration.RegistrationService.IdempotencyKeyReused k) {
      // Any route that registers under an Idempotency-Key (a bulk offer derives one per home) answers a reused
      // key alike: a clean 422, and nothing written for the new body.
      return HttpResponses.problem(new HttpProblem(422, "idempotency_key_reused", k.getMessage()), requestId);
    } catch (ValidationException v) {
      return HttpResponses.problem(new HttpProblem(400, "validation_failed",
          v.errors().size() + " field(s) are invalid", v.errors()), requestId);
    } catch (RuntimeException e) {
      ObjectNode line = JsonLog.line("ERROR", "unhandled error");
      line.put("requestId", requestId);
      line.put("route", event.getRouteKey());
      line.put("error", e.getClass().getName());
      // Frames only: an exception's message may quote what was sent, and that may be personal data.
      line.put("stack", JsonLog.frames(e));
      JsonLog.write(line);
      return HttpResponses.problem(new HttpProblem(500, "internal_error",
          "something went wrong on our side; nothing was half-written, so it is safe to retry"), requestId);
    }
  }

  private static boolean fromTheEdge(String header, byte[] secret) {
    return header != null
        && java.security.MessageDigest.isEqual(header.getBytes(java.nio.charset.StandardCharsets.UTF_8), secret);
  }

  /** Handles one request: parse, call the domain, shape the answer. */
  protected abstract APIGatewayV2HTTPResponse handle(HttpRequest request);

  /**
   * Registers this handler's SnapStart prime ({@link Priming}): a request to no route (the request's parsing, a
   * refusal, Jackson writing the problem), then {@link #primeStores}. Called by the constructor Lambda uses.
   */
  protected final void primeBeforeSnapshot() {
    Priming.register(getClass().getSimpleName(), () -> {
      APIGatewayV2HTTPEvent none = new APIGatewayV2HTTPEvent();
      none.setRouteKey("GET /priming");
      none.setRawPath("/priming");
      byte[] edge = edgeSecret;
      none.setHeaders(edge == null ? java.util.Map.of("accept", "application/json") : java.util.Map.of("accept",
          "application/json", EDGE_HEADER, new String(edge, java.nio.charset.StandardCharsets.UTF_8)));
      handleRequest(none, null);
      primeStores();
    });
  }

  /** A read this handler makes anyway, of nothing that exists (never a write); none by default. */
  protected void primeStores() {}
}
