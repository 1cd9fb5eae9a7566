package nl.onderdak.core.tally;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.StorageFixture;
import nl.onderdak.core.support.Ids;
import org.junit.jupiter.api.Test;

class RegionTalliesTest {
  /** Each test uses its own made-up region, so counts from other tests never mix in. */
  private static String freshRegion() {
    return "TEST-" + Ids.newCaseId(CaseKind.GUEST);
  }

  private final RegionTallies tallies = new RegionTallies(StorageFixture.client(), StorageFixture.tables());

  @Test
  void countsEachEventOnceHoweverOftenItIsDelivered() {
    String region = freshRegion();
    String id = Ids.newCaseId(CaseKind.HOST);
    CaseEvent registered = new CaseEvent(id, CaseKind.HOST, 1, CaseEvent.REGISTERED, region, null, "screening",
        Instant.now(), "registrant", null);
    assertTrue(tallies.apply(registered, Instant.now()));
    assertFalse(tallies.apply(registered, Instant.now()), "a redelivered record changes nothing");
    assertEquals(1L, tallies.region(region).get("host_screening"));
  }

  @Test
  void aStatusChangeMovesTheCaseFromOneCounterToTheOther() {
    String region = freshRegion();
    String id = Ids.newCaseId(CaseKind.HOST);
    tallies.apply(new CaseEvent(id, CaseKind.HOST, 1, CaseEvent.REGISTERED, region, null, "screening",
        Instant.now(), "registrant", null), Instant.now());
    tallies.apply(new CaseEvent(Ids.newCaseId(CaseKind.HOST), CaseKind.HOST, 1, CaseEvent.REGISTERED, region, null,
        "screening", Instant.now(), "registrant", null), Instant.now());
    CaseEvent approved = new CaseEvent(id, CaseKind.HOST, 2, CaseEvent.STATUS_CHANGED, region, "screening",
        "approved", Instant.now(), "partner", null);
    tallies.apply(approved, Instant.now());
    tallies.apply(approved, Instant.now());
    Map<String, Long> counts = tallies.region(region);
    assertEquals(1L, counts.get("host_screening"));
    assertEquals(1L, counts.get("host_approved"));
  }
}
