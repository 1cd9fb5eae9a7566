package nl.onderdak.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.StorageFixture;
import nl.onderdak.core.support.Ids;
import nl.onderdak.core.tally.RegionTallies;
import org.junit.jupiter.api.Test;

/** Against DynamoDB Local: events in, the regional picture out; targets against what was realised. */
class RegionalPictureTest {
  // A year of its own, so that other tests' events (this year) never count here.
  private static final Instant AT = Instant.parse("2090-06-01T10:00:00Z");
  private final RegionTallies tallies = new RegionTallies(StorageFixture.client(), StorageFixture.tables());
  private final Targets targets = new Targets(StorageFixture.client(), StorageFixture.tables().regionStats());
  private final RegionalPicture picture = new RegionalPicture(tallies, targets,
      new MatchStore(StorageFixture.client(), StorageFixture.tables()), Clock.fixed(AT, ZoneOffset.UTC));

  private static CaseEvent event(String id, CaseKind kind, long seq, String from, String to, String municipality) {
    return new CaseEvent(id, kind, seq, seq == 1 ? CaseEvent.REGISTERED : CaseEvent.STATUS_CHANGED, "PV29", from, to,
        AT.minus(Duration.ofDays(10 - seq)), "test", null, null, municipality, AT.minus(Duration.ofDays(10)));
  }

  @Test
  void aMunicipalitysPlacementsCountAgainstItsTargetsOnce() {
    String municipality = "GM" + (9000 + ThreadLocalRandom.current().nextInt(999));
    String guest = Ids.newCaseId(CaseKind.GUEST);
    String host = Ids.newCaseId(CaseKind.HOST);
    List<CaseEvent> events = List.of(
        event(host, CaseKind.HOST, 1, null, "screening", municipality),
        event(host, CaseKind.HOST, 2, "screening", "approved", municipality),
        event(guest, CaseKind.GUEST, 1, null, "open", municipality),
        event(guest, CaseKind.GUEST, 2, "open", "proposed", municipality),
        event(host, CaseKind.HOST, 3, "approved", "proposed", municipality),
        event(guest, CaseKind.GUEST, 3, "proposed", "matched", municipality),
        event(host, CaseKind.HOST, 4, "proposed", "matched", municipality),
        event(guest, CaseKind.GUEST, 4, "matched", "placed", municipality),
        event(host, CaseKind.HOST, 5, "matched", "hosting", municipality));
    for (CaseEvent e : events) {
      tallies.apply(e, AT);
    }
    for (CaseEvent e : events) {
      assertFalse(tallies.apply(e, AT), "a redelivered event counts nothing");
    }
    targets.store(TargetsCsv.parse("region,year,homes,households,name\n" + municipality + ",2090,2,4,Proefstad\n"),
        "test", AT);

    RegionalPicture.Row row = picture.now().municipalities().stream()
        .filter(r -> r.region().equals(municipality)).findFirst().orElseThrow();
    assertEquals("Proefstad", row.name());
    assertEquals(1, row.householdsPlacedThisYear());
    assertEquals(1, row.homesTakenIntoUseThisYear());
    assertEquals(1, row.activePlacements());
    assertEquals(0, row.openHouseholds());
    assertEquals(0, row.approvedHosts());
    assertEquals(4, row.householdsTarget());
    assertEquals(25.0, row.householdsProgress());
    assertEquals(50.0, row.homesProgress());
  }

  @Test
  void theMedianWaitIsOverTheOpenHouseholdsOfTheProvince() {
    String province = "TEST" + ThreadLocalRandom.current().nextInt(1_000_000);
    int[] daysWaited = {1, 4, 9};
    for (int days : daysWaited) {
      String id = Ids.newCaseId(CaseKind.GUEST);
      StorageFixture.client().putItem(b -> b.tableName(StorageFixture.tables().cases()).item(Attr.item(
          "pk", CaseEvent.partitionKey(id), "sk", "CASE", "caseId", id, "kind", "guest", "status", "open",
          "poolKey", "guest#open#" + province, "poolOrder", id,
          "registeredAt", AT.minus(Duration.ofDays(days)).toString())));
    }
    assertEquals(4.0, picture.medianWaitDays(province, AT));
  }
}
