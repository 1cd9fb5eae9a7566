package nl.onderdak.core.model;

import java.time.LocalDate;
import java.util.List;

/**
 * A host's offer, as validated.
 *
 * @param address where the guests would live; street, house number and city are personal data,
 *     postcode, municipality and province are what matching needs
 * @param availableUntil the last day guests can stay
 */
public record HostRegistration(
    Contact contact,
    String preferredLanguage,
    Address address,
    int beds,
    int rooms,
    boolean separateRoom,
    boolean childrenWelcome,
    boolean petsWelcome,
    boolean stepFreeAccess,
    boolean smokingInHome,
    List<String> languages,
    LocalDate availableFrom,
    LocalDate availableUntil,
    boolean consentToShare,
    String notes) {

  /**
   * @param postcode as {@code 1234 AB}
   * @param municipality a CBS code such as {@code GM0363}, or null when not given
   * @param province a CBS province code
   */
  public record Address(String street, String houseNumber, String postcode, String city,
      String municipality, String province) {

    /** The four digits of the postcode: coarse enough to keep with the case, fine enough for distance. */
    public String postcodeArea() {
      return postcode.substring(0, 4);
    }
  }
}
