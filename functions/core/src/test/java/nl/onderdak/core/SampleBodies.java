package nl.onderdak.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
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

  /**
   * A household of one adult, no children or pets, speaking Ukrainian, not a smoker, wanting a place from today in
   * these regions only (provinces or municipalities); its contact nobody else's.
   */
  public static ObjectNode household(String... regions) {
    ObjectNode body = guest();
    body.putObject("contact").put("name", "G").put("email", "g." + UUID.randomUUID() + "@example.org");
    body.put("adults", 1);
    body.putArray("children");
    body.remove("pets");
    body.remove("notes");
    body.putArray("languages").add("uk");
    ArrayNode preferred = body.putArray("preferredRegions");
    for (String r : regions) {
      preferred.add(r);
    }
    body.put("acceptsOtherRegions", false);
    body.put("neededFrom", LocalDate.now().toString());
    return body;
  }

  /**
   * A home in this province (and municipality, when not null) with two beds in one separate room, welcoming
   * children and pets, step-free, non-smoking, Dutch-speaking, available from today for three months.
   */
  public static ObjectNode home(String province, String municipality) {
    ObjectNode body = host();
    body.putObject("contact").put("name", "H").put("email", "h." + UUID.randomUUID() + "@example.org");
    ObjectNode address = body.putObject("address").put("street", "Oudegracht").put("houseNumber", "1")
        .put("postcode", "3511 AB").put("city", "X").put("province", province);
    if (municipality != null) {
      address.put("municipality", municipality);
    }
    body.put("beds", 2).put("stepFreeAccess", true);
    body.putArray("languages").add("nl");
    body.put("availableFrom", LocalDate.now().toString());
    body.put("availableUntil", LocalDate.now().plusMonths(3).toString());
    return body;
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
