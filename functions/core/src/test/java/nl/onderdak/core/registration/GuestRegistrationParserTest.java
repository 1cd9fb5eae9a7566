package nl.onderdak.core.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.GuestRegistration;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.ValidationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class GuestRegistrationParserTest {
  private static final LocalDate TODAY = LocalDate.now();

  private static Map<String, String> errors(ObjectNode body) {
    ValidationException e = assertThrows(ValidationException.class,
        () -> GuestRegistrationParser.parse(body, TODAY));
    return e.errors().stream().collect(Collectors.toMap(FieldError::field, FieldError::code, (a, b) -> a + "," + b));
  }

  @Test
  void readsAValidHousehold() {
    GuestRegistration g = GuestRegistrationParser.parse(SampleBodies.guest(), TODAY);
    assertEquals(2, g.adults());
    assertEquals(List.of(7, 12), g.childAges());
    assertEquals(4, g.persons());
    assertEquals(List.of("cat"), g.pets());
    assertEquals(List.of("PV26", "GM0344", "PV27"), g.preferredRegions());
    assertEquals("PV26", g.homeRegion());
    assertEquals("uk", g.preferredLanguage());
    assertTrue(g.contact().email().startsWith("olena."));
  }

  @Test
  void normalisesWhatPeopleType() {
    ObjectNode body = SampleBodies.guest();
    ((ObjectNode) body.get("contact")).put("email", "  Olena.K@Example.ORG ").put("phone", "06-1234 5678");
    body.putArray("preferredRegions").add("pv27").add("gm0363");
    body.putArray("languages").add("UK");
    GuestRegistration g = GuestRegistrationParser.parse(body, TODAY);
    assertEquals("olena.k@example.org", g.contact().email());
    assertEquals("+31612345678", g.contact().phone());
    assertEquals(List.of("PV27", "GM0363"), g.preferredRegions());
    assertEquals(List.of("uk"), g.languages());
  }

  @Test
  void reportsEveryInvalidFieldAtOnce() {
    ObjectNode body = SampleBodies.guest();
    body.put("adults", "two");
    body.putArray("children").addObject().put("age", 30);
    body.put("neededFrom", "2026-13-01");
    body.put("smoker", "no");
    body.put("favouriteColour", "blue");
    body.remove("languages");
    Map<String, String> errors = errors(body);
    assertEquals(FieldError.Codes.WRONG_TYPE, errors.get("adults"));
    assertEquals(FieldError.Codes.OUT_OF_RANGE, errors.get("children[0].age"));
    assertEquals(FieldError.Codes.INVALID_FORMAT, errors.get("neededFrom"));
    assertEquals(FieldError.Codes.WRONG_TYPE, errors.get("smoker"));
    assertEquals(FieldError.Codes.UNKNOWN_FIELD, errors.get("favouriteColour"));
    assertEquals(FieldError.Codes.MISSING, errors.get("languages"));
    assertEquals(6, errors.size(), errors.toString());
  }

  @Test
  void refusesOutOfRangeNumbersAndDates() {
    ObjectNode body = SampleBodies.guest();
    body.put("adults", 0);
    body.put("neededFrom", TODAY.plusYears(3).toString());
    Map<String, String> errors = errors(body);
    assertEquals(FieldError.Codes.OUT_OF_RANGE, errors.get("adults"));
    assertEquals(FieldError.Codes.OUT_OF_RANGE, errors.get("neededFrom"));

    body = SampleBodies.guest();
    body.put("adults", 2.5);
    assertEquals(FieldError.Codes.WRONG_TYPE, errors(body).get("adults"));

    body = SampleBodies.guest();
    body.put("adults", 19);
    assertEquals(FieldError.Codes.OUT_OF_RANGE, errors(body).get("children"), "a household has at most 20 persons");
  }

  @Test
  void refusesTooLongText() {
    ObjectNode body = SampleBodies.guest();
    body.put("notes", "x".repeat(RegistrationRules.NOTES_MAX + 1));
    ((ObjectNode) body.get("contact")).put("name", "n".repeat(RegistrationRules.NAME_MAX + 1));
    Map<String, String> errors = errors(body);
    assertEquals(FieldError.Codes.TOO_LONG, errors.get("notes"));
    assertEquals(FieldError.Codes.TOO_LONG, errors.get("contact.name"));
  }

  @Test
  void needsAWayToReachTheHousehold() {
    ObjectNode body = SampleBodies.guest();
    ((ObjectNode) body.get("contact")).remove("email");
    assertEquals(FieldError.Codes.MISSING, errors(body).get("contact.email"));

    body = SampleBodies.guest();
    ((ObjectNode) body.get("contact")).put("email", "not-an-address");
    ((ObjectNode) body.get("contact")).put("phone", "12");
    Map<String, String> errors = errors(body);
    assertEquals(FieldError.Codes.INVALID_FORMAT, errors.get("contact.email"));
    assertEquals(FieldError.Codes.INVALID_FORMAT, errors.get("contact.phone"));
  }

  @Test
  void needsConsentAndAProvince() {
    ObjectNode body = SampleBodies.guest();
    body.put("consentToShare", false);
    body.putArray("preferredRegions").add("GM0344");
    Map<String, String> errors = errors(body);
    assertEquals(FieldError.Codes.MUST_BE_TRUE, errors.get("consentToShare"));
    assertEquals(FieldError.Codes.MISSING, errors.get("preferredRegions"));

    body = SampleBodies.guest();
    body.putArray("preferredRegions").add("PV99").add("PV26").add("PV26");
    errors = errors(body);
    assertEquals(FieldError.Codes.INVALID_VALUE, errors.get("preferredRegions[0]"));
    assertEquals(FieldError.Codes.DUPLICATE, errors.get("preferredRegions[2]"));
  }

  @Test
  void refusesABodyThatIsNotAnObject() {
    assertEquals(FieldError.Codes.WRONG_TYPE, errors((ObjectNode) null).get("body"));
    ValidationException e = assertThrows(ValidationException.class,
        () -> GuestRegistrationParser.parse(Json.parse("[1,2]"), TODAY));
    assertEquals("body", e.errors().get(0).field());
  }

  @Test
  void refusesUnknownFieldsInNestedObjects() {
    ObjectNode body = SampleBodies.guest();
    ((ObjectNode) body.get("contact")).put("nickname", "O");
    ((ObjectNode) body.get("children").get(0)).put("name", "Taras");
    Map<String, String> errors = errors(body);
    assertEquals(FieldError.Codes.UNKNOWN_FIELD, errors.get("contact.nickname"));
    assertEquals(FieldError.Codes.UNKNOWN_FIELD, errors.get("children[0].name"));
  }
}
