package nl.onderdak.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A guest household's lifecycle. It is open (in the matching pool) until a match is proposed;
 * a declined or expired proposal, a no-go after the introduction, or a stay that ends with "needs a new place"
 * puts it back. A match into a host family is introduced before it is placed; one into a provider's home is not.
 *
 * <pre>
 * on_hold ──► open ──► proposed ──► introducing ──► matched ──► placed ──► closed
 *    ▲  │      ▲ │        │    └──────────┼────────────►┘  │           │
 *    └──┼──────┘ │        └──► open ◄─────┴───────────────┘           └──► open (needs a new place)
 *       └────────┴──► withdrawn / closed
 * </pre>
 */
public enum GuestStatus implements CaseStatus {
  /** A possible duplicate of an earlier registration, waiting for a partner to look. Not matchable. */
  ON_HOLD,
  OPEN,
  PROPOSED,
  /** Accepted by every reviewer; the introduction (a meeting, or a trial stay) is being arranged. */
  INTRODUCING,
  MATCHED,
  PLACED,
  CLOSED,
  WITHDRAWN;

  @Override
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public CaseKind kind() {
    return CaseKind.GUEST;
  }

  @Override
  public Set<GuestStatus> next() {
    return switch (this) {
      case ON_HOLD -> EnumSet.of(OPEN, WITHDRAWN, CLOSED);
      case OPEN -> EnumSet.of(PROPOSED, ON_HOLD, WITHDRAWN, CLOSED);
      case PROPOSED -> EnumSet.of(OPEN, INTRODUCING, MATCHED, WITHDRAWN);
      case INTRODUCING -> EnumSet.of(MATCHED, OPEN, WITHDRAWN);
      case MATCHED -> EnumSet.of(PLACED, OPEN, WITHDRAWN);
      case PLACED -> EnumSet.of(OPEN, CLOSED);
      case CLOSED, WITHDRAWN -> EnumSet.noneOf(GuestStatus.class);
    };
  }
}
