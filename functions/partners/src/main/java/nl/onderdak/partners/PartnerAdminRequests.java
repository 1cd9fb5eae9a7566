package nl.onderdak.partners;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.partners.EndpointPolicy;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.HttpRequest;

/** The onboarding routes' requests read into what the partner store takes, every field error at once. */
final class PartnerAdminRequests {
  private static final Set<String> ROLES = new TreeSet<>();
  private static final int DEFAULT_OVERLAP_HOURS = 24;

  static {
    for (Role r : Role.values()) {
      ROLES.add(r.wire());
    }
  }

  private PartnerAdminRequests() {}

  /** {@code POST /admin/partners}: {@code {name, roles[], regions[]}}. */
  record NewPartner(String name, Set<Role> roles, Set<String> regions) {}

  /** {@code POST /admin/partners/{id}/endpoints}: {@code {url, events[]}}, the url as the policy allows. */
  record NewEndpoint(String url, Set<String> events) {}

  static NewPartner partner(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String name = body.string("name", true, 1, 200);
    Change what = rolesAndRegions(body, errors);
    return new NewPartner(name, what.roles(), what.regions());
  }

  /** The organisation's roles and provinces, then the check of the whole body: every field error at once. */
  private static Change rolesAndRegions(JsonFields body, List<FieldError> errors) {
    List<String> roles = body.stringList("roles", true, 1, ROLES.size(), s -> s, ROLES::contains, "one of " + ROLES);
    List<String> regions = body.stringList("regions", true, 1, 12, Regions::normalise, Regions::isProvince,
        "a province code PV20..PV31");
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    Set<Role> roleSet = new LinkedHashSet<>();
    roles.forEach(r -> roleSet.add(Role.fromWire(r)));
    return new Change(roleSet, new LinkedHashSet<>(regions));
  }

  /** {@code PUT /admin/partners/{id}/contact}: {@code {phone, email, website}}, the organisation's desk. */
  static nl.onderdak.core.partners.PublicContact publicContact(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    nl.onderdak.core.partners.PublicContact contact = nl.onderdak.core.partners.PublicContact.read(body);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return contact;
  }

  static NewEndpoint endpoint(HttpRequest request, EndpointPolicy policy) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String url = body.string("url", true, 1, 2000);
    List<String> events = body.stringList("events", true, 1, WebhookEvent.ALL.size(), s -> s,
        WebhookEvent.ALL::contains, "one of " + WebhookEvent.ALL);
    body.rejectUnknown();
    if (url != null && policy.refuseUrl(url) != null) {
      body.error("url", FieldError.Codes.INVALID_FORMAT, "must be " + policy.refuseUrl(url));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new NewEndpoint(url, new LinkedHashSet<>(events));
  }

  /** {@code {overlapHours}} (optional body): how long the old key or secret keeps working; 24 h when not given. */
  static Duration overlap(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.optionalJsonBody(), errors);
    Integer hours = body.integer("overlapHours", false, 0, 24 * 30);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return Duration.ofHours(hours == null ? DEFAULT_OVERLAP_HOURS : hours);
  }

  /** {@code PUT /admin/partners/{id}}: {@code {roles[], regions[]}}, what the organisation does from now on, and where. */
  record Change(Set<Role> roles, Set<String> regions) {}

  static Change change(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    return rolesAndRegions(JsonFields.root(request.jsonBody(), errors), errors);
  }

  /** Why an organisation is disabled: a code, never free text (it is logged and on record). */
  static final Set<String> DISABLE_REASONS = new TreeSet<>(Set.of("offboarded", "under_review", "key_compromised",
      "other"));

  /** {@code POST /admin/partners/{id}/disable}: {@code {reason}}. */
  static String disableReason(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String reason = body.string("reason", true, 1, 40);
    body.rejectUnknown();
    if (reason != null && !DISABLE_REASONS.contains(reason)) {
      body.error("reason", FieldError.Codes.INVALID_VALUE, "one of " + DISABLE_REASONS);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return reason;
  }
}
