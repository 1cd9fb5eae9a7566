package nl.onderdak.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.function.Emf;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Metric;

/**
 * The log line of one case event, with the funnel metrics it moves: what a coordinator's dashboard
 * counts. Written once per event (when its tallies were applied the first time), so a stream record
 * delivered twice is not counted twice.
 *
 * <p>Household-side events carry the match's figures (proposals, acceptances, declines, placements, ends
 * of stay), so each match is counted once, not once per side.
 */
final class CaseEventLines {
  private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("[a-z0-9_:.-]{1,80}");

  private CaseEventLines() {}

  static ObjectNode lineOf(CaseEvent e) {
    ObjectNode line = JsonLog.line("INFO", "case event");
    line.put("correlationId", e.caseId());
    line.put("eventType", e.type()).put("kind", e.kind().wire()).put("seq", e.seq());
    if (e.fromStatus() != null) {
      line.put("fromStatus", e.fromStatus());
    }
    line.put("toStatus", e.toStatus()).put("actor", e.actor());
    if (e.reason() != null) {
      // Reason codes are logged; free text (a screening or withdrawal reason a person typed) may name
      // people, so it stays in the case's history, out of the logs.
      line.put("reason", CODE.matcher(e.reason()).matches() ? e.reason() : "free_text");
    }
    if (e.matchId() != null) {
      line.put("matchId", e.matchId());
    }
    line.put("Province", e.region() == null ? "unknown" : e.region());
    if (e.municipality() != null) {
      line.put("municipality", e.municipality());
    }
    addMetrics(line, e);
    return line;
  }

  private static void addMetrics(ObjectNode line, CaseEvent e) {
    String kind = e.kind().wire();
    String from = e.fromStatus();
    String to = e.toStatus();
    String reason = e.reason() == null || !CODE.matcher(e.reason()).matches() ? "" : e.reason();
    if (CaseEvent.REGISTERED.equals(e.type())) {
      line.put("Kind", kind);
      Emf.metric(line, Metric.REGISTRATIONS, 1);
      return;
    }
    if ("withdrawn".equals(to)) {
      line.put("Kind", kind);
      Emf.metric(line, Metric.WITHDRAWALS, 1);
      return;
    }
    if ("host".equals(kind)) {
      if ("screening".equals(from) && ("approved".equals(to) || "rejected".equals(to))) {
        line.put("Decision", to);
        Emf.metric(line, Metric.SCREENINGS, 1);
      }
      return;
    }
    if ("open".equals(from) && "proposed".equals(to)) {
      Emf.metric(line, Metric.PROPOSALS, 1);
      sinceRegistration(line, e, Metric.TIME_TO_PROPOSAL);
    } else if ("proposed".equals(from) && "matched".equals(to)) {
      Emf.metric(line, Metric.ACCEPTANCES, 1);
    } else if ("proposed".equals(from) && "open".equals(to)) {
      line.put("Reason", reason.startsWith("match_expired") ? "expired" : after(reason, "match_declined:"));
      Emf.metric(line, Metric.DECLINES, 1);
    } else if ("matched".equals(from) && "placed".equals(to)) {
      Emf.metric(line, Metric.PLACEMENTS, 1);
      sinceRegistration(line, e, Metric.TIME_TO_PLACEMENT);
    } else if ("placed".equals(from)) {
      line.put("Reason", after(reason, "placement_ended:"));
      Emf.metric(line, Metric.ENDS_OF_STAY, 1);
    }
  }

  private static void sinceRegistration(ObjectNode line, CaseEvent e, Metric metric) {
    if (e.registeredAt() != null) {
      Emf.metric(line, metric, Math.max(0, Duration.between(e.registeredAt(), e.at()).toSeconds()));
    }
  }

  /** The reason code after its prefix; anything unexpected counts as {@code other} (bounded dimension values). */
  private static String after(String reason, String prefix) {
    if (!reason.startsWith(prefix)) {
      return "other";
    }
    String code = reason.substring(prefix.length());
    return code.matches("[a-z_]{1,40}") ? code : "other";
  }
}
