package nl.onderdak.admin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import nl.onderdak.core.chain.ChainPicture;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.ops.RegionalPicture;
import nl.onderdak.function.Emf;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Metric;
import nl.onderdak.function.Wiring;

/**
 * Every 15 minutes (a schedule in the template): the regional picture onto the coordinators' dashboard.
 * Per province one log line that is also a set of gauges (EMF): open households, approved hosts, active
 * placements, median wait, placed this year and its target. Per municipality one plain log line, which the
 * dashboard's Logs Insights table reads: 342 municipalities as metrics would cost more than they tell.
 */
public final class RegionSnapshotHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final RegionalPicture picture;
  private final ChainPicture chain;
  private final PartnerStore partners;

  public RegionSnapshotHandler() {
    this(Wiring.fromEnv());
    // SnapStart: the reads a snapshot makes, without writing its lines (nothing is counted before it is time).
    nl.onderdak.function.Priming.register("RegionSnapshotHandler", () -> {
      picture.now();
      partners.find("P-0000000000000000");
    });
  }

  RegionSnapshotHandler(Wiring wiring) {
    this.picture = new RegionalPicture(wiring.tallies(), wiring.targets(), wiring.matchStore(), wiring.clock());
    this.chain = wiring.chainPicture();
    this.partners = wiring.partners();
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
    RegionalPicture.Picture now = picture.now();
    for (RegionalPicture.Row row : now.provinces()) {
      ObjectNode line = lineOf(row, "province");
      line.put("Province", row.region());
      Emf.metric(line, Metric.OPEN_HOUSEHOLDS, row.openHouseholds());
      Emf.metric(line, Metric.APPROVED_HOSTS, row.approvedHosts());
      Emf.metric(line, Metric.ACTIVE_PLACEMENTS, row.activePlacements());
      Emf.metric(line, Metric.MEDIAN_WAIT_DAYS, row.medianWaitDays() == null ? 0 : row.medianWaitDays());
      Emf.metric(line, Metric.PLACED_THIS_YEAR, row.householdsPlacedThisYear());
      Emf.metric(line, Metric.TARGET_THIS_YEAR, row.householdsTarget() == null ? 0 : row.householdsTarget());
      JsonLog.write(line);
    }
    for (RegionalPicture.Row row : now.municipalities()) {
      JsonLog.write(lineOf(row, "municipality"));
    }
    ChainPicture.Picture links = chain.now(partners.all());
    writeChain(links);
    return Map.of("provinces", now.provinces().size(), "municipalities", now.municipalities().size(),
        "organisations", links.organisations().size(), "unassigned", links.unassigned());
  }

  /**
   * The chain's gauges: per organisation the cases it holds, and per step those waiting on it (a line each, as a
   * line carries one value per dimension); the cases waiting unassigned, in all and per role.
   */
  private static void writeChain(ChainPicture.Picture links) {
    for (ChainPicture.Organisation o : links.organisations()) {
      ObjectNode held = JsonLog.line("INFO", "chain picture");
      held.put("Partner", o.partnerId()).put("waiting", o.waiting());
      Emf.metric(held, Metric.CASES_HELD, o.held());
      JsonLog.write(held);
      o.waitingByStep().forEach((step, count) -> {
        ObjectNode waiting = JsonLog.line("INFO", "chain picture");
        waiting.put("Partner", o.partnerId()).put("Step", step);
        Emf.metric(waiting, Metric.CASES_WAITING, count);
        JsonLog.write(waiting);
      });
    }
    ObjectNode unassigned = JsonLog.line("INFO", "chain picture");
    Emf.metric(unassigned, Metric.UNASSIGNED_CASES, links.unassigned());
    JsonLog.write(unassigned);
    links.unassignedByRole().forEach((role, count) -> {
      ObjectNode line = JsonLog.line("INFO", "chain picture");
      line.put("Role", role);
      Emf.metric(line, Metric.UNASSIGNED_BY_ROLE, count);
      JsonLog.write(line);
    });
  }

  private static ObjectNode lineOf(RegionalPicture.Row row, String level) {
    ObjectNode line = JsonLog.line("INFO", "regional picture");
    line.put("regionLevel", level).put("region", row.region()).put("regionName", row.name())
        .put("openHouseholds", row.openHouseholds()).put("approvedHosts", row.approvedHosts())
        .put("activePlacements", row.activePlacements())
        .put("householdsPlacedThisYear", row.householdsPlacedThisYear())
        .put("homesTakenIntoUseThisYear", row.homesTakenIntoUseThisYear());
    if (row.householdsTarget() != null) {
      line.put("householdsTarget", row.householdsTarget());
    }
    if (row.homesTarget() != null) {
      line.put("homesTarget", row.homesTarget());
    }
    if (row.householdsProgress() != null) {
      line.put("householdsProgressPercent", row.householdsProgress());
    }
    if (row.homesProgress() != null) {
      line.put("homesProgressPercent", row.homesProgress());
    }
    return line;
  }
}
