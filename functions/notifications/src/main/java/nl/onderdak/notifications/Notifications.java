package nl.onderdak.notifications;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.chain.Decision;
import nl.onderdak.core.chain.IntroductionStep;
import nl.onderdak.core.chain.MatchView;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.chain.Quarantine;
import nl.onderdak.core.chain.ReasonCodes;
import nl.onderdak.core.chain.StayStep;
import nl.onderdak.core.chain.Step;
import nl.onderdak.core.chain.WithdrawalStep;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.events.ChainFacts;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.WebhookEvent;

/**
 * Which webhooks a case event becomes, with their thin payloads (ids, codes, times: personal details only
 * through the partner API), and for whom. The recipients are the ones the event names ({@code notify}: who was
 * responsible for the case when it changed), so an organisation is told only of cases it is responsible for; the
 * webhook type is the one the step's decision declares.
 *
 * <p>A match changes two cases at once, each with its own event; only the host's event speaks for the match, so
 * each match event is sent once.
 */
final class Notifications {
  private final MatchStore matches;

  Notifications(MatchStore matches) {
    this.matches = matches;
  }

  /** One webhook to send: its type, data, and who receives it. */
  record Notice(String type, ObjectNode data, List<Partner> recipients) {}

  /** The match ids whose items {@link #of} will want for these events (read together, ahead). */
  static java.util.Set<String> matchesWanted(List<CaseEvent> events) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (CaseEvent e : events) {
      if (e.kind() == CaseKind.HOST && e.matchId() != null && e.chain().step() != null
          && !WithdrawalStep.KEY.equals(e.chain().step())) {
        out.add(e.matchId());
      }
    }
    return out;
  }

  /** @param known match items read ahead, by id; a match not among them is read on its own */
  List<Notice> of(CaseEvent e, Map<String, Partner> partners, Map<String, MatchView> known) {
    List<Notice> out = new ArrayList<>();
    ChainFacts f = e.chain();
    if (f.held()) {
      return out; // a case held as possibly fake (Quarantine) reaches no organisation until it is released
    }
    switch (e.type()) {
      case Quarantine.RELEASED -> released(e, partners, out);
      case CaseEvent.REGISTERED -> {
        assigned(e, partners, out);
        if (e.kind() == CaseKind.HOST && "screening".equals(e.toStatus())) {
          screeningRequested(e, partners, out);
        }
      }
      case CaseEvent.ASSIGNED -> {
        assigned(e, partners, out);
        if (f.handoverId() != null) {
          add(out, WebhookEvent.CASE_HANDOVER_DECIDED, handover(e).put("decision", "accepted"), partners,
              Set.of(f.handoverFrom()));
        }
      }
      case CaseEvent.HANDOVER_REQUESTED -> add(out, WebhookEvent.CASE_HANDOVER_REQUESTED,
          handover(e).put("reason", ReasonCodes.safe(e.reason())), partners, Set.of(f.handoverTo()));
      case CaseEvent.HANDOVER_REFUSED -> add(out, WebhookEvent.CASE_HANDOVER_DECIDED,
          handover(e).put("decision", "refused").put("reason", ReasonCodes.safe(e.reason())), partners,
          Set.of(f.handoverFrom()));
      default -> decision(e, partners, out, known);
    }
    return out;
  }

  /**
   * A case released from quarantine. One held from its registration (the form's hidden field) was never told to
   * anyone: its holders get the {@code case.assigned} (and a host's screener the {@code host.screening_requested})
   * they would have had then. One an operator held later had been told at registration already: nothing new.
   */
  private static void released(CaseEvent e, Map<String, Partner> partners, List<Notice> out) {
    if (!Quarantine.FORM_HONEYPOT.equals(e.reason())) {
      return;
    }
    Map<String, List<String>> byPartner = new LinkedHashMap<>();
    e.chain().responsible().forEach((role, partner) -> byPartner.computeIfAbsent(partner, k -> new ArrayList<>()).add(role));
    byPartner.forEach((partner, roles) -> add(out, WebhookEvent.CASE_ASSIGNED, assignedData(e, roles, "release"),
        partners, Set.of(partner)));
    if (e.kind() == CaseKind.HOST && "screening".equals(e.toStatus())) {
      screeningRequested(e, partners, out);
    }
  }

  private static void screeningRequested(CaseEvent e, Map<String, Partner> partners, List<Notice> out) {
    String screener = e.chain().responsible().get("screening");
    ObjectNode data = Json.object().put("hostId", e.caseId()).put("region", e.region())
        .put("registeredAt", (e.registeredAt() == null ? e.at() : e.registeredAt()).toString());
    add(out, WebhookEvent.HOST_SCREENING_REQUESTED, data, partners, screener == null ? Set.of() : Set.of(screener));
  }

  /** A decision of a step: the webhook its decision declares, to the organisations the event names. */
  private void decision(CaseEvent e, Map<String, Partner> partners, List<Notice> out,
      Map<String, MatchView> known) {
    ChainFacts f = e.chain();
    Step step = f.step() == null ? null : Programmes.of(programmeOf(e)).step(f.step());
    Decision d = step == null ? null : step.decision(f.decision());
    if (d == null || d.webhook() == null) {
      return;
    }
    if (step instanceof WithdrawalStep) {
      if (WithdrawalStep.AVAILABILITY_ENDED.equals(f.decision())) {
        add(out, WebhookEvent.CASE_ALERT, Json.object().put("alert", WithdrawalStep.AVAILABILITY_ENDED_ALERT)
            .put("caseId", e.caseId()).put("kind", e.kind().wire()).put("region", e.region())
            .put("from", e.fromStatus()).put("to", e.toStatus()), partners, f.told());
      } else if ("withdraw".equals(f.decision())) {
        ObjectNode data = Json.object().put("alert", WithdrawalStep.alertFor(e.fromStatus())).put("caseId", e.caseId())
            .put("kind", e.kind().wire()).put("region", e.region()).put("from", e.fromStatus()).put("to", e.toStatus())
            .put("reason", ReasonCodes.safe(e.reason()));
        if (e.matchId() != null) {
          data.put("matchId", e.matchId()).put("matchStatus", "cancelled");
        }
        add(out, WebhookEvent.CASE_ALERT, data, partners, f.told());
      }
      return;
    }
    if (e.kind() != CaseKind.HOST || e.matchId() == null) {
      return; // the host's event speaks for the match
    }
    MatchView match = known.containsKey(e.matchId()) ? known.get(e.matchId())
        : MatchView.of(matches.match(e.matchId()));
    if (match == null) {
      return;
    }
    String type = d.webhook();
    if (StayStep.CHECKIN.equals(f.decision())) {
      // A check-in tells nobody, but an incident that is a danger, or one that ends the stay, is an alert at once.
      boolean replaced = e.kind() == CaseKind.HOST && "screening".equals(e.toStatus());
      if (StayStep.ALERTING.contains(e.reason()) || replaced) {
        var incident = match.item().get("lastIncident");
        ObjectNode alert = matchAlert(StayStep.INCIDENT_ALERT, e, match)
            .put("category", ReasonCodes.safe(e.reason()).replace("incident_", ""))
            .put("severity", incident == null || !incident.hasM() ? null
                : nl.onderdak.core.storage.Attr.str(incident.m(), "severity"))
            .put("urgentReplacement", replaced);
        add(out, WebhookEvent.CASE_ALERT, alert, partners, f.told());
      }
      return;
    }
    if (StayStep.PAST_END.equals(f.decision())) {
      // The clocks' alerts on a match (a stay past its end, a trial past its date): an alert, not a match's change.
      add(out, WebhookEvent.CASE_ALERT, matchAlert(StayStep.PAST_END_ALERT, e, match)
          .put("agreedEndDate", match.str("agreedEndDate")), partners, f.told());
      return;
    }
    if (IntroductionStep.TRIAL_OVERDUE.equals(f.decision())) {
      add(out, WebhookEvent.CASE_ALERT, matchAlert(IntroductionStep.TRIAL_OVERDUE_ALERT, e, match)
          .put("decideBy", match.str("decideBy")), partners, f.told());
      return;
    }
    ObjectNode data = Json.object()
        .put("matchId", e.matchId())
        .put("guestId", match.guestId())
        .put("hostId", match.hostId())
        .put("region", match.region())
        .put("status", WebhookEvent.MATCH_INTRODUCED.equals(type) ? match.status() : matchStatus(type));
    switch (type) {
      case WebhookEvent.MATCH_PROPOSED -> {
        data.put("score", match.num("score"));
        if (match.json("scoreParts") != null) {
          data.set("scoreParts", match.json("scoreParts"));
        }
        if (match.json("reviewers") != null) {
          data.set("reviewers", match.json("reviewers"));
        }
        data.put("proposedAt", match.str("proposedAt"));
      }
      case WebhookEvent.MATCH_ACCEPTED -> data.put("next", stepOf(e)); // introduction, or placement
      case WebhookEvent.MATCH_DECLINED, WebhookEvent.MATCH_EXPIRED ->
          data.put("reason", ReasonCodes.safe(e.reason()));
      case WebhookEvent.MATCH_INTRODUCED -> {
        data.put("outcome", f.decision()).put("reason", ReasonCodes.safe(e.reason()));
        if (IntroductionStep.TRIAL.equals(f.decision())) {
          data.put("decideBy", match.str("decideBy"));
        }
      }
      case WebhookEvent.PLACEMENT_CONFIRMED -> data.put("moveInDate", match.str("moveInDate"))
          .put("agreedEndDate", match.str("agreedEndDate"));
      case WebhookEvent.STAY_ENDING_SOON -> data.put("agreedEndDate", match.str("agreedEndDate"))
          .put("nextStep", StayStep.nextStepKnown(match) ? match.str("nextStep") : null);
      case WebhookEvent.STAY_NEXT_STEP -> data.put("agreedEndDate", match.str("agreedEndDate"))
          .put("nextStep", ReasonCodes.safe(e.reason()));
      case WebhookEvent.STAY_CHECKIN_DUE -> data.put("checkIn", match.num("checkInsDue"))
          .put("moveInDate", match.str("moveInDate"));
      case WebhookEvent.PLACEMENT_END_CHANGED -> data.put("agreedEndDate", match.str("agreedEndDate"))
          .put("decision", e.chain().decision()).put("reason", ReasonCodes.safe(e.reason()));
      case WebhookEvent.PLACEMENT_ENDED -> data.put("reason", ReasonCodes.safe(e.reason()));
      default -> { }
    }
    add(out, type, data, partners, f.told());
  }

  /** An alert about a match's household: its ids and region. */
  private static ObjectNode matchAlert(String alert, CaseEvent e, MatchView match) {
    return Json.object().put("alert", alert).put("caseId", match.guestId()).put("kind", "guest")
        .put("region", match.region()).put("matchId", e.matchId()).put("hostId", match.hostId());
  }

  /** One {@code case.assigned} per organisation the event made responsible, with the roles it now holds. */
  private static void assigned(CaseEvent e, Map<String, Partner> partners, List<Notice> out) {
    Map<String, List<String>> byPartner = new LinkedHashMap<>();
    e.chain().assigned().forEach((role, partner) -> byPartner.computeIfAbsent(partner, k -> new ArrayList<>()).add(role));
    byPartner.forEach((partner, roles) -> add(out, WebhookEvent.CASE_ASSIGNED,
        assignedData(e, roles, e.chain().assignedHow().get(roles.get(0))), partners, Set.of(partner)));
  }

  private static ObjectNode assignedData(CaseEvent e, List<String> roles, String how) {
    ObjectNode data = Json.object().put("caseId", e.caseId()).put("kind", e.kind().wire())
        .put("programme", programmeOf(e)).put("region", e.region()).put("status", e.toStatus())
        .put("step", stepOf(e));
    ArrayNode r = data.putArray("roles");
    roles.forEach(r::add);
    data.put("how", how);
    return data;
  }

  private static ObjectNode handover(CaseEvent e) {
    ChainFacts f = e.chain();
    return Json.object().put("caseId", e.caseId()).put("kind", e.kind().wire()).put("region", e.region())
        .put("status", e.toStatus()).put("handoverId", f.handoverId()).put("role", f.handoverRole())
        .put("from", f.handoverFrom()).put("to", f.handoverTo());
  }

  private static void add(List<Notice> out, String type, ObjectNode data, Map<String, Partner> partners,
      Set<String> ids) {
    List<Partner> recipients = new ArrayList<>();
    ids.forEach(id -> {
      Partner p = id == null ? null : partners.get(id);
      if (p != null) {
        recipients.add(p);
      }
    });
    if (!recipients.isEmpty()) {
      out.add(new Notice(type, data, recipients));
    }
  }

  private static String programmeOf(CaseEvent e) {
    return e.chain().programme() == null ? Programmes.HOST_FAMILY_ID : e.chain().programme();
  }

  /** The step the case is in after the event. */
  private static String stepOf(CaseEvent e) {
    if (e.chain().caseType() == null) {
      return null;
    }
    var programme = Programmes.of(programmeOf(e));
    Step s = programme.currentStep(programme.type(e.chain().caseType()),
        nl.onderdak.core.model.CaseStatus.fromWire(e.kind(), e.toStatus()));
    return s == null ? null : s.key();
  }

  private static String matchStatus(String type) {
    return switch (type) {
      case WebhookEvent.MATCH_PROPOSED -> "proposed";
      case WebhookEvent.MATCH_ACCEPTED -> "accepted";
      case WebhookEvent.MATCH_DECLINED -> "declined";
      case WebhookEvent.MATCH_EXPIRED -> "expired";
      case WebhookEvent.PLACEMENT_CONFIRMED, WebhookEvent.PLACEMENT_END_CHANGED, WebhookEvent.STAY_ENDING_SOON,
          WebhookEvent.STAY_CHECKIN_DUE, WebhookEvent.STAY_NEXT_STEP -> "placed";
      default -> "ended";
    };
  }
}
