package nl.onderdak.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.chain.Step;
import nl.onderdak.core.chain.ReasonCodes;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.events.ChainFacts;
import nl.onderdak.function.Emf;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Metric;

/**
 * The log lines of one case event, with the metrics it moves: the funnel a coordinator's dashboard counts, and
 * the chain (how long a step waited at the organisation that took it, handovers in, out and refused). Written
 * once per event (when its tallies were applied the first time), so a stream record delivered twice is not
 * counted twice.
 *
 * <p>Household-side events carry the match's funnel figures (proposals, acceptances, declines, placements, ends of
 * stay), the host's event a match step's waiting time, so each match is counted once, not once per side.
 */
final class CaseEventLines {
  private static final java.util.regex.Pattern PARTNER = java.util.regex.Pattern.compile("partner:(P-[0-9A-Z]{1,20})");

  private CaseEventLines() {}

  /** The event's line, and a second one when the event moves a figure of another organisation (a handover). */
  static List<ObjectNode> linesOf(CaseEvent e) {
    List<ObjectNode> out = new ArrayList<>();
    ObjectNode line = JsonLog.line("INFO", "case event");
    line.put("correlationId", e.caseId());
    line.put("eventType", e.type()).put("kind", e.kind().wire()).put("seq", e.seq());
    if (e.fromStatus() != null) {
      line.put("fromStatus", e.fromStatus());
    }
    line.put("toStatus", e.toStatus()).put("actor", e.actor());
    ChainFacts f = e.chain();
    if (f.step() != null) {
      line.put("step", f.step());
    }
    if (f.decision() != null) {
      line.put("decision", f.decision());
    }
    if (f.role() != null) {
      line.put("role", f.role());
    }
    if (e.reason() != null) {
      // Only a code the programmes know is logged; anything else may be someone's words (ReasonCodes).
      line.put("reason", ReasonCodes.safe(e.reason()));
    }
    if (e.matchId() != null) {
      line.put("matchId", e.matchId());
    }
    line.put("Province", e.region() == null ? "unknown" : e.region());
    if (e.municipality() != null) {
      line.put("municipality", e.municipality());
    }
    addFunnel(line, e);
    addStay(line, e);
    addChain(line, e, out);
    out.add(0, line);
    return out;
  }

  private static void addFunnel(ObjectNode line, CaseEvent e) {
    if (!e.changesStatus()) {
      return;
    }
    String kind = e.kind().wire();
    String from = e.fromStatus();
    String to = e.toStatus();
    String reason = e.reason() == null ? "" : ReasonCodes.safe(e.reason());
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
    } else if ("proposed".equals(from) && ("matched".equals(to) || "introducing".equals(to))) {
      Emf.metric(line, Metric.ACCEPTANCES, 1);
    } else if ("proposed".equals(from) && "open".equals(to)) {
      line.put("Reason", "expire".equals(e.chain().decision()) ? "expired" : bounded(reason));
      Emf.metric(line, Metric.DECLINES, 1);
    } else if ("matched".equals(from) && "placed".equals(to)) {
      Emf.metric(line, Metric.PLACEMENTS, 1);
      sinceRegistration(line, e, Metric.TIME_TO_PLACEMENT);
    } else if ("placed".equals(from)) {
      line.put("Reason", bounded(reason));
      Emf.metric(line, Metric.ENDS_OF_STAY, 1);
    }
  }

  /**
   * The stays' figures, once per stay (the household's event): how a stay ended against its agreed end (an urgent
   * re-placement ends it early), the check-ins and the incidents they found, by category and severity.
   */
  private static void addStay(ObjectNode line, CaseEvent e) {
    ChainFacts f = e.chain();
    if (e.kind() == nl.onderdak.core.model.CaseKind.GUEST && "introduction".equals(f.step())
        && java.util.Set.of("go", "no_go", "trial").contains(f.decision())) {
      line.put("Outcome", f.decision());
      Emf.metric(line, Metric.INTRODUCTIONS, 1);
      return;
    }
    if (e.kind() != nl.onderdak.core.model.CaseKind.GUEST || !"stay".equals(f.step())) {
      return;
    }
    boolean replaced = "checkin".equals(f.decision()) && "placed".equals(e.fromStatus()) && "open".equals(e.toStatus());
    if ("end".equals(f.decision()) || replaced) {
      line.put("Timing", replaced ? "early" : f.detail() == null ? "no_agreed_end" : f.detail());
      Emf.metric(line, Metric.STAYS_ENDED, 1);
    }
    if ("checkin".equals(f.decision())) {
      String outcome = ReasonCodes.safe(e.reason());
      boolean incident = outcome != null && outcome.startsWith("incident_");
      ObjectNode counted = line;
      counted.put("Outcome", incident ? "incident" : bounded(outcome == null ? "" : outcome));
      Emf.metric(counted, Metric.CHECK_INS, 1);
      if (incident) {
        counted.put("Category", outcome.substring("incident_".length()))
            .put("Severity", f.detail() == null ? "unknown" : bounded(f.detail()));
        Emf.metric(counted, Metric.INCIDENTS, 1);
      }
    }
  }

  /**
   * The chain's figures: how long the step this event completes waited at the organisation that took it, and
   * handovers (the sender's figure on this line, the receiver's on a line of its own).
   */
  private static void addChain(ObjectNode line, CaseEvent e, List<ObjectNode> extra) {
    ChainFacts f = e.chain();
    var actor = PARTNER.matcher(e.actor() == null ? "" : e.actor());
    if (e.changesStatus() && f.step() != null && f.waitedSince() != null && actor.matches()) {
      Step step = Programmes.of(f.programme()).step(f.step());
      boolean matchStep = step != null && step.subject() == Step.Subject.MATCH;
      if (!matchStep || "host".equals(e.kind().wire())) {
        line.put("Partner", actor.group(1)).put("Step", f.step());
        Emf.metric(line, Metric.STEP_WAIT_TIME, Math.max(0, Duration.between(f.waitedSince(), e.at()).toSeconds()));
      }
    }
    String outcome = CaseEvent.ASSIGNED.equals(e.type()) && f.handoverId() != null ? "accepted"
        : CaseEvent.HANDOVER_REFUSED.equals(e.type()) ? "refused" : null;
    if (outcome != null) {
      line.put("Partner", f.handoverFrom()).put("Direction", "out").put("Outcome", outcome);
      Emf.metric(line, Metric.HANDOVERS, 1);
      ObjectNode in = JsonLog.line("INFO", "handover");
      in.put("correlationId", e.caseId()).put("handoverId", f.handoverId()).put("role", f.handoverRole());
      in.put("Partner", f.handoverTo()).put("Direction", "in").put("Outcome", outcome);
      Emf.metric(in, Metric.HANDOVERS, 1);
      extra.add(in);
    }
  }

  private static void sinceRegistration(ObjectNode line, CaseEvent e, Metric metric) {
    if (e.registeredAt() != null) {
      Emf.metric(line, metric, Math.max(0, Duration.between(e.registeredAt(), e.at()).toSeconds()));
    }
  }

  /** A reason code as a dimension value; anything unexpected counts as {@code other} (bounded values). */
  private static String bounded(String reason) {
    return reason.matches("[a-z_]{1,40}") ? reason : "other";
  }
}
