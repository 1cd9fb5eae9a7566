package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.ValidationException;

/**
 * {@code PUT /admin/routing}'s body read into rules, every field error at once (up to fifty): each rule names a
 * programme, a role, a province or municipality and an organisation that holds that role (and, for a province,
 * serves it); one rule per programme, role and region.
 */
public final class RoutingRulesParser {
  public static final int MAX_RULES = 5_000;
  private static final List<String> FIELDS = List.of("programme", "role", "region", "partnerId");

  private RoutingRulesParser() {}

  /** @param partners every organisation, by id */
  public static List<RoutingRule> parse(JsonNode body, Map<String, Partner> partners) {
    JsonNode list = body == null ? null : body.get("rules");
    if (list == null || !list.isArray()) {
      throw new ValidationException(List.of(new FieldError("rules", FieldError.Codes.MISSING, "a list of rules")));
    }
    List<FieldError> errors = new ArrayList<>();
    body.fieldNames().forEachRemaining(f -> {
      if (!f.equals("rules")) {
        errors.add(new FieldError(f, FieldError.Codes.UNKNOWN_FIELD, "not a field of the routing"));
      }
    });
    if (list.size() > MAX_RULES) {
      errors.add(new FieldError("rules", FieldError.Codes.TOO_MANY, "at most 5,000 rules"));
    }
    List<RoutingRule> rules = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size() && errors.size() < 50; i++) {
      RoutingRule rule = rule(list.get(i), "rules[" + i + "]", partners, seen, errors);
      if (errors.isEmpty()) {
        rules.add(rule);
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return rules;
  }

  private static RoutingRule rule(JsonNode r, String at, Map<String, Partner> partners, Set<String> seen,
      List<FieldError> errors) {
    String programme = text(r, "programme");
    Role role = Role.fromWire(text(r, "role"));
    String region = Regions.normalise(text(r, "region"));
    String partnerId = text(r, "partnerId");
    if (!Programmes.exists(programme)) {
      errors.add(new FieldError(at + ".programme", FieldError.Codes.INVALID_VALUE, "a programme id, such as "
          + Programmes.HOST_FAMILY_ID));
    }
    if (role == null) {
      errors.add(new FieldError(at + ".role", FieldError.Codes.INVALID_VALUE, "one of the roles"));
    }
    if (!Regions.isRegion(region)) {
      errors.add(new FieldError(at + ".region", FieldError.Codes.INVALID_VALUE,
          "a province (PV20..PV31) or a municipality (GM and four digits)"));
    }
    Partner partner = partnerId == null ? null : partners.get(partnerId);
    if (partner == null) {
      errors.add(new FieldError(at + ".partnerId", FieldError.Codes.INVALID_VALUE, "no organisation has this id"));
    } else if (role != null && !partner.roles().contains(role)) {
      errors.add(new FieldError(at + ".partnerId", FieldError.Codes.INVALID_VALUE,
          partner.id() + " does not hold the " + role.wire() + " role"));
    } else if (role != null && Regions.isProvince(region) && !partner.regions().contains(region)) {
      errors.add(new FieldError(at + ".region", FieldError.Codes.INVALID_VALUE,
          partner.id() + " does not serve " + region));
    }
    if (r != null) {
      r.fieldNames().forEachRemaining(f -> {
        if (!FIELDS.contains(f)) {
          errors.add(new FieldError(at + "." + f, FieldError.Codes.UNKNOWN_FIELD, "not a field of a rule"));
        }
      });
    }
    if (role != null && !seen.add(programme + "|" + role.wire() + "|" + region)) {
      errors.add(new FieldError(at, FieldError.Codes.DUPLICATE, "a second rule for this programme, role and region"));
    }
    return new RoutingRule(programme, role, region, partnerId);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
