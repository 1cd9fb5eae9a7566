package nl.onderdak.matching.engine;

/**
 * What matching knows of a host's offer: no names, no street.
 *
 * @param province a province index ({@link Provinces})
 * @param municipality the CBS municipality number, or -1 when not given
 * @param availableFrom first day guests can come, as an epoch day
 * @param availableUntil last day guests can stay, as an epoch day
 * @param approved whether a partner has screened and approved it
 */
public record HostOffer(
    String id,
    int province,
    int municipality,
    int beds,
    boolean childrenWelcome,
    boolean petsWelcome,
    boolean stepFreeAccess,
    boolean smokingInHome,
    long languages,
    int availableFrom,
    int availableUntil,
    boolean approved) {}
