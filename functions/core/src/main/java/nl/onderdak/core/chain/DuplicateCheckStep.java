package nl.onderdak.core.chain;

import java.util.List;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.partners.Role;

/**
 * A household registered with a contact seen before waits on hold, out of the matching pool, so that no
 * household is promised two places. The organisation supporting it looks: a different household (released into
 * the pool) or the same one registered twice (closed).
 */
public final class DuplicateCheckStep extends CaseDecisionStep {
  public static final String KEY = "duplicate_check";

  public DuplicateCheckStep(Role role) {
    super(KEY, "Possible duplicate: a household registered with a contact seen before", role, GuestStatus.ON_HOLD,
        "not_on_hold", List.of(
            new Outcome(new Decision("release", List.of("not_a_duplicate", Decision.OTHER), false,
                "the household enters the matching pool", null), GuestStatus.OPEN),
            new Outcome(new Decision("close", List.of("duplicate_registration", Decision.OTHER), true,
                "the household's case is closed (terminal); the first registration goes on", null),
                GuestStatus.CLOSED)));
  }
}
