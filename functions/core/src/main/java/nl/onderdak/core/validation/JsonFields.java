package nl.onderdak.core.validation;

import static nl.onderdak.core.validation.FieldError.Codes.DUPLICATE;
import static nl.onderdak.core.validation.FieldError.Codes.INVALID_FORMAT;
import static nl.onderdak.core.validation.FieldError.Codes.INVALID_VALUE;
import static nl.onderdak.core.validation.FieldError.Codes.MISSING;
import static nl.onderdak.core.validation.FieldError.Codes.OUT_OF_RANGE;
import static nl.onderdak.core.validation.FieldError.Codes.TOO_LONG;
import static nl.onderdak.core.validation.FieldError.Codes.TOO_MANY;
import static nl.onderdak.core.validation.FieldError.Codes.TOO_SHORT;
import static nl.onderdak.core.validation.FieldError.Codes.UNKNOWN_FIELD;
import static nl.onderdak.core.validation.FieldError.Codes.WRONG_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object strictly, collecting every problem instead of stopping at the
 * first: a registrant on a phone should see all that is wrong at once. Each getter returns the value,
 * or null when the field is absent or invalid (the error is then recorded). Call {@link #rejectUnknown()}
 * after reading to refuse fields the API does not know.
 */
public final class JsonFields {
  private final JsonNode node;
  private final String path;
  private final List<FieldError> errors;
  private final Set<String> read = new HashSet<>();

  private JsonFields(JsonNode node, String path, List<FieldError> errors) {
    this.node = node;
    this.path = path;
    this.errors = errors;
  }

  /** The root object of a request body. A body that is not an object is one error on the field "body". */
  public static JsonFields root(JsonNode body, List<FieldError> errors) {
    if (body == null || !body.isObject()) {
      errors.add(new FieldError("body", WRONG_TYPE, "the body must be a JSON object"));
      return new JsonFields(null, "", errors);
    }
    return new JsonFields(body, "", errors);
  }

  public String pathOf(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public void error(String field, String code, String message) {
    errors.add(new FieldError(pathOf(field), code, message));
  }

  public boolean has(String field) {
    return node != null && node.hasNonNull(field);
  }

  private JsonNode take(String field, boolean required) {
    read.add(field);
    if (node == null) {
      return null;
    }
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        error(field, MISSING, "required");
      }
      return null;
    }
    return value;
  }

  public String string(String field, boolean required, int minLength, int maxLength) {
    JsonNode v = take(field, required);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      error(field, WRONG_TYPE, "must be a string");
      return null;
    }
    String s = v.textValue().strip();
    if (s.isEmpty() && required) {
      error(field, MISSING, "required");
      return null;
    }
    int length = s.codePointCount(0, s.length());
    if (length > maxLength) {
      error(field, TOO_LONG, "at most " + maxLength + " characters");
      return null;
    }
    if (length < minLength) {
      error(field, TOO_SHORT, "at least " + minLength + " characters");
      return null;
    }
    if (containsControlCharacters(s)) {
      error(field, INVALID_VALUE, "must not contain control characters");
      return null;
    }
    return s.isEmpty() ? null : s;
  }

  /** A string that must match a pattern after {@code normalise} is applied. */
  public String formatted(String field, boolean required, int maxLength, Function<String, String> normalise,
      Pattern pattern, String expected) {
    String s = string(field, required, 1, maxLength);
    if (s == null) {
      return null;
    }
    String normalised = normalise.apply(s);
    if (normalised == null || !pattern.matcher(normalised).matches()) {
      error(field, INVALID_FORMAT, "expected " + expected);
      return null;
    }
    return normalised;
  }

  public Integer integer(String field, boolean required, int min, int max) {
    JsonNode v = take(field, required);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() && !(v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0)) {
      error(field, WRONG_TYPE, "must be a whole number");
      return null;
    }
    if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      error(field, OUT_OF_RANGE, "must be between " + min + " and " + max);
      return null;
    }
    return v.intValue();
  }

  public Boolean bool(String field, boolean required) {
    JsonNode v = take(field, required);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      error(field, WRONG_TYPE, "must be true or false");
      return null;
    }
    return v.booleanValue();
  }

  /** An ISO date ({@code 2026-12-01}) within [earliest, latest]. */
  public LocalDate date(String field, boolean required, LocalDate earliest, LocalDate latest) {
    JsonNode v = take(field, required);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      error(field, WRONG_TYPE, "must be a date as YYYY-MM-DD");
      return null;
    }
    LocalDate d;
    try {
      d = LocalDate.parse(v.textValue());
    } catch (DateTimeParseException e) {
      error(field, INVALID_FORMAT, "expected a date as YYYY-MM-DD");
      return null;
    }
    if (d.isBefore(earliest) || d.isAfter(latest)) {
      error(field, OUT_OF_RANGE, "must be between " + earliest + " and " + latest);
      return null;
    }
    return d;
  }

  /** A moment in ISO-8601 with an offset ({@code 2026-12-02T10:00:00Z}, {@code 2026-12-02T11:00:00+01:00}). */
  public java.time.Instant instant(String field, boolean required) {
    String s = string(field, required, 1, 64);
    if (s == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      error(field, INVALID_FORMAT, "expected a moment with its offset, as 2026-12-02T10:00:00Z");
      return null;
    }
  }

  /** One of a fixed set of lower-case codes. */
  public String oneOf(String field, boolean required, Set<String> allowed) {
    String s = string(field, required, 1, 64);
    if (s == null) {
      return null;
    }
    if (!allowed.contains(s)) {
      error(field, INVALID_VALUE, "must be one of " + allowed);
      return null;
    }
    return s;
  }

  /**
   * A list of distinct strings, each checked by {@code valid} after {@code normalise}.
   * Returns the normalised values in the order given.
   */
  public List<String> stringList(String field, boolean required, int minItems, int maxItems,
      Function<String, String> normalise, Predicate<String> valid, String expected) {
    JsonNode v = take(field, required);
    if (v == null) {
      return required ? null : List.of();
    }
    if (!v.isArray()) {
      error(field, WRONG_TYPE, "must be a list");
      return null;
    }
    if (v.size() > maxItems) {
      error(field, TOO_MANY, "at most " + maxItems + " items");
      return null;
    }
    if (v.size() < minItems) {
      error(field, minItems == 1 && v.isEmpty() ? MISSING : TOO_SHORT, "at least " + minItems + " item(s)");
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    boolean ok = true;
    for (int i = 0; i < v.size(); i++) {
      String itemPath = field + "[" + i + "]";
      JsonNode item = v.get(i);
      if (!item.isTextual()) {
        error(itemPath, WRONG_TYPE, "must be a string");
        ok = false;
        continue;
      }
      String normalised = normalise.apply(item.textValue().strip());
      if (normalised == null || !valid.test(normalised)) {
        error(itemPath, INVALID_VALUE, "expected " + expected);
        ok = false;
      } else if (!out.add(normalised)) {
        error(itemPath, DUPLICATE, "listed twice");
        ok = false;
      }
    }
    return ok ? List.copyOf(out) : null;
  }

  /** A nested object; null (with an error if required) when absent or not an object. */
  public JsonFields object(String field, boolean required) {
    JsonNode v = take(field, required);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      error(field, WRONG_TYPE, "must be an object");
      return null;
    }
    return new JsonFields(v, pathOf(field), errors);
  }

  /** A list of objects, each read by the caller; returns null if the list itself is invalid. */
  public List<JsonFields> objectList(String field, boolean required, int maxItems) {
    JsonNode v = take(field, required);
    if (v == null) {
      return required ? null : List.of();
    }
    if (!v.isArray()) {
      error(field, WRONG_TYPE, "must be a list");
      return null;
    }
    if (v.size() > maxItems) {
      error(field, TOO_MANY, "at most " + maxItems + " items");
      return null;
    }
    List<JsonFields> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String itemPath = pathOf(field) + "[" + i + "]";
      if (!item.isObject()) {
        errors.add(new FieldError(itemPath, WRONG_TYPE, "must be an object"));
        out.add(new JsonFields(null, itemPath, errors));
      } else {
        out.add(new JsonFields(item, itemPath, errors));
      }
    }
    return out;
  }

  /** Every field present but never read is an error: a typo must not be silently dropped. */
  public void rejectUnknown() {
    if (node == null) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!read.contains(name)) {
        error(name, UNKNOWN_FIELD, "not a field of this request");
      }
    }
  }

  private static boolean containsControlCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        return true;
      }
    }
    return false;
  }
}
