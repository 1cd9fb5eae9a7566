package nl.onderdak.function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.validation.FieldError;

/** Response shapes shared by every route. */
public final class HttpResponses {
  private HttpResponses() {}

  public static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
    return json(status, body, Map.of());
  }

  public static APIGatewayV2HTTPResponse json(int status, JsonNode body, Map<String, String> extraHeaders) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    // Answers carry case state and sometimes a secret token: never cache them anywhere.
    headers.put("cache-control", "no-store");
    headers.putAll(extraHeaders);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(Json.write(body))
        .withIsBase64Encoded(false)
        .build();
  }

  /** {@code 204 No Content}: done, nothing to say (a deletion). */
  public static APIGatewayV2HTTPResponse noContent() {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of("cache-control", "no-store"))
        .withIsBase64Encoded(false).build();
  }

  /**
   * Headers of every page people open in a browser: own origin only (no third-party script, font or
   * tracker can run), and no Referer sent onwards, because status links carry a secret token.
   */
  public static Map<String, String> pageHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-security-policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
        + "connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    headers.put("x-content-type-options", "nosniff");
    headers.put("referrer-policy", "no-referrer");
    headers.put("permissions-policy", "camera=(), microphone=(), geolocation=()");
    return headers;
  }

  /** An HTML page, with {@link #pageHeaders()}. */
  public static APIGatewayV2HTTPResponse html(int status, String body, String cacheControl) {
    Map<String, String> headers = pageHeaders();
    headers.put("content-type", "text/html; charset=utf-8");
    headers.put("cache-control", cacheControl);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(body)
        .withIsBase64Encoded(false)
        .build();
  }

  /** {@code application/problem+json}: {@code status}, {@code code}, {@code title}, {@code detail} and {@code errors}. */
  public static APIGatewayV2HTTPResponse problem(HttpProblem p, String requestId) {
    ObjectNode body = Json.object();
    body.put("status", p.status());
    body.put("code", p.code());
    body.put("title", title(p.status()));
    body.put("detail", p.getMessage());
    if (!p.errors().isEmpty()) {
      ArrayNode errors = body.putArray("errors");
      for (FieldError e : p.errors()) {
        errors.addObject().put("field", e.field()).put("code", e.code()).put("message", e.message());
      }
    }
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    APIGatewayV2HTTPResponse response = json(p.status(), body);
    response.getHeaders().put("content-type", "application/problem+json");
    return response;
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Invalid request";
      case 404 -> "Not found";
      case 413 -> "Request too large";
      case 415 -> "Unsupported media type";
      case 422 -> "Unprocessable request";
      case 503 -> "Temporarily unavailable";
      default -> status >= 500 ? "Internal error" : "Request refused";
    };
  }
}
