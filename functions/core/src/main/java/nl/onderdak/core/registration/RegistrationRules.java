package nl.onderdak.core.registration;

import static nl.onderdak.core.validation.FieldError.Codes.MISSING;
import static nl.onderdak.core.validation.FieldError.Codes.MUST_BE_TRUE;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import nl.onderdak.core.model.Contact;
import nl.onderdak.core.validation.JsonFields;

/** Limits and formats shared by both registration forms. One place, so the form can mirror them. */
public final class RegistrationRules {
  public static final Set<String> PREFERRED_LANGUAGES = Set.of("nl", "en", "uk", "ru");
  public static final Set<String> PET_KINDS = Set.of("dog", "cat", "other");
  public static final int NAME_MAX = 100;
  public static final int EMAIL_MAX = 254;
  public static final int NOTES_MAX = 1000;
  public static final int LANGUAGES_MAX = 10;
  public static final int PERSONS_MAX = 20;
  public static final int CHILD_AGE_MAX = 17;
  /** How far around today a date may lie: a year back (it means "now"), a year or two ahead. */
  public static final int DATE_PAST_DAYS = 366;
  public static final int DATE_FUTURE_DAYS = 366;
  public static final int AVAILABLE_UNTIL_FUTURE_DAYS = 2 * 366;

  public static final int STREET_MAX = 100;
  public static final int HOUSE_NUMBER_MAX = 12;
  public static final int CITY_MAX = 80;

  // Written so that JavaScript reads them the same way: the registration form checks with these too.
  public static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
  public static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{7,14}");
  static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");
  public static final Pattern POSTCODE = Pattern.compile("[1-9]\\d{3} [A-Z]{2}");

  private RegistrationRules() {}

  public static String normaliseEmail(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Normalises a phone number to E.164: separators dropped, {@code 00} read as {@code +}, and a
   * Dutch national number ({@code 06 1234 5678}) given the {@code +31} country code.
   */
  public static String normalisePhone(String phone) {
    String digits = phone.replaceAll("[\\s.\\-()/]", "");
    if (digits.startsWith("00")) {
      digits = "+" + digits.substring(2);
    } else if (digits.startsWith("0")) {
      digits = "+31" + digits.substring(1);
    }
    return digits;
  }

  public static String normalisePostcode(String postcode) {
    String compact = postcode.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
    return compact.length() == 6 ? compact.substring(0, 4) + " " + compact.substring(4) : compact;
  }

  public static Contact contact(JsonFields body) {
    JsonFields c = body.object("contact", true);
    if (c == null) {
      return null;
    }
    String name = c.string("name", true, 1, NAME_MAX);
    String email = c.formatted("email", false, EMAIL_MAX, RegistrationRules::normaliseEmail, EMAIL,
        "an email address");
    String phone = c.formatted("phone", false, 32, RegistrationRules::normalisePhone, E164,
        "a phone number such as +31612345678 or 0612345678");
    if (!c.has("email") && !c.has("phone")) {
      c.error("email", MISSING, "give an email address, a phone number or both");
    }
    c.rejectUnknown();
    return new Contact(name, email, phone);
  }

  static String preferredLanguage(JsonFields body) {
    return body.oneOf("preferredLanguage", true, PREFERRED_LANGUAGES);
  }

  static java.util.List<String> languages(JsonFields body) {
    return body.stringList("languages", true, 1, LANGUAGES_MAX, s -> s.toLowerCase(Locale.ROOT),
        s -> LANGUAGE.matcher(s).matches(), "a two-letter ISO 639-1 language code such as uk");
  }

  static String notes(JsonFields body) {
    return body.string("notes", false, 0, NOTES_MAX);
  }

  static boolean consent(JsonFields body) {
    Boolean consent = body.bool("consentToShare", true);
    if (Boolean.FALSE.equals(consent)) {
      body.error("consentToShare", MUST_BE_TRUE,
          "registration needs consent to share the data with the partner organisations");
    }
    return Boolean.TRUE.equals(consent);
  }
}
