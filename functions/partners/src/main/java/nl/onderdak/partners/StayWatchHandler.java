package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import nl.onderdak.core.chain.StayWatch;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * On a schedule: the stays' clock ({@link StayWatch}): {@code stay.ending_soon} {@code STAY_ENDING_SOON_DAYS} before
 * a stay's agreed end, {@code case.alert} once it has passed with nothing recorded. It takes the EventBridge event
 * as a map: nothing in it is needed.
 */
public final class StayWatchHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final StayWatch watch;

  public StayWatchHandler() {
    this(Wiring.fromEnv());
    nl.onderdak.function.Priming.register("StayWatchHandler", watch::prime);
  }

  StayWatchHandler(Wiring wiring) {
    this.watch = new StayWatch(wiring.chain(), wiring.integer("STAY_ENDING_SOON_DAYS", 14),
        days(wiring.get("CHECKIN_DAYS")), wiring.integer("CHECKIN_EVERY_DAYS", StayWatch.DEFAULT_CHECKIN_EVERY_DAYS));
  }

  /** {@code "3,14"}: days after the move-in; the programme's when unset. */
  static java.util.List<Integer> days(String list) {
    if (list == null || list.isBlank()) {
      return StayWatch.DEFAULT_CHECKIN_DAYS;
    }
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (String d : list.split(",")) {
      out.add(Integer.parseInt(d.strip()));
    }
    return out;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
    StayWatch.Outcome outcome = watch.run();
    ObjectNode line = JsonLog.line("INFO", "stay clock");
    line.put("placed", outcome.placed()).put("endingSoon", outcome.endingSoon()).put("pastEnd", outcome.pastEnd())
        .put("hostsAvailabilityEnded", outcome.hostsEnded()).put("checkInsDue", outcome.checkInsDue())
        .put("trialsOverdue", outcome.trialsOverdue()).put("endingSoonDays", watch.endingSoonDays());
    JsonLog.write(line);
    // The coordinators' gauges, per province: stays ending soon (the next step to prepare) and past their end.
    outcome.endingByProvince().forEach((province, n) -> {
      ObjectNode gauge = JsonLog.line("INFO", "stays by province").put("Province", province);
      nl.onderdak.function.Emf.metric(gauge, nl.onderdak.function.Metric.STAYS_ENDING_SOON, n);
      nl.onderdak.function.Emf.metric(gauge, nl.onderdak.function.Metric.STAYS_ENDING_UNPLANNED,
          outcome.unplannedByProvince().getOrDefault(province, 0));
      nl.onderdak.function.Emf.metric(gauge, nl.onderdak.function.Metric.STAYS_PAST_END,
          outcome.pastByProvince().getOrDefault(province, 0));
      JsonLog.write(gauge);
    });
    return Map.of("placed", outcome.placed(), "endingSoon", outcome.endingSoon(), "pastEnd", outcome.pastEnd(),
        "hostsAvailabilityEnded", outcome.hostsEnded(), "checkInsDue", outcome.checkInsDue(),
        "trialsOverdue", outcome.trialsOverdue());
  }
}
