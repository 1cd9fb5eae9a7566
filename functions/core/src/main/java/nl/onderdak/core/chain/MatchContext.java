package nl.onderdak.core.chain;

import java.util.Set;
import nl.onderdak.core.partners.Role;

/**
 * What a case's waiting rows need to know of the match it is in: who accepted it already, and which roles on
 * this side the other side's type asks to accept too (a housing provider's home: the household's care provider).
 */
public record MatchContext(Set<String> acceptedBy, Set<Role> extraReviewRoles, boolean checkInDue) {
  public static final MatchContext NONE = new MatchContext(Set.of(), Set.of(), false);

  public MatchContext(Set<String> acceptedBy, Set<Role> extraReviewRoles) {
    this(acceptedBy, extraReviewRoles, false);
  }

  /** The same, with a check-in on the stay due (noticed by the clock, not yet recorded) or not. */
  public MatchContext withCheckInDue(boolean due) {
    return new MatchContext(acceptedBy, extraReviewRoles, due);
  }
}
