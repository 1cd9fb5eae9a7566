package nl.onderdak.core.model;

import java.util.Set;

/**
 * A status in a case's lifecycle. Each kind has its own state machine ({@link GuestStatus},
 * {@link HostStatus}); the allowed moves are declared here and enforced in storage by conditional
 * writes on the current status, never by read-then-write.
 */
public interface CaseStatus {
  /** The name used in JSON, in stored items and in index keys. */
  String wire();

  CaseKind kind();

  /** The statuses this one may move to. */
  Set<? extends CaseStatus> next();

  default boolean canMoveTo(CaseStatus to) {
    return next().contains(to);
  }

  /** A terminal status leaves every pool and index. */
  default boolean terminal() {
    return next().isEmpty();
  }

  static CaseStatus fromWire(CaseKind kind, String wire) {
    CaseStatus[] values = kind == CaseKind.GUEST ? GuestStatus.values() : HostStatus.values();
    for (CaseStatus s : values) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown " + kind.wire() + " status " + wire);
  }
}
