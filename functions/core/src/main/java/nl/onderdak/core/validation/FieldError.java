package nl.onderdak.core.validation;

/**
 * One thing wrong with one field of a request.
 *
 * @param field the path of the field, as {@code contact.email} or {@code children[1].age}
 * @param code a stable machine-readable reason (see {@link Codes})
 * @param message a short English explanation for developers; the form translates by code
 */
public record FieldError(String field, String code, String message) {

  /** The reasons a field can be refused. Clients switch on these; never rename one. */
  public static final class Codes {
    public static final String MISSING = "missing";
    public static final String WRONG_TYPE = "wrong_type";
    public static final String OUT_OF_RANGE = "out_of_range";
    public static final String UNKNOWN_FIELD = "unknown_field";
    public static final String TOO_LONG = "too_long";
    public static final String TOO_SHORT = "too_short";
    public static final String TOO_MANY = "too_many";
    public static final String INVALID_FORMAT = "invalid_format";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String DATE_ORDER = "date_order";
    public static final String DUPLICATE = "duplicate";
    public static final String MUST_BE_TRUE = "must_be_true";

    private Codes() {}
  }
}
