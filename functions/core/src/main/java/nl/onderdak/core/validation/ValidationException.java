package nl.onderdak.core.validation;

import java.util.List;

/** A request that cannot be accepted, with every field that is wrong and why. */
public final class ValidationException extends RuntimeException {
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(errors.size() + " invalid field(s): " + errors);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
