package nl.onderdak.core.chain;

import java.util.EnumSet;
import java.util.Set;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.support.Ids;

/**
 * The one place that answers "may this organisation see this, or act on it?", asked by every partner route
 * before anything else. An organisation sees a case (its personal details, history and notes) only
 *
 * <ul>
 *   <li>while it holds a role on the case, or
 *   <li>while it reviews an active match (proposed, accepted or placed) that involves the case;
 * </ul>
 *
 * and a match only while it holds a role on one of its cases. A terminal move (withdrawn, closed, rejected) ends
 * every sight of the case; a match that is declined, expired, cancelled or ended ends the sight its review gave.
 * Everything else is {@link Refused#notFound()}, exactly as an unknown id: nobody learns that another
 * organisation's case exists. Free texts are shown to the organisations holding a role on the case only.
 * Acting needs, besides sight, the role the step declares (the steps check it).
 */
public final class CaseAccess {
  private final ChainStore store;

  public CaseAccess(ChainStore store) {
    this.store = store;
  }

  /**
   * How an organisation sees a case.
   *
   * @param roles the roles it holds on the case (empty when it sees it as a reviewer only)
   * @param match the active match its review goes through, when it is a reviewer only
   * @param other the other case of that match
   */
  public record Sight(CaseView c, Set<Role> roles, MatchView match, CaseView other) {
    public boolean holder() {
      return !roles.isEmpty();
    }

    /** Free texts (decision reasons, notes) are the responsible organisations' only. */
    public boolean seesTexts() {
      return holder();
    }
  }

  /** The case, if this organisation may see it now. */
  public Sight caseFor(String partnerId, String caseId) {
    if (!Ids.isCaseId(caseId)) {
      throw Refused.notFound();
    }
    CaseView c = store.caseView(caseId);
    Sight sight = sight(partnerId, c);
    if (sight == null) {
      throw Refused.notFound();
    }
    return sight;
  }

  /**
   * The case, for a decision this organisation takes on it: as {@link #caseFor}, and also a case that its own
   * decision made terminal a moment ago, so that a retry gets the same answer instead of a 404.
   */
  public CaseView caseForDecision(Actor actor, String caseId) {
    if (!Ids.isCaseId(caseId)) {
      throw Refused.notFound();
    }
    CaseView c = store.caseView(caseId);
    if (c != null && c.terminal() && actor.wire().equals(Attr.str(c.item(), "lastActor"))) {
      return c;
    }
    Sight sight = sight(actor.partnerId(), c);
    if (sight == null) {
      throw Refused.notFound();
    }
    return c;
  }

  /** How this organisation may see the case, or null. The reads it needs are made only when it is no holder. */
  public Sight sight(String partnerId, CaseView c) {
    if (c == null || partnerId == null || c.terminal()) {
      return null;
    }
    Set<Role> roles = holds(partnerId, c);
    if (!roles.isEmpty()) {
      return new Sight(c, roles, null, null);
    }
    if (c.matchId() == null) {
      return null;
    }
    MatchView m = store.match(c.matchId());
    if (m == null || !m.active()) {
      return null;
    }
    CaseView other = store.caseView(m.other(c.id()));
    if (other == null) {
      return null;
    }
    CaseView guest = c.id().equals(m.guestId()) ? c : other;
    CaseView host = c.id().equals(m.guestId()) ? other : c;
    return ProposalReviewStep.reviewsAs(partnerId, guest, host) != null ? new Sight(c, EnumSet.noneOf(Role.class), m,
        other) : null;
  }

  /** The roles an organisation holds on a case that is not closed. */
  public static Set<Role> holds(String partnerId, CaseView c) {
    if (c == null || c.terminal()) {
      return EnumSet.noneOf(Role.class);
    }
    return c.responsibility().rolesOf(partnerId);
  }

  /** The match and its cases, if this organisation holds a role on one of them now. */
  public MatchParties matchFor(String partnerId, String matchId) {
    MatchView m = store.match(matchId);
    if (m == null) {
      throw Refused.notFound();
    }
    MatchParties p = MatchParties.read(store, m);
    if (!seesMatch(partnerId, p)) {
      throw Refused.notFound();
    }
    return p;
  }

  /** A match is seen by the organisations holding a role on its household or its host, while that case is open. */
  public static boolean seesMatch(String partnerId, MatchParties p) {
    return !holds(partnerId, p.guest()).isEmpty() || !holds(partnerId, p.host()).isEmpty();
  }
}
