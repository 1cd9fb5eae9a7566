package nl.onderdak.function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.validation.FieldError;

/** An API Gateway HTTP API request (payload format 2.0), read defensively: clients send anything. */
public final class HttpRequest {
  /** Registration bodies are a few kilobytes; anything far larger is not a registration. */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  private final APIGatewayV2HTTPEvent event;

  public HttpRequest(APIGatewayV2HTTPEvent event) {
    this.event = event;
  }

  /** A header by name, case-insensitively (API Gateway lower-cases them; tests may not). */
  public String header(String name) {
    Map<String, String> headers = event.getHeaders();
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  public String pathParameter(String name) {
    Map<String, String> params = event.getPathParameters();
    return params == null ? null : params.get(name);
  }

  public String queryParameter(String name) {
    Map<String, String> params = event.getQueryStringParameters();
    return params == null ? null : params.get(name);
  }

  /**
   * A whole-number query parameter within bounds, or the fallback when absent.
   *
   * @throws nl.onderdak.core.validation.ValidationException naming the parameter when it is not one
   */
  public int queryInt(String name, int fallback, int min, int max) {
    String value = queryParameter(name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new nl.onderdak.core.validation.ValidationException(java.util.List.of(new nl.onderdak.core.validation
        .FieldError(name, nl.onderdak.core.validation.FieldError.Codes.OUT_OF_RANGE, min + " to " + max)));
  }

  /** The IAM principal API Gateway authorised this request as, on routes with AWS_IAM auth; else null. */
  public String iamUserArn() {
    var context = event.getRequestContext();
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getIam() == null) {
      return null;
    }
    return context.getAuthorizer().getIam().getUserArn();
  }

  /** A value the Lambda authorizer put in its context for this request (payload format 2.0), or null. */
  public String authorizerContext(String name) {
    var context = event.getRequestContext();
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getLambda() == null) {
      return null;
    }
    Object value = context.getAuthorizer().getLambda().get(name);
    return value == null ? null : value.toString();
  }

  /** The route this request matched, as {@code METHOD /path/{param}}. */
  public String routeKey() {
    return event.getRouteKey();
  }

  public String requestId() {
    var context = event.getRequestContext();
    return context == null ? null : context.getRequestId();
  }

  /**
   * The body as a JSON value: {@code 415} unless it is declared JSON, {@code 413} when too large,
   * {@code 400} when it does not parse.
   */
  /** The JSON body, or an empty object when the request has no body at all (every field then optional). */
  public JsonNode optionalJsonBody() {
    return bodyBytes().length == 0 ? Json.object() : jsonBody();
  }

  public JsonNode jsonBody() {
    String contentType = header("content-type");
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw new HttpProblem(415, "unsupported_media_type", "send the body as application/json");
    }
    byte[] bytes = bodyBytes();
    if (bytes.length > MAX_BODY_BYTES) {
      throw new HttpProblem(413, "body_too_large", "the body may be at most " + MAX_BODY_BYTES + " bytes");
    }
    if (bytes.length == 0) {
      throw new HttpProblem(400, "invalid_json", "the body is empty",
          List.of(new FieldError("body", FieldError.Codes.MISSING, "a JSON object is required")));
    }
    try {
      return Json.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, "invalid_json", "the body is not valid JSON",
          List.of(new FieldError("body", FieldError.Codes.INVALID_FORMAT, "not valid JSON")));
    }
  }

  /**
   * A text body of one of the given media types ({@code text/csv}), UTF-8: {@code 415} for another type,
   * {@code 413} above {@code maxBytes}, {@code 400} when it is not UTF-8.
   */
  public String textBody(int maxBytes, String... mediaTypes) {
    String contentType = header("content-type");
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!List.of(mediaTypes).contains(mediaType)) {
      throw new HttpProblem(415, "unsupported_media_type", "send the body as " + String.join(" or ", mediaTypes));
    }
    byte[] bytes = bodyBytes();
    if (bytes.length > maxBytes) {
      throw new HttpProblem(413, "body_too_large", "the body may be at most " + maxBytes + " bytes");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new HttpProblem(400, "invalid_body", "the body is not UTF-8 text",
          List.of(new FieldError("body", FieldError.Codes.INVALID_FORMAT, "save the file as UTF-8")));
    }
  }

  private byte[] bodyBytes() {
    String body = event.getBody();
    if (body == null) {
      return new byte[0];
    }
    if (event.getIsBase64Encoded()) {
      try {
        return Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new HttpProblem(400, "invalid_body", "the body is not valid base64");
      }
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
