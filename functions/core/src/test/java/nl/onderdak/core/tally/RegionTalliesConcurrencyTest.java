package nl.onderdak.core.tally;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.StorageFixture;
import nl.onderdak.core.support.Ids;
import org.junit.jupiter.api.Test;

/**
 * Against DynamoDB Local: readers working at once (several shards, a ParallelizationFactor) all move one
 * region's counters, and every event still counts exactly once, also when each is delivered twice.
 */
class RegionTalliesConcurrencyTest {
  private static final Instant AT = Instant.parse("2091-03-01T10:00:00Z");

  @Test
  void eventsAppliedAtOnceOnOneRegionEachCountOnce() throws Exception {
    RegionTallies tallies = new RegionTallies(StorageFixture.client(), StorageFixture.tables());
    String municipality = "GM" + (9000 + ThreadLocalRandom.current().nextInt(999));
    List<CaseEvent> events = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      events.add(new CaseEvent(Ids.newCaseId(CaseKind.HOST), CaseKind.HOST, 1, CaseEvent.REGISTERED, "PV22", null,
          "screening", AT.minus(Duration.ofMinutes(i)), "test", null, null, municipality, AT));
    }
    AtomicInteger counted = new AtomicInteger();
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int copy = 0; copy < 2; copy++) {
        for (CaseEvent e : events) {
          work.add(readers.submit(() -> {
            if (tallies.apply(e, AT)) {
              counted.incrementAndGet();
            }
          }));
        }
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      readers.shutdownNow();
    }
    assertEquals(120, counted.get(), "each event applied once, its second delivery recognised");
    assertEquals(120L, tallies.region(municipality).get(RegionTallies.counter("host", "screening")));
    assertEquals(120L, tallies.region(municipality).get(RegionTallies.registered("host") + "_2091"));
  }
}
