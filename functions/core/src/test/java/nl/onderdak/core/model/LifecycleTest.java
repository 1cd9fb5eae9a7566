package nl.onderdak.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class LifecycleTest {

  @Test
  void aHostIsOnlyMatchableAfterScreening() {
    assertEquals(EnumSet.of(HostStatus.APPROVED, HostStatus.REJECTED, HostStatus.WITHDRAWN), HostStatus.SCREENING.next());
    assertFalse(HostStatus.SCREENING.canMoveTo(HostStatus.PROPOSED), "no proposal for an unscreened host");
    assertFalse(HostStatus.REJECTED.canMoveTo(HostStatus.APPROVED), "a rejection is final");
    assertTrue(HostStatus.APPROVED.canMoveTo(HostStatus.PROPOSED));
  }

  @Test
  void aGuestIsOpenUntilMatched() {
    assertTrue(GuestStatus.OPEN.canMoveTo(GuestStatus.PROPOSED));
    assertTrue(GuestStatus.PROPOSED.canMoveTo(GuestStatus.OPEN), "a declined proposal returns the household");
    assertTrue(GuestStatus.PLACED.canMoveTo(GuestStatus.OPEN), "needs a new place");
    assertFalse(GuestStatus.ON_HOLD.canMoveTo(GuestStatus.PROPOSED), "a possible duplicate is not matched");
    assertFalse(GuestStatus.OPEN.canMoveTo(GuestStatus.PLACED), "no placement without a match");
  }

  @Test
  void terminalStatusesGoNowhere() {
    for (CaseStatus s : new CaseStatus[] {GuestStatus.CLOSED, GuestStatus.WITHDRAWN, HostStatus.REJECTED,
        HostStatus.WITHDRAWN}) {
      assertTrue(s.terminal(), s.wire());
    }
    for (GuestStatus s : GuestStatus.values()) {
      assertEquals(s, CaseStatus.fromWire(CaseKind.GUEST, s.wire()));
      assertFalse(s.canMoveTo(s), "no move to itself: " + s);
    }
    for (HostStatus s : HostStatus.values()) {
      assertEquals(s, CaseStatus.fromWire(CaseKind.HOST, s.wire()));
      assertFalse(s.canMoveTo(s), "no move to itself: " + s);
    }
  }

  @Test
  void everyStatusIsReachableFromTheStart() {
    assertEquals(EnumSet.allOf(GuestStatus.class), reachable(GuestStatus.OPEN, GuestStatus.ON_HOLD));
    assertEquals(EnumSet.allOf(HostStatus.class), reachable(HostStatus.SCREENING));
  }

  @SafeVarargs
  private static <S extends Enum<S> & CaseStatus> EnumSet<S> reachable(S... starts) {
    EnumSet<S> seen = EnumSet.of(starts[0], starts);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (S s : EnumSet.copyOf(seen)) {
        for (CaseStatus n : s.next()) {
          @SuppressWarnings("unchecked") S next = (S) n;
          grew |= seen.add(next);
        }
      }
    }
    return seen;
  }
}
