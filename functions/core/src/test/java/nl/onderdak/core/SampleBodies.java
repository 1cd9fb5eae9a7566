package nl.onderdak.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.UUID;
import nl.onderdak.core.json.Json;

/** Valid registration bodies, each with a contact nobody else uses, for tests to start from and break. */
public final class SampleBodies {
  private SampleBodies() {}

  public static ObjectNode guest() {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    return (ObjectNode) Json.parse("""
        {
          "contact": {"name": "Olena Kovalenko", "email": "olena.%s@example.org"},
          "preferredLanguage": "uk",
          "adults": 2,
          "children": [{"age": 7}, {"age": 12}],
          "pets": ["cat"],
          "stepFreeAccessNeeded": false,
          "languages": ["uk", "ru", "en"],
          "smoker": false,
          "preferredRegions": ["PV26", "GM0344", "PV27"],
          "acceptsOtherRegions": true,
          "neededFrom": "%s",
          "consentToShare": true,
          "notes": "We can cook for ourselves."
        }
        """.formatted(unique, LocalDate.now().plusDays(10)));
  }

  public static ObjectNode host() {
    long unique = (long) (Math.random() * 90_000_000L) + 10_000_000L;
    return (ObjectNode) Json.parse("""
        {
          "contact": {"name": "Jan de Vries", "phone": "06 %d"},
          "preferredLanguage": "nl",
          "address": {"street": "Oudegracht", "houseNumber": "12a", "postcode": "3511ab", "city": "Utrecht",
                      "municipality": "GM0344", "province": "PV26"},
          "beds": 3,
          "rooms": 1,
          "separateRoom": true,
          "childrenWelcome": true,
          "petsWelcome": true,
          "stepFreeAccess": false,
          "smokingInHome": false,
          "languages": ["nl", "en"],
          "availableFrom": "%s",
          "availableUntil": "%s",
          "consentToShare": true
        }
        """.formatted(unique, LocalDate.now().plusDays(5), LocalDate.now().plusDays(95)));
  }
}
