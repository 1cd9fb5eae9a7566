package nl.onderdak.core.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.tally.RegionTallies;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * "Know where you stand": the funnel, and per province and municipality supply against demand and the
 * agreed targets against what was realised this year. Built from the region tallies (kept by the case
 * events consumer), the targets operators loaded, and the open pools (for the wait).
 *
 * <p>Supply is approved hosts not yet matched; demand is open households. A household counts in the
 * province (and municipality) it named first; a host where its home is. Realised this year counts
 * households placed and homes taken into use since 1 January (UTC).
 */
public final class RegionalPicture {
  private final RegionTallies tallies;
  private final Targets targets;
  private final MatchStore pools;
  private final Clock clock;

  public RegionalPicture(RegionTallies tallies, Targets targets, MatchStore pools, Clock clock) {
    this.tallies = tallies;
    this.targets = targets;
    this.pools = pools;
    this.clock = clock;
  }

  /** One region's row. {@code medianWaitDays} is null for municipalities and for empty pools. */
  public record Row(String region, String name, long openHouseholds, long householdsOnHold, long hostsInScreening,
      long approvedHosts, long activePlacements, Double medianWaitDays, long householdsPlacedThisYear,
      long homesTakenIntoUseThisYear, Integer householdsTarget, Integer homesTarget) {

    /** Realised as a percentage of the target; null when nothing was agreed. */
    public Double householdsProgress() {
      return percent(householdsPlacedThisYear, householdsTarget);
    }

    public Double homesProgress() {
      return percent(homesTakenIntoUseThisYear, homesTarget);
    }

    /** Open households per available host: above 1 demand outruns supply. */
    public Double pressure() {
      return approvedHosts == 0 ? null : Math.round(100.0 * openHouseholds / approvedHosts) / 100.0;
    }

    private static Double percent(long realised, Integer target) {
      return target == null || target == 0 ? null : Math.round(1000.0 * realised / target) / 10.0;
    }
  }

  /** Everything at once, as the admin route and the operator page show it. */
  public record Picture(Instant at, int year, Map<String, Long> funnel, List<Row> provinces,
      List<Row> municipalities) {}

  public Picture now() {
    Instant at = clock.instant();
    int year = at.atZone(ZoneOffset.UTC).getYear();
    Map<String, Map<String, Long>> all = tallies.all();
    Map<String, Target> agreed = targets.year(year);
    List<Row> provinces = new ArrayList<>();
    for (Map.Entry<String, String> p : Regions.provinces().entrySet()) {
      provinces.add(row(p.getKey(), p.getValue(), all.getOrDefault(p.getKey(), Map.of()), agreed.get(p.getKey()),
          year, medianWaitDays(p.getKey(), at)));
    }
    List<Row> municipalities = new ArrayList<>();
    Map<String, Boolean> named = new TreeMap<>();
    all.keySet().stream().filter(Regions::isMunicipality).forEach(code -> named.put(code, true));
    agreed.keySet().stream().filter(Regions::isMunicipality).forEach(code -> named.put(code, true));
    for (String code : named.keySet()) {
      Target target = agreed.get(code);
      String name = target != null && target.name() != null ? target.name() : code;
      municipalities.add(row(code, name, all.getOrDefault(code, Map.of()), target, year, null));
    }
    Map<String, Long> funnel = new java.util.LinkedHashMap<>();
    funnel.put("householdsRegistered", sum(all, RegionTallies.registered("guest")));
    funnel.put("proposals", sum(all, RegionTallies.entered("guest_proposed")));
    funnel.put("acceptances", sum(all, RegionTallies.entered("guest_matched")));
    funnel.put("placements", sum(all, RegionTallies.entered("guest_placed")));
    funnel.put("hostsRegistered", sum(all, RegionTallies.registered("host")));
    funnel.put("hostsApproved", sum(all, "screened_approved"));
    funnel.put("hostsRejected", sum(all, "screened_rejected"));
    funnel.put("openHouseholds", sum(all, RegionTallies.counter("guest", "open")));
    funnel.put("approvedHosts", sum(all, RegionTallies.counter("host", "approved")));
    funnel.put("activePlacements", sum(all, RegionTallies.counter("guest", "placed")));
    return new Picture(at, year, funnel, provinces, municipalities);
  }

  private static Row row(String code, String name, Map<String, Long> c, Target target, int year, Double wait) {
    return new Row(code, name,
        get(c, RegionTallies.counter("guest", "open")),
        get(c, RegionTallies.counter("guest", "on_hold")),
        get(c, RegionTallies.counter("host", "screening")),
        get(c, RegionTallies.counter("host", "approved")),
        get(c, RegionTallies.counter("guest", "placed")),
        wait,
        get(c, RegionTallies.enteredIn(RegionTallies.counter("guest", "placed"), year)),
        get(c, RegionTallies.enteredIn(RegionTallies.counter("host", "hosting"), year)),
        target == null ? null : target.households(),
        target == null ? null : target.homes());
  }

  private static long get(Map<String, Long> counters, String name) {
    return Math.max(0, counters.getOrDefault(name, 0L));
  }

  /** Province-level sums only: municipality rows repeat what their province already counts. */
  private static long sum(Map<String, Map<String, Long>> all, String name) {
    return all.entrySet().stream().filter(e -> Regions.isProvince(e.getKey()))
        .mapToLong(e -> get(e.getValue(), name)).sum();
  }

  /** How long the households now open in a province have waited since they registered, the median, in days. */
  Double medianWaitDays(String province, Instant now) {
    List<Long> waits = new ArrayList<>();
    for (Map<String, AttributeValue> item : pools.pool(CaseKind.GUEST, "open", province)) {
      String registered = Attr.str(item, "registeredAt");
      if (registered != null) {
        waits.add(Duration.between(Instant.parse(registered), now).toMinutes());
      }
    }
    if (waits.isEmpty()) {
      return null;
    }
    Collections.sort(waits);
    int n = waits.size();
    double minutes = n % 2 == 1 ? waits.get(n / 2) : (waits.get(n / 2 - 1) + waits.get(n / 2)) / 2.0;
    return Math.round(minutes / 144.0) / 10.0; // days, one decimal
  }

  /** As JSON, for the admin route and the operator page. */
  public static ObjectNode toJson(Picture p) {
    ObjectNode out = Json.object().put("generatedAt", p.at().toString()).put("year", p.year());
    ObjectNode funnel = out.putObject("funnel");
    p.funnel().forEach(funnel::put);
    rows(out.putArray("provinces"), p.provinces());
    rows(out.putArray("municipalities"), p.municipalities());
    return out;
  }

  private static void rows(ArrayNode into, List<Row> rows) {
    for (Row r : rows) {
      ObjectNode o = into.addObject().put("region", r.region()).put("name", r.name())
          .put("openHouseholds", r.openHouseholds()).put("householdsOnHold", r.householdsOnHold())
          .put("hostsInScreening", r.hostsInScreening()).put("approvedHosts", r.approvedHosts())
          .put("activePlacements", r.activePlacements())
          .put("householdsPlacedThisYear", r.householdsPlacedThisYear())
          .put("homesTakenIntoUseThisYear", r.homesTakenIntoUseThisYear());
      putNullable(o, "medianWaitDays", r.medianWaitDays());
      putNullable(o, "pressure", r.pressure());
      ObjectNode targets = o.putObject("targets");
      putNullable(targets, "households", r.householdsTarget() == null ? null : r.householdsTarget().doubleValue());
      putNullable(targets, "homes", r.homesTarget() == null ? null : r.homesTarget().doubleValue());
      ObjectNode progress = o.putObject("progressPercent");
      putNullable(progress, "households", r.householdsProgress());
      putNullable(progress, "homes", r.homesProgress());
    }
  }

  private static void putNullable(ObjectNode o, String name, Double value) {
    if (value == null) {
      o.putNull(name);
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      o.put(name, value.longValue());
    } else {
      o.put(name, value);
    }
  }
}
