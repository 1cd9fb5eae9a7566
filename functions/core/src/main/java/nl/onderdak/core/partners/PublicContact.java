package nl.onderdak.core.partners;

import java.util.HashMap;
import java.util.Map;
import nl.onderdak.core.registration.RegistrationRules;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How the public reaches an organisation: its desk's phone, email and website, never a staff member's. Shown to
 * the households and hosts it is responsible for, on their own status page; set by operators
 * ({@code PUT /admin/partners/{id}/contact}), as the organisation gives it for publication.
 */
public record PublicContact(String phone, String email, String website) {
  /** An organisation as the public sees it: its name and its public contact (null when none is set). */
  public record Profile(String name, PublicContact contact) {}

  /**
   * Who a registrant's own page names: the organisation leading the case (a household's support organisation, a
   * host's screening one), as the public sees it; empty once the case has ended or while nobody leads it.
   */
  public static java.util.Optional<Profile> ofLead(nl.onderdak.core.chain.CaseView c, PartnerStore partners) {
    String lead = c == null || c.terminal() ? null : c.responsibility().holder(c.caseType().lead());
    return lead == null ? java.util.Optional.empty() : partners.publicProfile(lead);
  }

  private static final java.util.regex.Pattern HTTPS = java.util.regex.Pattern.compile("https://[^\\s]{3,300}");

  /** The body's fields, checked as a registration's contact is; at least one of the three. */
  public static PublicContact read(JsonFields body) {
    String email = body.formatted("email", false, RegistrationRules.EMAIL_MAX, RegistrationRules::normaliseEmail,
        RegistrationRules.EMAIL, "an email address");
    String phone = body.formatted("phone", false, 32, RegistrationRules::normalisePhone, RegistrationRules.E164,
        "a phone number such as +31201234567 or 0201234567");
    String website = body.formatted("website", false, 300, String::strip, HTTPS, "an https:// address");
    if (!body.has("email") && !body.has("phone") && !body.has("website")) {
      body.error("phone", FieldError.Codes.MISSING, "give a phone number, an email address or a website");
    }
    return new PublicContact(phone, email, website);
  }

  public AttributeValue toAttribute() {
    Map<String, AttributeValue> m = new HashMap<>();
    if (phone != null) {
      m.put("phone", AttributeValue.fromS(phone));
    }
    if (email != null) {
      m.put("email", AttributeValue.fromS(email));
    }
    if (website != null) {
      m.put("website", AttributeValue.fromS(website));
    }
    return AttributeValue.fromM(m);
  }

  /** Null when the item holds none. */
  public static PublicContact from(AttributeValue v) {
    if (v == null || !v.hasM()) {
      return null;
    }
    Map<String, AttributeValue> m = v.m();
    return new PublicContact(s(m, "phone"), s(m, "email"), s(m, "website"));
  }

  private static String s(Map<String, AttributeValue> m, String k) {
    return m.containsKey(k) ? m.get(k).s() : null;
  }
}
