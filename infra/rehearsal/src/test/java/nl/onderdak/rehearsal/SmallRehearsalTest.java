package nl.onderdak.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The small rehearsal CI runs: a few hundred registrations through the whole local stack with every fault
 * on (partner endpoints down, answering 500 and 429; duplicate and late client requests; move-ins sent before
 * review; a function failing on some records; the runtime restarted half-way with its data folder kept; a flood of
 * fake registrations from a few clients during the peak).
 * It fails on any lost, duplicated or double-booked record, any webhook neither delivered nor dead-lettered,
 * and any figure on the operator page that disagrees with the store.
 */
class SmallRehearsalTest {

  @Test
  void aSmallSurgeWithEveryFaultLosesDuplicatesAndDoubleBooksNothing() throws Exception {
    Path out = Path.of("target", "rehearsal-ci");
    Settings settings = Settings.parse(new String[] {"--small", "--no-greedy", "--out", out.toString()});
    assertEquals(Settings.ALL_FAULTS.size(), settings.faults().size(), "CI rehearses with every fault on");

    Report report = Rehearsal.run(settings);
    System.err.println(report.text());

    assertTrue(report.clean(), "the rehearsal found problems: " + report.problems);
    Map<String, Long> checks = report.checks;
    assertEquals(0L, checks.get("answered, not in the store (lost)"));
    assertEquals(0L, checks.get("in the store, never sent (duplicated)"));
    assertEquals(0L, checks.get("hosts with two active placements"));
    assertEquals(0L, checks.get("households with two active placements"));
    assertEquals(checks.get("registrations sent (distinct)"), checks.get("registrations in the store"));
    assertTrue(checks.get("registrations sent (distinct)") >= 420, "a few hundred registrations were sent");
    assertEquals(0L, checks.get("of those, neither received nor dead-lettered"));
    assertTrue(checks.get("webhooks a partner should have had") > 300, "partners were told of the work");

    // Every fault really happened, and the chain still got people placed.
    Map<String, Object> f = report.figures;
    assertNotNull(f.get("restartMillis"), "the runtime was restarted half-way");
    assertTrue((Long) f.get("functionFailuresInjected") > 0, "functions failed on some records");
    assertTrue((Long) f.get("webhooksRefusedByPartnerFaults") > 0, "partner endpoints answered 500 or 429");
    assertTrue((Long) f.get("duplicateRequestsSent") > 0, "clients sent duplicates");
    assertTrue((Long) f.get("moveInsBeforeReviewRefused") > 0, "move-ins sent before review were refused");
    assertEquals(0L, checks.get("move-ins confirmed before review (out of order, must be refused)"));
    assertTrue(checks.get("people who registered twice (new key)") > 0);
    assertEquals(checks.get("people who registered twice (new key)"), checks.get("of those, held or closed as duplicates"));
    assertTrue((Long) f.get("householdsPlaced") > 50, "households were placed: " + f.get("householdsPlaced"));
    // The consortium played its chain: handovers taken and refused, details read as holder and as reviewer, and
    // every case with someone for its step, every read and decision by an organisation responsible then.
    assertTrue((Long) f.get("handoversAccepted") > 0, "handovers were taken: " + f);
    assertTrue((Long) f.get("handoversRefused") > 0, "handovers were refused: " + f);
    // Details were read (a reviewer of the other side reads one now and then: a few in a small run, dozens in the
    // full surge; ReconciliationTest proves such a read is checked against the other side).
    assertTrue((Long) f.get("readsOfPersonalDetails") > 20, "details were read: " + f);
    // The bot flood: scripts refused by the form's checks, the hidden-field ones stored but held, none proposed to
    // anybody or told to any organisation, and no real person refused.
    assertTrue(checks.get("fake registrations sent by the bot flood") > 100, "a flood: " + checks);
    // (A too-fast script whose exchange took longer than the fill time on a loaded machine is not judged.)
    assertEquals(checks.get("fake registrations sent by the bot flood"),
        checks.get("of those, refused by the form's checks or held, as they should be")
            + checks.get("too-fast registrations answered after the fill time had passed (not judged)"));
    assertTrue(checks.get("fake cases stored (hidden field filled), answered like any other") > 0);
    assertEquals(0L, checks.get("of those, not held out of matching"));
    assertEquals(0L, checks.get("fake cases in a match (proposed to a host, or a fake host proposed)"));
    assertEquals(0L, checks.get("webhooks that named a fake case"));
    assertEquals(0L, checks.get("held cases in a pool the matcher reads"));
    assertEquals(0L, checks.get("real registrations refused by the bot checks"));
    assertEquals(0L, checks.get("open cases with nobody for their current step, not listed unassigned"));
    assertEquals(0L, checks.get("reads by an organisation not responsible at that moment"));
    assertEquals(0L, checks.get("decisions by an organisation without the step's role"));
    assertTrue(checks.get("decisions by organisations") > 300);
    // After the yes, on the functions' own clock: introductions with no-gos, stays ended on their agreed end and
    // some extended, check-ins, and none left running past its end; every alerting incident alerted at once.
    @SuppressWarnings("unchecked")
    Map<String, Object> stays = (Map<String, Object>) f.get("stays");
    Map<String, Long> introductions = (Map<String, Long>) stays.get("introductions");
    assertTrue(introductions.getOrDefault("no_go", 0L) > 0 && introductions.getOrDefault("go", 0L) > 50,
        "introductions: " + introductions);
    Map<String, Long> ended = (Map<String, Long>) stays.get("staysEnded");
    assertTrue(ended.getOrDefault("as_agreed", 0L) > 10, "stays ended on their agreed end: " + stays);
    assertTrue((Long) stays.get("staysExtended") > 0, "stays extended: " + stays);
    assertTrue(((Map<String, Long>) stays.get("checkIns")).getOrDefault("ok", 0L) > 20, "check-ins: " + stays);
    assertTrue(((Map<String, Long>) stays.get("nextSteps")).getOrDefault("rematch", 0L) > 0, "next steps: " + stays);
    assertEquals(0L, checks.get("stays past their agreed end without an end or extension"));
    assertEquals(0L, checks.get("safety/exploitation incidents not alerted with their own event"));
    assertTrue(Files.size(out.resolve("report.html")) > 10_000, "the charts were written");
    assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"));
    assertTrue(Files.readString(out.resolve("summary.json")).contains("\"clean\" : true"));
  }
}
