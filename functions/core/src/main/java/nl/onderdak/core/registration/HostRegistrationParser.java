package nl.onderdak.core.registration;

import static nl.onderdak.core.registration.RegistrationRules.AVAILABLE_UNTIL_FUTURE_DAYS;
import static nl.onderdak.core.registration.RegistrationRules.DATE_FUTURE_DAYS;
import static nl.onderdak.core.registration.RegistrationRules.DATE_PAST_DAYS;
import static nl.onderdak.core.registration.RegistrationRules.PERSONS_MAX;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import nl.onderdak.core.model.Contact;
import nl.onderdak.core.model.HostRegistration;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.FieldError.Codes;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;

/** Reads and checks a host's offer. Every problem is reported at once. */
public final class HostRegistrationParser {
  private HostRegistrationParser() {}

  public static HostRegistration parse(JsonNode body, LocalDate today) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = JsonFields.root(body, errors);
    Contact contact = RegistrationRules.contact(f);
    String language = RegistrationRules.preferredLanguage(f);
    HostRegistration.Address address = address(f);
    Integer beds = f.integer("beds", true, 1, PERSONS_MAX);
    Integer rooms = f.integer("rooms", true, 1, PERSONS_MAX);
    Boolean separateRoom = f.bool("separateRoom", true);
    Boolean childrenWelcome = f.bool("childrenWelcome", true);
    Boolean petsWelcome = f.bool("petsWelcome", true);
    Boolean stepFree = f.bool("stepFreeAccess", true);
    Boolean smoking = f.bool("smokingInHome", true);
    List<String> languages = RegistrationRules.languages(f);
    LocalDate from = f.date("availableFrom", true, today.minusDays(DATE_PAST_DAYS), today.plusDays(DATE_FUTURE_DAYS));
    LocalDate until = f.date("availableUntil", true, today, today.plusDays(AVAILABLE_UNTIL_FUTURE_DAYS));
    if (from != null && until != null && !until.isAfter(from)) {
      f.error("availableUntil", Codes.DATE_ORDER, "must be after availableFrom");
    }
    boolean consent = RegistrationRules.consent(f);
    String notes = RegistrationRules.notes(f);
    f.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new HostRegistration(contact, language, address, beds, rooms, separateRoom, childrenWelcome,
        petsWelcome, stepFree, smoking, languages, from, until, consent, notes);
  }

  private static HostRegistration.Address address(JsonFields body) {
    JsonFields a = body.object("address", true);
    if (a == null) {
      return null;
    }
    String street = a.string("street", true, 1, RegistrationRules.STREET_MAX);
    String houseNumber = a.string("houseNumber", true, 1, RegistrationRules.HOUSE_NUMBER_MAX);
    String postcode = a.formatted("postcode", true, 8, RegistrationRules::normalisePostcode,
        RegistrationRules.POSTCODE, "a Dutch postcode such as 3511 AB");
    String city = a.string("city", true, 1, RegistrationRules.CITY_MAX);
    Function<String, String> upper = Regions::normalise;
    String municipality = a.formatted("municipality", false, 16, upper, java.util.regex.Pattern.compile("GM\\d{4}"),
        "a CBS municipality code such as GM0344");
    String province = a.formatted("province", true, 16, upper, java.util.regex.Pattern.compile("PV(2\\d|3[01])"),
        "a CBS province code PV20..PV31");
    a.rejectUnknown();
    return new HostRegistration.Address(street, houseNumber, postcode, city, municipality, province);
  }
}
