package nl.onderdak.partners;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.chain.CaseDesk;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;

/** The partner API's requests read into what the domain takes, every field error at once. */
final class PartnerRequests {
  private static final Set<String> ORDERS = Set.of("longest_waiting", "newest");

  private PartnerRequests() {}

  /** {@code GET /partner/cases}: role, status (comma-separated), waitingDays, order. */
  static PartnerWork.Filters filters(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    String roleWire = request.queryParameter("role");
    Role role = roleWire == null ? null : Role.fromWire(roleWire);
    if (roleWire != null && role == null) {
      errors.add(new FieldError("role", FieldError.Codes.INVALID_VALUE, "one of the roles"));
    }
    Set<String> statuses = new LinkedHashSet<>();
    String status = request.queryParameter("status");
    if (status != null) {
      for (String s : status.split(",")) {
        if (!s.matches("[a-z_]{2,20}")) {
          errors.add(new FieldError("status", FieldError.Codes.INVALID_VALUE, "statuses, separated by commas"));
          break;
        }
        statuses.add(s);
      }
    }
    Integer days = null;
    String waiting = request.queryParameter("waitingDays");
    if (waiting != null) {
      try {
        days = Integer.parseInt(waiting);
        if (days < 0 || days > 3650) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        errors.add(new FieldError("waitingDays", FieldError.Codes.OUT_OF_RANGE, "a whole number of days, 0 or more"));
      }
    }
    String order = request.queryParameter("order");
    if (order != null && !ORDERS.contains(order)) {
      errors.add(new FieldError("order", FieldError.Codes.INVALID_VALUE, "one of " + ORDERS));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new PartnerWork.Filters(role, statuses, days, "newest".equals(order));
  }

  /** {@code POST /partner/cases/{id}/notes}: {@code {text}} with an Idempotency-Key. */
  static CaseDesk.NewNote note(HttpRequest request) {
    String key = idempotencyKey(request, "a note");
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String text = body.string("text", true, 1, 4000);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new CaseDesk.NewNote(text, key);
  }

  /** The Idempotency-Key a retried POST sends again; required. */
  static String idempotencyKey(HttpRequest request, String what) {
    String key = request.header("idempotency-key");
    if (key == null || key.isBlank() || key.length() > 100) {
      throw new HttpProblem(400, "idempotency_key_required", "send an Idempotency-Key header (" + what
          + " is retried with it)", List.of(new FieldError("Idempotency-Key", FieldError.Codes.MISSING,
          "required for " + what)));
    }
    return key;
  }
}
