package nl.onderdak.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import nl.onderdak.core.chain.QuarantineDesk;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;

/** What an operator's quarantine request says, checked: the window, kind and province, each error by its field. */
final class QuarantineRequests {
  private QuarantineRequests() {}

  /** The window of a request body: both bounds, from before until, at most 7 days; kind and region optional. */
  static QuarantineDesk.Window window(JsonFields body) {
    Instant from = body.instant("registeredFrom", true);
    Instant until = body.instant("registeredUntil", true);
    if (from != null && until != null) {
      if (!from.isBefore(until)) {
        body.error("registeredUntil", "out_of_range", "must be after registeredFrom");
      } else if (Duration.between(from, until).compareTo(QuarantineDesk.MAX_WINDOW) > 0) {
        body.error("registeredUntil", "out_of_range", "the window is at most 7 days");
      }
    }
    String kind = body.oneOf("kind", false, new TreeSet<>(Set.of("guest", "host")));
    String region = body.string("region", false, 1, 8);
    List<FieldError> own = new ArrayList<>();
    Set<String> regions = regions(region, body.pathOf("region"), own);
    own.forEach(e -> body.error("region", e.code(), e.message()));
    return new QuarantineDesk.Window(from, until, kind == null ? EnumSet.allOf(CaseKind.class)
        : EnumSet.of(CaseKind.fromWire(kind)), regions);
  }

  static Set<CaseKind> kinds(String kind, String field, List<FieldError> errors) {
    if (kind == null) {
      return EnumSet.allOf(CaseKind.class);
    }
    if (!kind.equals("guest") && !kind.equals("host")) {
      errors.add(new FieldError(field, "invalid_value", "must be one of [guest, host]"));
      return EnumSet.allOf(CaseKind.class);
    }
    return EnumSet.of(CaseKind.fromWire(kind));
  }

  /** One province, or every province when none is named. */
  static Set<String> regions(String region, String field, List<FieldError> errors) {
    if (region == null) {
      return new TreeSet<>(Regions.provinces().keySet());
    }
    if (!Regions.isProvince(region)) {
      errors.add(new FieldError(field, "invalid_value", "must be a province code, as PV27"));
      return Set.of();
    }
    return Set.of(region);
  }

  static void check(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
