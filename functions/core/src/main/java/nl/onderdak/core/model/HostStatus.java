package nl.onderdak.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A host offer's lifecycle. It starts in screening and becomes matchable only when a partner
 * approves it; a proposal, an accepted match and a stay take it out of the pool and back.
 *
 * <pre>
 * screening ──► approved ──► proposed ──► (introducing) ──► matched ──► hosting
 *     │            ▲ ▲          │            │           │
 *     ▼            │ └──────────┘◄───────────┘◄──────────┘
 *  rejected        └── (any non-terminal) ──► withdrawn
 * </pre>
 */
public enum HostStatus implements CaseStatus {
  SCREENING,
  APPROVED,
  REJECTED,
  PROPOSED,
  /** Accepted by every reviewer; the introduction (a meeting, or a trial stay) is being arranged. */
  INTRODUCING,
  MATCHED,
  HOSTING,
  WITHDRAWN;

  @Override
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public CaseKind kind() {
    return CaseKind.HOST;
  }

  @Override
  public Set<HostStatus> next() {
    return switch (this) {
      case SCREENING -> EnumSet.of(APPROVED, REJECTED, WITHDRAWN);
      case APPROVED -> EnumSet.of(PROPOSED, WITHDRAWN);
      case PROPOSED -> EnumSet.of(APPROVED, INTRODUCING, MATCHED, WITHDRAWN);
      case INTRODUCING -> EnumSet.of(MATCHED, APPROVED, WITHDRAWN);
      case MATCHED -> EnumSet.of(HOSTING, APPROVED, WITHDRAWN);
      // Back to screening: a stay ended for a safety incident; the host is matched again only once re-screened.
      case HOSTING -> EnumSet.of(APPROVED, SCREENING, WITHDRAWN);
      case REJECTED, WITHDRAWN -> EnumSet.noneOf(HostStatus.class);
    };
  }
}
