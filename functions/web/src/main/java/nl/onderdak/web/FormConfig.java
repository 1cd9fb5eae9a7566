package nl.onderdak.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.registration.RegistrationRules;

/**
 * What the form needs to know that the server decides: the registration rules (from
 * {@link RegistrationRules}, the same constants the API checks against, so the two cannot drift),
 * the provinces, and the privacy facts an operator configures.
 */
final class FormConfig {
  private FormConfig() {}

  /**
   * @param partners the partner organisations that see registrations, as configured ("A; B; C")
   * @param retentionDays how long personal data is kept
   * @param privacyContact where to ask for deletion
   */
  static ObjectNode build(String partners, int retentionDays, String privacyContact) {
    ObjectNode config = Json.object();
    ObjectNode rules = config.putObject("rules");
    rules.put("nameMax", RegistrationRules.NAME_MAX);
    rules.put("emailMax", RegistrationRules.EMAIL_MAX);
    rules.put("notesMax", RegistrationRules.NOTES_MAX);
    rules.put("languagesMax", RegistrationRules.LANGUAGES_MAX);
    rules.put("personsMax", RegistrationRules.PERSONS_MAX);
    rules.put("childAgeMax", RegistrationRules.CHILD_AGE_MAX);
    rules.put("streetMax", RegistrationRules.STREET_MAX);
    rules.put("houseNumberMax", RegistrationRules.HOUSE_NUMBER_MAX);
    rules.put("cityMax", RegistrationRules.CITY_MAX);
    rules.put("datePastDays", RegistrationRules.DATE_PAST_DAYS);
    rules.put("dateFutureDays", RegistrationRules.DATE_FUTURE_DAYS);
    rules.put("availableUntilFutureDays", RegistrationRules.AVAILABLE_UNTIL_FUTURE_DAYS);
    rules.put("emailPattern", RegistrationRules.EMAIL.pattern());
    rules.put("phonePattern", RegistrationRules.E164.pattern());
    rules.put("postcodePattern", RegistrationRules.POSTCODE.pattern());
    ArrayNode pets = rules.putArray("petKinds");
    RegistrationRules.PET_KINDS.stream().sorted().forEach(pets::add);
    ArrayNode languages = rules.putArray("preferredLanguages");
    RegistrationRules.PREFERRED_LANGUAGES.stream().sorted().forEach(languages::add);
    ArrayNode provinces = config.putArray("provinces");
    for (Map.Entry<String, String> p : Regions.provinces().entrySet()) {
      provinces.addObject().put("code", p.getKey()).put("name", p.getValue());
    }
    ArrayNode partnerList = config.putArray("partners");
    if (partners != null) {
      Arrays.stream(partners.split(";")).map(String::strip).filter(s -> !s.isEmpty()).forEach(partnerList::add);
    }
    config.put("retentionDays", retentionDays);
    config.put("privacyContact", privacyContact == null ? "" : privacyContact);
    return config;
  }
}
