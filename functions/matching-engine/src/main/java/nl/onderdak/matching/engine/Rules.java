package nl.onderdak.matching.engine;

/**
 * The hard rules (a pair is eligible only if none is broken) and the score of an eligible pair.
 * See docs/matching.md for the reasoning and a worked example.
 */
public final class Rules {
  /** The rules, in the order a coordinator reads them; the first broken one explains a pair. */
  public enum Rule {
    /** The host has not been approved by screening. */
    NOT_APPROVED,
    /** The host's province is not one the household asked for, and it does not accept others. */
    REGION,
    /** Fewer beds than persons. */
    BEDS,
    /** The household has children; the host does not welcome children. */
    CHILDREN,
    /** The household brings pets; the host does not welcome pets. */
    PETS,
    /** The household needs step-free access; the home has none. */
    STEP_FREE,
    /** A non-smoking household would live where people smoke indoors. */
    SMOKING,
    /** The host is not available on the day needed, or not for the minimum stay. */
    DATES,
    /** This pair was proposed before and declined. */
    DECLINED
  }

  public static final int LANGUAGE_POINTS = 30;
  public static final int REGION_POINTS_FIRST_CHOICE = 40;
  public static final int REGION_POINTS_PER_RANK = 10;
  public static final int MUNICIPALITY_POINTS = 10;
  public static final int OUTSIDE_REGION_POINTS = 15;
  public static final int OUTSIDE_REGION_KM_PER_POINT = 15;
  public static final int SIZE_POINTS = 20;
  public static final int SIZE_POINTS_PER_SPARE_BED = 5;
  public static final int WAITING_DAYS_CAP = 120;
  public static final int WAITING_DAYS_PER_POINT = 2;
  public static final int MAX_SCORE = LANGUAGE_POINTS + REGION_POINTS_FIRST_CHOICE + MUNICIPALITY_POINTS
      + SIZE_POINTS + WAITING_DAYS_CAP / WAITING_DAYS_PER_POINT;

  private Rules() {}

  /** The first rule this pair breaks, or null when it is eligible (apart from an earlier decline). */
  public static Rule firstBroken(Household h, HostOffer o, Policy policy) {
    if (!o.approved()) {
      return Rule.NOT_APPROVED;
    }
    if (!h.acceptsOtherRegions() && !h.prefersProvince(o.province())) {
      return Rule.REGION;
    }
    if (o.beds() < h.persons()) {
      return Rule.BEDS;
    }
    if (h.hasChildren() && !o.childrenWelcome()) {
      return Rule.CHILDREN;
    }
    if (h.hasPets() && !o.petsWelcome()) {
      return Rule.PETS;
    }
    if (h.stepFreeNeeded() && !o.stepFreeAccess()) {
      return Rule.STEP_FREE;
    }
    if (!h.smoker() && o.smokingInHome()) {
      return Rule.SMOKING;
    }
    int start = Math.max(h.neededFrom(), policy.today());
    if (o.availableFrom() > start || o.availableUntil() - start < policy.minimumStayDays()) {
      return Rule.DATES;
    }
    return null;
  }

  public static boolean eligible(Household h, HostOffer o, Policy policy) {
    return firstBroken(h, o, policy) == null;
  }

  /** The parts of a pair's score, each in points. */
  public record Score(int language, int region, int size, int waiting) {
    public int total() {
      return language + region + size + waiting;
    }
  }

  public static Score scoreOf(Household h, HostOffer o, Policy policy) {
    int language = (h.languages() & o.languages()) != 0 ? LANGUAGE_POINTS : 0;
    int rank = h.rankOf(o.province());
    int region = regionPoints(h, o.province(), rank);
    if (rank >= 0 && o.municipality() >= 0 && h.prefersMunicipality(o.municipality())) {
      region += MUNICIPALITY_POINTS;
    }
    int size = Math.max(0, SIZE_POINTS - SIZE_POINTS_PER_SPARE_BED * (o.beds() - h.persons()));
    int waited = Math.max(0, Math.min(policy.today() - h.registeredOn(), WAITING_DAYS_CAP));
    return new Score(language, region, size, waited / WAITING_DAYS_PER_POINT);
  }

  /** Region points without the municipality bonus: by rank among the preferences, else by distance. */
  static int regionPoints(Household h, int province, int rank) {
    if (rank >= 0) {
      return REGION_POINTS_FIRST_CHOICE - REGION_POINTS_PER_RANK * Math.min(rank, 3);
    }
    int km = h.preferredProvinces().length == 0 ? 0 : Provinces.distanceKm(h.preferredProvinces()[0], province);
    return Math.max(0, OUTSIDE_REGION_POINTS - km / OUTSIDE_REGION_KM_PER_POINT);
  }

  public static int score(Household h, HostOffer o, Policy policy) {
    return scoreOf(h, o, policy).total();
  }
}
