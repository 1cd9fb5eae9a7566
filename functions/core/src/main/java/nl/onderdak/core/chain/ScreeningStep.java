package nl.onderdak.core.chain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;

/**
 * A host is screened before it can be matched: a phone intake and a certificate of good conduct (VOG). The
 * screening organisation responsible for the host approves it (it enters the matching pool) or rejects it with
 * the reason (in 2022 most were a missing separate room or too short an availability). The same step serves the
 * partner route and the operators' route.
 */
public final class ScreeningStep extends CaseDecisionStep {
  public static final String KEY = "screening";

  public ScreeningStep(Role role) {
    super(role);
  }

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public String title() {
    return "Screening of a host (intake, certificate of good conduct)";
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return type.roles().contains(role()) && status == HostStatus.SCREENING;
  }

  @Override
  public List<Decision> decisions() {
    return List.of(
        new Decision("approved", List.of("intake_completed", Decision.OTHER), false,
            "the host enters the matching pool", null),
        new Decision("rejected", List.of("no_separate_room", "availability_too_short",
            "no_certificate_of_good_conduct", "unreachable", "safety_concern", Decision.OTHER), true,
            "the host's case is closed (terminal)", null));
  }

  @Override
  protected CaseStatus from() {
    return HostStatus.SCREENING;
  }

  @Override
  protected Map<String, CaseStatus> targets() {
    Map<String, CaseStatus> t = new LinkedHashMap<>();
    t.put("approved", HostStatus.APPROVED);
    t.put("rejected", HostStatus.REJECTED);
    return t;
  }

  @Override
  protected String notWaitingCode() {
    return "not_in_screening";
  }

  /** The webhook that asks for a screening: sent to the screening organisation when a host registers. */
  public static final String REQUESTED = WebhookEvent.HOST_SCREENING_REQUESTED;
}
