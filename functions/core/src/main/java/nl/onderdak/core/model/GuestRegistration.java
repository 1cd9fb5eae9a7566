package nl.onderdak.core.model;

import java.time.LocalDate;
import java.util.List;

/**
 * A displaced household's registration, as validated.
 *
 * @param childAges the age of each child, 0..17
 * @param pets the kinds of pet that come along: dog, cat, other (empty when none)
 * @param languages ISO 639-1 codes of the languages the household speaks
 * @param preferredRegions province and municipality codes, most preferred first; at least one province
 * @param notes free text for the partner, or null; personal data
 */
public record GuestRegistration(
    Contact contact,
    String preferredLanguage,
    int adults,
    List<Integer> childAges,
    List<String> pets,
    boolean stepFreeAccessNeeded,
    List<String> languages,
    boolean smoker,
    List<String> preferredRegions,
    boolean acceptsOtherRegions,
    LocalDate neededFrom,
    boolean consentToShare,
    String notes) {

  public int persons() {
    return adults + childAges.size();
  }

  /** The province matching and the tallies file this household under: its first preferred province. */
  public String homeRegion() {
    return preferredRegions.stream().filter(Regions::isProvince).findFirst().orElseThrow();
  }
}
