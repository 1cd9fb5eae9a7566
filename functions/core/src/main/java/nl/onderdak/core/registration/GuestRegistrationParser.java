package nl.onderdak.core.registration;

import static nl.onderdak.core.registration.RegistrationRules.CHILD_AGE_MAX;
import static nl.onderdak.core.registration.RegistrationRules.DATE_FUTURE_DAYS;
import static nl.onderdak.core.registration.RegistrationRules.DATE_PAST_DAYS;
import static nl.onderdak.core.registration.RegistrationRules.PERSONS_MAX;
import static nl.onderdak.core.registration.RegistrationRules.PET_KINDS;
import static nl.onderdak.core.validation.FieldError.Codes.OUT_OF_RANGE;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import nl.onderdak.core.model.Contact;
import nl.onderdak.core.model.GuestRegistration;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.FieldError.Codes;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;

/** Reads and checks a guest household's registration body. Every problem is reported at once. */
public final class GuestRegistrationParser {
  private GuestRegistrationParser() {}

  public static GuestRegistration parse(JsonNode body, LocalDate today) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = JsonFields.root(body, errors);
    Contact contact = RegistrationRules.contact(f);
    String language = RegistrationRules.preferredLanguage(f);
    Integer adults = f.integer("adults", true, 1, PERSONS_MAX);
    List<Integer> childAges = new ArrayList<>();
    List<JsonFields> children = f.objectList("children", false, PERSONS_MAX);
    if (children != null) {
      for (JsonFields child : children) {
        Integer age = child.integer("age", true, 0, CHILD_AGE_MAX);
        child.rejectUnknown();
        childAges.add(age);
      }
    }
    if (adults != null && children != null && adults + children.size() > PERSONS_MAX) {
      f.error("children", OUT_OF_RANGE, "a household has at most " + PERSONS_MAX + " persons");
    }
    List<String> pets = f.stringList("pets", false, 0, PET_KINDS.size(), s -> s.toLowerCase(Locale.ROOT),
        PET_KINDS::contains, "one of " + PET_KINDS);
    Boolean stepFree = f.bool("stepFreeAccessNeeded", true);
    List<String> languages = RegistrationRules.languages(f);
    Boolean smoker = f.bool("smoker", true);
    List<String> regions = f.stringList("preferredRegions", true, 1, 24, Regions::normalise, Regions::isRegion,
        "a province code PV20..PV31 or a municipality code such as GM0363");
    if (regions != null && regions.stream().noneMatch(Regions::isProvince)) {
      f.error("preferredRegions", Codes.MISSING, "name at least one province (PV20..PV31)");
    }
    Boolean acceptsOther = f.bool("acceptsOtherRegions", true);
    LocalDate neededFrom = f.date("neededFrom", true, today.minusDays(DATE_PAST_DAYS),
        today.plusDays(DATE_FUTURE_DAYS));
    boolean consent = RegistrationRules.consent(f);
    String notes = RegistrationRules.notes(f);
    f.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new GuestRegistration(contact, language, adults, List.copyOf(childAges), pets, stepFree, languages,
        smoker, regions, acceptsOther, neededFrom, consent, notes);
  }
}
