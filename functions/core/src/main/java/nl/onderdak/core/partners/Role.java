package nl.onderdak.core.partners;

import java.util.Locale;

/** What a partner organisation does in the chain; it sees and acts on cases by role and region. */
public enum Role {
  /** Checks hosts before they can be matched. Sees hosts in its regions. */
  SCREENING,
  /** Supports households. Sees households in its regions and their matches. */
  GUEST_SUPPORT,
  /** Reviews proposed matches, confirms placements, records their end. Sees matches in its regions. */
  PLACEMENT_REVIEW,
  /** Care providers: told of placements in their regions. */
  CARE_PROVIDER,
  /** Housing providers: told of placements in their regions. */
  HOUSING_PROVIDER,
  /**
   * Advises households (housing, work, schooling, legal and health questions, money): sees the households it is
   * assigned while it is, and records the advice it gave ({@code AdviceStep}).
   */
  ADVICE,
  /**
   * Introduces a household to its host family once a match is accepted: arranges the meeting or a trial stay and
   * records the outcome ({@code IntroductionStep}). Where a case has none, its placement reviewer does it.
   */
  INTRODUCTION;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String s) {
    for (Role r : values()) {
      if (r.wire().equals(s)) {
        return r;
      }
    }
    return null;
  }
}
