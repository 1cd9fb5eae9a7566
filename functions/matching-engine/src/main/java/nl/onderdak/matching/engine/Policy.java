package nl.onderdak.matching.engine;

/**
 * The programme's settings for a matching run.
 *
 * @param today the day of the run, as an epoch day
 * @param minimumStayDays the shortest stay a host must be able to offer from the day the household
 *     needs the place (the Dutch programme agreed stays of two weeks to three months)
 */
public record Policy(int today, int minimumStayDays) {
  public static final int DEFAULT_MINIMUM_STAY_DAYS = 14;

  public static Policy of(int today) {
    return new Policy(today, DEFAULT_MINIMUM_STAY_DAYS);
  }
}
