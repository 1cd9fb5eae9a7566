package nl.onderdak.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Random;
import nl.onderdak.core.json.Json;

/**
 * Made-up households and hosts, as registration bodies for the public API: for the demo data and the surge
 * rehearsal. Regions are skewed to the big cities (weights roughly by population and by where people went in
 * 2022). Households follow the spring-2022 mix: most are mothers with children, then single adults, couples,
 * three generations with an elder (who more often needs step-free access); some bring a pet. Hosts offer
 * one to six beds, mostly in a room of their own, for three to twelve months. Seeded by the caller.
 */
public final class SyntheticPeople {
  /** Provinces by CBS code, with a weight (the big cities draw most) and the municipality of their largest city. */
  public static final String[][] PROVINCES = {
      {"PV27", "20", "GM0363", "Amsterdam"}, {"PV28", "22", "GM0599", "Rotterdam"}, {"PV26", "10", "GM0344", "Utrecht"},
      {"PV30", "12", "GM0772", "Eindhoven"}, {"PV25", "11", "GM0268", "Nijmegen"}, {"PV23", "6", "GM0193", "Zwolle"},
      {"PV20", "4", "GM0014", "Groningen"}, {"PV24", "3", "GM0034", "Almere"}, {"PV31", "5", "GM0935", "Maastricht"},
      {"PV21", "3", "GM0080", "Leeuwarden"}, {"PV22", "2", "GM0106", "Assen"}, {"PV29", "2", "GM0687", "Middelburg"}};
  private static final String[] LANGUAGES = {"uk", "ru", "en", "nl", "de", "pl"};

  private final Random random;
  private final LocalDate today;
  private final double flexibleShare;
  private double shortAvailabilityShare;

  /**
   * @param flexibleShare the share of households that accept a place outside their preferred regions
   */
  public SyntheticPeople(Random random, LocalDate today, double flexibleShare) {
    this.random = random;
    this.today = today;
    this.flexibleShare = flexibleShare;
  }

  /**
   * From now on this share of hosts (chosen by their number, drawing nothing more) offers a few weeks only, 21 to
   * 45 days: hosts whose availability ends while a rehearsal runs.
   */
  public SyntheticPeople withShortAvailability(double share) {
    this.shortAvailabilityShare = share;
    return this;
  }

  /** A province by weight: {code, weight, municipality, city}. */
  public String[] province() {
    int total = 0;
    for (String[] p : PROVINCES) {
      total += Integer.parseInt(p[1]);
    }
    int pick = random.nextInt(total);
    for (String[] p : PROVINCES) {
      pick -= Integer.parseInt(p[1]);
      if (pick < 0) {
        return p;
      }
    }
    return PROVINCES[0];
  }

  /** A household's registration; {@code ref} makes its contact unique. */
  public ObjectNode household(String ref) {
    return household(ref, today);
  }

  /** A household's registration with its dates from {@code today} on (a rehearsal's clock moves). */
  public ObjectNode household(String ref, LocalDate today) {
    String[] p = province();
    ObjectNode g = Json.object();
    g.putObject("contact").put("name", "Household " + ref).put("email", ref + "@households.example.org");
    g.put("preferredLanguage", random.nextInt(100) < 70 ? "uk" : "en");
    int kind = random.nextInt(100);
    int adults;
    int children;
    boolean elder = false;
    if (kind < 45) { // a mother (or father) with children
      adults = 1;
      children = 1 + random.nextInt(3);
    } else if (kind < 60) { // a single adult
      adults = 1;
      children = 0;
    } else if (kind < 80) { // two adults with children
      adults = 2;
      children = 1 + random.nextInt(2);
    } else if (kind < 92) { // two adults
      adults = 2;
      children = 0;
    } else { // three generations
      adults = 3;
      children = 1 + random.nextInt(2);
      elder = true;
    }
    g.put("adults", adults);
    ArrayNode kids = g.putArray("children");
    for (int c = 0; c < children; c++) {
      kids.addObject().put("age", random.nextInt(17));
    }
    ArrayNode pets = g.putArray("pets");
    if (random.nextInt(100) < 15) {
      pets.add(random.nextBoolean() ? "cat" : "dog");
    }
    g.put("stepFreeAccessNeeded", random.nextInt(100) < (elder ? 40 : 4));
    g.putArray("languages").add("uk").add(LANGUAGES[1 + random.nextInt(LANGUAGES.length - 1)]);
    g.put("smoker", random.nextInt(100) < 12);
    ArrayNode regions = g.putArray("preferredRegions").add(p[0]);
    if (random.nextInt(100) < 40) {
      regions.add(p[2]);
    }
    g.put("acceptsOtherRegions", random.nextDouble() < flexibleShare);
    g.put("neededFrom", today.plusDays(random.nextInt(4)).toString());
    g.put("consentToShare", true);
    return g;
  }

  /** A host's registration; {@code ref} makes its contact and address unique. */
  public ObjectNode host(String ref, int number) {
    return host(ref, number, today);
  }

  /** A host's registration with its availability from {@code today} on. */
  public ObjectNode host(String ref, int number, LocalDate today) {
    String[] p = province();
    ObjectNode h = Json.object();
    h.putObject("contact").put("name", "Host " + ref).put("email", ref + "@hosts.example.org");
    h.put("preferredLanguage", "nl");
    h.putObject("address").put("street", "Gastvrijheidsstraat").put("houseNumber", Integer.toString(1 + number))
        .put("postcode", (1000 + random.nextInt(8999)) + " AB").put("city", p[3])
        .put("municipality", p[2]).put("province", p[0]);
    int beds = 1 + random.nextInt(6);
    h.put("beds", beds).put("rooms", Math.max(1, beds / 2)).put("separateRoom", random.nextInt(100) < 70)
        .put("childrenWelcome", random.nextInt(100) < 75).put("petsWelcome", random.nextInt(100) < 40)
        .put("stepFreeAccess", random.nextInt(100) < 25).put("smokingInHome", random.nextInt(100) < 10);
    String[] second = {"en", "de", "uk", "pl"};
    h.putArray("languages").add("nl").add(second[random.nextInt(second.length)]);
    int days = 90 + random.nextInt(270);
    if (Math.floorMod(number * 2_654_435_761L, 1000) < shortAvailabilityShare * 1000) {
      days = 21 + days % 25;
    }
    h.put("availableFrom", today.toString()).put("availableUntil", today.plusDays(days).toString());
    h.put("consentToShare", true);
    return h;
  }
}
