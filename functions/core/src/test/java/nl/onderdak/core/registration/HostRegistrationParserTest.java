package nl.onderdak.core.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.model.HostRegistration;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.ValidationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class HostRegistrationParserTest {
  private static final LocalDate TODAY = LocalDate.now();

  private static Map<String, String> errors(ObjectNode body) {
    ValidationException e = assertThrows(ValidationException.class,
        () -> HostRegistrationParser.parse(body, TODAY));
    return e.errors().stream().collect(Collectors.toMap(FieldError::field, FieldError::code, (a, b) -> a + "," + b));
  }

  @Test
  void readsAValidOffer() {
    HostRegistration h = HostRegistrationParser.parse(SampleBodies.host(), TODAY);
    assertEquals("3511 AB", h.address().postcode());
    assertEquals("3511", h.address().postcodeArea());
    assertEquals("PV26", h.address().province());
    assertEquals("GM0344", h.address().municipality());
    assertEquals(3, h.beds());
    assertEquals(true, h.contact().phone().startsWith("+316"));
  }

  @Test
  void refusesDatesInTheWrongOrder() {
    ObjectNode body = SampleBodies.host();
    body.put("availableFrom", TODAY.plusDays(30).toString());
    body.put("availableUntil", TODAY.plusDays(20).toString());
    assertEquals(Map.of("availableUntil", FieldError.Codes.DATE_ORDER), errors(body));
  }

  @Test
  void refusesAnAvailabilityThatHasEnded() {
    ObjectNode body = SampleBodies.host();
    body.put("availableFrom", TODAY.minusDays(30).toString());
    body.put("availableUntil", TODAY.minusDays(1).toString());
    assertEquals(FieldError.Codes.OUT_OF_RANGE, errors(body).get("availableUntil"));
  }

  @Test
  void checksTheAddress() {
    ObjectNode body = SampleBodies.host();
    ObjectNode address = (ObjectNode) body.get("address");
    address.put("postcode", "0123 AB");
    address.put("province", "PV32");
    address.put("municipality", "Utrecht");
    address.remove("street");
    address.put("floor", 2);
    Map<String, String> errors = errors(body);
    assertEquals(FieldError.Codes.INVALID_FORMAT, errors.get("address.postcode"));
    assertEquals(FieldError.Codes.INVALID_FORMAT, errors.get("address.province"));
    assertEquals(FieldError.Codes.INVALID_FORMAT, errors.get("address.municipality"));
    assertEquals(FieldError.Codes.MISSING, errors.get("address.street"));
    assertEquals(FieldError.Codes.UNKNOWN_FIELD, errors.get("address.floor"));
  }

  @Test
  void refusesImpossibleCapacity() {
    ObjectNode body = SampleBodies.host();
    body.put("beds", 0);
    body.put("rooms", 21);
    body.put("separateRoom", "yes");
    Map<String, String> errors = errors(body);
    assertEquals(FieldError.Codes.OUT_OF_RANGE, errors.get("beds"));
    assertEquals(FieldError.Codes.OUT_OF_RANGE, errors.get("rooms"));
    assertEquals(FieldError.Codes.WRONG_TYPE, errors.get("separateRoom"));
  }
}
