package nl.onderdak.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A guest household's lifecycle. It is open (in the matching pool) until a match is proposed;
 * a declined or expired proposal, or a stay that ends with "needs a new place", puts it back.
 *
 * <pre>
 * on_hold ──► open ──► proposed ──► matched ──► placed ──► closed
 *    ▲  │      ▲ │        │            │           │
 *    └──┼──────┘ │        └──► open ◄──┘           └──► open (needs a new place)
 *       └────────┴──► withdrawn / closed
 * </pre>
 */
public enum GuestStatus implements CaseStatus {
  /** A possible duplicate of an earlier registration, waiting for a partner to look. Not matchable. */
  ON_HOLD,
  OPEN,
  PROPOSED,
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
      case PROPOSED -> EnumSet.of(OPEN, MATCHED, WITHDRAWN);
      case MATCHED -> EnumSet.of(PLACED, OPEN, WITHDRAWN);
      case PLACED -> EnumSet.of(OPEN, CLOSED);
      case CLOSED, WITHDRAWN -> EnumSet.noneOf(GuestStatus.class);
    };
  }
}
