package nl.onderdak.core.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import nl.onderdak.core.storage.Attr;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stays' rules that need no store: when check-ins fall due, and how a stay's end is judged. */
@Tag("fast")
class StayRulesTest {

  @Test
  void checkInsFallDueOnTheListedDaysThenEveryInterval() {
    StayWatch watch = new StayWatch(null, 14, List.of(3, 14), 30);
    assertEquals(3, watch.checkInDay(1));
    assertEquals(14, watch.checkInDay(2));
    assertEquals(44, watch.checkInDay(3));
    assertEquals(74, watch.checkInDay(4));
    assertEquals(30, new StayWatch(null, 14, List.of(), 30).checkInDay(1), "monthly from the start");
  }

  @Test
  void aStayEndedWellBeforeItsAgreedEndBrokeDown() {
    MatchView m = MatchView.of(Attr.item("matchId", "M-1", "status", "placed", "agreedEndDate", "2027-03-31"));
    assertEquals("early", StayStep.timing(m, LocalDate.parse("2027-03-23")));
    assertEquals("as_agreed", StayStep.timing(m, LocalDate.parse("2027-03-24")), "within the last week");
    assertEquals("as_agreed", StayStep.timing(m, LocalDate.parse("2027-03-31")));
    assertEquals("late", StayStep.timing(m, LocalDate.parse("2027-04-01")));
    assertNull(StayStep.timing(MatchView.of(Attr.item("matchId", "M-2", "status", "placed")), LocalDate.now()),
        "a provider's home without an agreed end");
  }
}
