package nl.onderdak.core.chain;

import java.util.EnumSet;
import java.util.Set;
import nl.onderdak.core.partners.Role;

/** A step on an accepted or placed match, taken by the organisation holding its role on either side. */
public abstract class MatchStep extends Step {
  protected MatchStep(String key, String title, Role role) {
    super(key, title, role, Subject.MATCH);
  }

  /** The organisation must hold the step's role on the household or on the host. */
  protected void requireRole(Actor actor, MatchParties p) {
    if (!p.guest().responsibility().holds(actor.partnerId(), role())
        && !p.host().responsibility().holds(actor.partnerId(), role())) {
      throw Refused.forbidden("missing_role", "this step is taken by the " + role().wire()
          + " organisation responsible for the household or the host of " + p.match().id());
    }
  }

  /** Nothing waits on anyone by default once the match is in this step (see {@link PlacementStep}). */
  @Override
  public Set<Role> waitsOn(CaseView c, Set<Role> held, String partnerId, MatchContext match) {
    return EnumSet.noneOf(Role.class);
  }
}
