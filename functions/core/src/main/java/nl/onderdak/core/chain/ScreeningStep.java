package nl.onderdak.core.chain;

import java.util.List;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;

/**
 * A host is screened before it can be matched: a phone intake and a certificate of good conduct (VOG). The
 * screening organisation responsible for the host approves it (it enters the matching pool) or rejects it with
 * the reason (in 2022 most were a missing separate room or too short an availability). The same step serves the
 * partner route and the operators' route.
 */
public final class ScreeningStep extends CaseDecisionStep {
  public static final String KEY = "screening";

  public ScreeningStep(Role role) {
    super(KEY, "Screening of a host (intake, certificate of good conduct)", role, HostStatus.SCREENING,
        "not_in_screening", List.of(
            new Outcome(new Decision("approved", List.of("intake_completed", Decision.OTHER), false,
                "the host enters the matching pool", null), HostStatus.APPROVED),
            new Outcome(new Decision("rejected", List.of("no_separate_room", "availability_too_short",
                "no_certificate_of_good_conduct", "unreachable", "safety_concern", Decision.OTHER), true,
                "the host's case is closed (terminal)", null), HostStatus.REJECTED)));
  }

  /** Only a case type whose organisations screen is screened (a provider's own home is not). */
  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return type.roles().contains(role()) && super.current(type, status);
  }
}
