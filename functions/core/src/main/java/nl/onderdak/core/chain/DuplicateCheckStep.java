package nl.onderdak.core.chain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.model.CaseStatus;
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
    super(role);
  }

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public String title() {
    return "Possible duplicate: a household registered with a contact seen before";
  }

  @Override
  public List<Decision> decisions() {
    return List.of(
        new Decision("release", List.of("not_a_duplicate", Decision.OTHER), false,
            "the household enters the matching pool", null),
        new Decision("close", List.of("duplicate_registration", Decision.OTHER), true,
            "the household's case is closed (terminal); the first registration goes on", null));
  }

  @Override
  protected CaseStatus from() {
    return GuestStatus.ON_HOLD;
  }

  @Override
  protected Map<String, CaseStatus> targets() {
    Map<String, CaseStatus> t = new LinkedHashMap<>();
    t.put("release", GuestStatus.OPEN);
    t.put("close", GuestStatus.CLOSED);
    return t;
  }

  @Override
  protected String notWaitingCode() {
    return "not_on_hold";
  }
}
