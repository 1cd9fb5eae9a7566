package nl.onderdak.function;

import java.util.List;
import nl.onderdak.core.validation.FieldError;

/**
 * A request refused for a reason the client can act on, answered as {@code application/problem+json}
 * (RFC 9457) with a stable {@code code} and, for invalid input, every invalid field.
 */
public final class HttpProblem extends RuntimeException {
  private final int status;
  private final String code;
  private final List<FieldError> errors;

  public HttpProblem(int status, String code, String detail) {
    this(status, code, detail, List.of());
  }

  public HttpProblem(int status, String code, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public static HttpProblem notFound() {
    return new HttpProblem(404, "not_found", "nothing here");
  }
}
