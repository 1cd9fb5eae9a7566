package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.core.storage.Attr;

/**
 * The stay, until it ends: with a place of their own, back to matching (at the front of the queue), a return,
 * or otherwise. The host becomes matchable again. Until then its agreed end may be moved, later or earlier, as a
 * decision with a reason ({@code extend}, {@code shorten}).
 */
public final class StayStep extends MatchStep {
  public static final String KEY = "stay";
  public static final String NEEDS_NEW_PLACE = "needs_new_place";
  public static final String EXTEND = "extend";
  public static final String SHORTEN = "shorten";
  /** System decisions of the clock ({@link StayWatch}): the end is near; the end has passed with no end recorded. */
  public static final String ENDING_SOON = "ending_soon";
  public static final String PAST_END = "past_end";
  public static final String PAST_END_ALERT = "stay_past_agreed_end";
  /** The clock's check-in notice, and the support organisation's record of a check-in. */
  public static final String CHECKIN_DUE = "checkin_due";
  public static final String CHECKIN = "checkin";
  /** How a check-in went: fine, concerns, or an incident of a category (the category is in the code). */
  public static final List<String> CHECKIN_OUTCOMES = List.of("ok", "concerns", "incident_safety", "incident_health",
      "incident_conflict", "incident_exploitation", "incident_living_conditions", "incident_other");
  /** Incidents that alert the leads and the support organisation at once. */
  public static final Set<String> ALERTING = Set.of("incident_safety", "incident_exploitation");
  public static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");
  public static final String INCIDENT_ALERT = "incident";
  /** What comes after the stay, recorded before its end: the support organisation or a reviewer decides it. */
  public static final String NEXT = "next_step";
  public static final List<String> NEXT_STEPS = List.of("own_home", "returned", "rematch", "extension_asked",
      Decision.OTHER);
  /** Why a stay ended when an incident started an urgent re-placement. */
  public static final String URGENT_REPLACEMENT = "urgent_replacement";

  public StayStep(Role role) {
    super(KEY, "The stay, and how it ends", role);
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return status == GuestStatus.PLACED || status == HostStatus.HOSTING;
  }

  @Override
  public List<Decision> decisions() {
    return List.of(new Decision("end", List.of("own_home", NEEDS_NEW_PLACE, "returned", Decision.OTHER), true,
        "needs_new_place: the household back in the pool at the front; otherwise its case closes. The host is "
            + "matchable again", WebhookEvent.PLACEMENT_ENDED),
        new Decision(EXTEND, List.of("host_agreed", "waiting_for_home", "waiting_for_next_place", Decision.OTHER),
            true, "the stay goes on to its new agreed end, within the host's availability",
            WebhookEvent.PLACEMENT_END_CHANGED),
        new Decision(SHORTEN, List.of("host_circumstances", "household_moving", "conflict", Decision.OTHER), true,
            "the stay ends earlier, on its new agreed end", WebhookEvent.PLACEMENT_END_CHANGED),
        new Decision(ENDING_SOON, List.of(), false, "the clock, StayEndingSoonDays before the agreed end: the "
            + "support organisation and the leads prepare what comes next", WebhookEvent.STAY_ENDING_SOON, true),
        new Decision(PAST_END, List.of(), false, "the clock, the day after the agreed end passed with no end or "
            + "extension recorded: an alert to the support organisation and the leads", WebhookEvent.CASE_ALERT,
            true),
        new Decision(CHECKIN_DUE, List.of(), false, "the clock, CheckInDays after the move-in and then every "
            + "CheckInEveryDays: the support organisation checks in", WebhookEvent.STAY_CHECKIN_DUE, true),
        new Decision(NEXT, NEXT_STEPS, true, "what follows the agreed end, on record before it comes (for that end: "
            + "an extension asks for a new plan for the new end); told to the organisations on both cases",
            WebhookEvent.STAY_NEXT_STEP),
        new Decision(CHECKIN, CHECKIN_OUTCOMES, true, "on record; an incident has a severity; a safety or "
            + "exploitation incident alerts the leads and the support organisation at once; with replace, the stay "
            + "ends (urgent_replacement): the household back in matching at the front, the host back to screening "
            + "until its screening organisation clears it", WebhookEvent.CASE_ALERT));
  }

  /**
   * The support organisation's check-in ({@code POST /partner/matches/{id}/checkin}
   * {@code {reason: outcome, severity, text, replace}}): only the holder of the household's {@code guest_support}.
   * A check-in may be recorded more than once per stay; {@code idempotencyKey} (the request's header) makes a retry
   * answer alike instead of recording it twice ({@link ChainStore.Tx#claimRequestKey}).
   */
  public Decided checkIn(Chain chain, Actor actor, MatchView match, JsonNode body, String idempotencyKey) {
    MatchParties p = MatchParties.read(chain.store(), match);
    if (actor.isPartner() && !p.guest().responsibility().holds(actor.partnerId(), Role.GUEST_SUPPORT)) {
      throw Refused.forbidden("missing_role", "a check-in is recorded by the household's guest_support organisation");
    }
    String[] severity = new String[1];
    boolean[] replace = new boolean[1];
    Input in = input(body, CHECKIN, fields -> {
      String outcome = body == null ? null : body.path("reason").asText(null);
      boolean incident = outcome != null && outcome.startsWith("incident_");
      severity[0] = fields.oneOf("severity", incident, new java.util.LinkedHashSet<>(SEVERITIES));
      if (!incident && severity[0] != null) {
        fields.error("severity", nl.onderdak.core.validation.FieldError.Codes.INVALID_VALUE,
            "only an incident has a severity");
      }
      Boolean r = fields.bool("replace", false);
      replace[0] = Boolean.TRUE.equals(r);
      if (replace[0] && !incident) {
        fields.error("replace", nl.onderdak.core.validation.FieldError.Codes.INVALID_VALUE,
            "an urgent re-placement follows an incident");
      }
    });
    MatchView m = p.match();
    String seen = chain.store().requestKeySubject(actor, CHECKIN, idempotencyKey);
    if (seen != null) {
      if (!m.id().equals(seen)) {
        throw Refused.conflict("idempotency_key_reused", "this Idempotency-Key was sent with another match");
      }
      return new Decided(m.id(), m.status(), m, null, true); // a retry: recorded already
    }
    if (!"placed".equals(m.status())) {
      throw Refused.conflict("not_placed", "match " + m.id() + " is " + m.status() + "; check-ins are on a stay");
    }
    p.requireInMatch();
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    long recorded = m.num("checkInsRecorded") + 1;
    java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> attrs = Attr.item(
        "checkInsRecorded", recorded, "lastCheckInAt", tx.at().toString(), "lastCheckIn", in.reason());
    if (severity[0] != null) {
      attrs.put("lastIncident", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(Attr.item(
          "category", in.reason().substring("incident_".length()), "severity", severity[0], "at", tx.at().toString())));
    }
    if (replace[0]) {
      attrs.put("endReason", Attr.s(URGENT_REPLACEMENT));
    }
    tx.write(MatchWrites.update(chain.store().tables(), m, replace[0] ? "ended" : null, actor, tx.at(), attrs, null));
    tx.claimRequestKey(actor, CHECKIN, idempotencyKey, m.id());
    if (in.text() != null) {
      tx.write(MatchWrites.text(chain.store().tables(), m, CHECKIN + "#" + tx.at(), in.text(), actor, tx.at(),
          chain.store().retention()));
    }
    Set<String> told = supportAndLeads(p);
    CaseChange guest = CaseChange.of(p.guest()).decision(this, CHECKIN, in.reason()).by(actor, Role.GUEST_SUPPORT)
        .aboutMatch(m.id()).counterpart(p.host().id()).notify(told)
        .matchContext(stayContext(m, m.num("checkInsDue") > recorded)).detail(severity[0]);
    CaseChange host = CaseChange.of(p.host()).decision(this, CHECKIN, in.reason()).by(actor, Role.GUEST_SUPPORT)
        .aboutMatch(m.id()).counterpart(p.guest().id()).notify(told).detail(severity[0]);
    if (replace[0]) {
      // The household first in the next run; the host out of every pool until it is screened again.
      guest.to(GuestStatus.OPEN).leaveMatch().frontOfQueue();
      host.to(HostStatus.SCREENING).leaveMatch();
    }
    tx.change(guest);
    tx.change(host);
    tx.commit();
    return new Decided(m.id(), replace[0] ? "ended" : "placed", chain.store().match(m.id()), tx.at(), false);
  }

  /**
   * The clock's notice that a check-in is due: an event on both cases, the mark on the match ({@code checkInsDue},
   * how many were noticed), told to the household's support organisation.
   */
  public boolean checkInDue(Chain chain, MatchView match, long number) {
    MatchParties p = MatchParties.read(chain.store(), match);
    MatchView m = p.match();
    if (!"placed".equals(m.status()) || m.num("checkInsDue") >= number) {
      return false;
    }
    String support = p.guest().responsibility().holder(Role.GUEST_SUPPORT);
    return clockDecision(chain, p, CHECKIN_DUE, Attr.item("checkInsDue", number,
        "checkInDueSince", chain.clock().instant().toString()), support == null ? Set.of() : Set.of(support), true);
  }

  /**
   * A stay waits on the household's support organisation while a check-in is due ({@link MatchContext#checkInDue}):
   * it is in that organisation's queue until it records it.
   */
  @Override
  public Set<Role> waitsOn(CaseView c, Set<Role> held, String partnerId, MatchContext match) {
    return match.checkInDue() && c.kind() == nl.onderdak.core.model.CaseKind.GUEST && held.contains(Role.GUEST_SUPPORT)
        ? java.util.EnumSet.of(Role.GUEST_SUPPORT) : java.util.EnumSet.noneOf(Role.class);
  }

  /** The stay's waiting context after a change that leaves its check-ins as they are. */
  private static MatchContext stayContext(MatchView m, boolean due) {
    return new MatchContext(m.acceptedBy(), Set.of(), due);
  }

  /** A stay that ends within this many days before its agreed end ended as agreed; earlier, it broke down. */
  public static final int AS_AGREED_DAYS = 7;

  /**
   * Whether a stay ends well before its agreed end ({@code early}: it broke down), around it ({@code as_agreed}: in
   * the last {@link #AS_AGREED_DAYS} days up to the end) or after it ({@code late}); null without an agreed end.
   */
  static String timing(MatchView m, LocalDate today) {
    String end = m.str("agreedEndDate");
    if (end == null) {
      return null;
    }
    LocalDate agreed = LocalDate.parse(end);
    return today.isAfter(agreed) ? "late" : today.isBefore(agreed.minusDays(AS_AGREED_DAYS)) ? "early" : "as_agreed";
  }

  /** Who hears of the stay's clock: the household's support organisation and the lead of each case. */
  static Set<String> supportAndLeads(MatchParties p) {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (CaseView c : List.of(p.guest(), p.host())) {
      String lead = c.responsibility().holder(c.caseType().lead());
      if (lead != null) {
        out.add(lead);
      }
    }
    String support = p.guest().responsibility().holder(Role.GUEST_SUPPORT);
    if (support != null) {
      out.add(support);
    }
    return out;
  }

  /**
   * The clock's decision on a stay ({@link #ENDING_SOON} or {@link #PAST_END}): an event on both cases and the mark
   * on the match that it was taken ({@code endingSoonAt}, {@code pastEndAt}), once per agreed end: a stay extended
   * afterwards is told again for its new end.
   *
   * @return false when it was taken for this end already, or the stay changed meanwhile
   */
  public boolean clock(Chain chain, MatchView match, String decision) {
    MatchParties p = MatchParties.read(chain.store(), match);
    MatchView m = p.match();
    String mark = ENDING_SOON.equals(decision) ? "endingSoonFor" : "pastEndFor";
    String end = m.str("agreedEndDate");
    if (!"placed".equals(m.status()) || end == null || end.equals(m.str(mark))) {
      return false;
    }
    return clockDecision(chain, p, decision, Attr.item(mark, end), supportAndLeads(p), ChainStore.checkInDue(m));
  }

  /**
   * One of the clock's decisions on a placed stay, in one transaction: the mark on the match (conditioned on its
   * version), an event on both cases, told to these organisations.
   *
   * @param checkInDue whether a check-in waits on the support organisation after it (its queue row)
   * @return false when the stay changed meanwhile (ended, extended, decided): the next run looks again
   */
  private boolean clockDecision(Chain chain, MatchParties p, String decision,
      java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> mark, Set<String> told,
      boolean checkInDue) {
    MatchView m = p.match();
    Actor clock = Actor.system("stay_clock");
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, null, clock, tx.at(), mark, null));
    tx.change(CaseChange.of(p.guest()).decision(this, decision, null).by(clock, null).aboutMatch(m.id())
        .counterpart(p.host().id()).notify(told).matchContext(stayContext(m, checkInDue)));
    tx.change(CaseChange.of(p.host()).decision(this, decision, null).by(clock, null).aboutMatch(m.id())
        .counterpart(p.guest().id()).notify(told));
    try {
      tx.commit();
      return true;
    } catch (Refused conflict) {
      return false;
    }
  }

  /**
   * Moves a stay's agreed end ({@code POST /partner/matches/{id}/stay} {@code {agreedEndDate, reason, text}}): later
   * is an extension, earlier a shortening, each with its own reasons; not before today, not after the host's
   * availability. The same date again is said twice.
   */
  public Decided changeEnd(Chain chain, Actor actor, MatchView match, JsonNode body) {
    MatchParties p = MatchParties.read(chain.store(), match);
    requireRole(actor, p);
    MatchView m = p.match();
    String current = m.str("agreedEndDate");
    String asked = body == null ? null : body.path("agreedEndDate").asText(null);
    String decision = current == null || asked == null || asked.compareTo(current) >= 0 ? EXTEND : SHORTEN;
    LocalDate today = LocalDate.ofInstant(chain.clock().instant(), ZoneOffset.UTC);
    LocalDate availableUntil = PlacementStep.availableUntil(p.host());
    LocalDate[] end = new LocalDate[1];
    Input in = input(body, decision, fields -> {
      end[0] = fields.date("agreedEndDate", true, today, LocalDate.of(2100, 1, 1));
      if (end[0] != null && availableUntil != null && end[0].isAfter(availableUntil)) {
        fields.error("agreedEndDate", nl.onderdak.core.validation.FieldError.Codes.OUT_OF_RANGE,
            "within the host's availability: " + availableUntil + " or earlier");
      }
    });
    if (!"placed".equals(m.status())) {
      throw Refused.conflict("not_placed", "match " + m.id() + " is " + m.status() + "; only a stay's end is moved");
    }
    if (end[0].toString().equals(current)) {
      return new Decided(m.id(), m.status(), m, null, true);
    }
    p.requireInMatch();
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, null, actor, tx.at(),
        Attr.item("agreedEndDate", end[0].toString(), "previousEndDate", current), null));
    if (in.text() != null) {
      // One text per change of the end (a stay may be extended more than once).
      tx.write(MatchWrites.text(chain.store().tables(), m, decision + "#" + tx.at(), in.text(), actor, tx.at(),
          chain.store().retention()));
    }
    Set<String> told = p.told();
    tx.change(CaseChange.of(p.guest()).decision(this, decision, in.reason()).by(actor, role()).aboutMatch(m.id())
        .counterpart(p.host().id()).notify(told).matchContext(stayContext(m, ChainStore.checkInDue(m))));
    tx.change(CaseChange.of(p.host()).decision(this, decision, in.reason()).by(actor, role()).aboutMatch(m.id())
        .counterpart(p.guest().id()).notify(told));
    tx.commit();
    return new Decided(m.id(), "placed", chain.store().match(m.id()), tx.at(), false);
  }

  /**
   * What comes after the stay ({@code POST /partner/matches/{id}/next} {@code {reason, text}}), recorded for its
   * current agreed end by the household's support organisation or a placement reviewer of either side. The same
   * step again is said twice; another one replaces it, on record.
   */
  public Decided planNext(Chain chain, Actor actor, MatchView match, JsonNode body) {
    MatchParties p = MatchParties.read(chain.store(), match);
    if (actor.isPartner() && !p.guest().responsibility().holds(actor.partnerId(), Role.GUEST_SUPPORT)
        && !p.guest().responsibility().holds(actor.partnerId(), role())
        && !p.host().responsibility().holds(actor.partnerId(), role())) {
      throw Refused.forbidden("missing_role", "the next step is recorded by the household's guest_support or a "
          + "placement_review organisation of " + match.id());
    }
    Input in = input(body, NEXT, null);
    MatchView m = p.match();
    if (!"placed".equals(m.status())) {
      throw Refused.conflict("not_placed", "match " + m.id() + " is " + m.status() + "; a next step follows a stay");
    }
    String end = m.str("agreedEndDate");
    if (in.reason().equals(m.str("nextStep")) && java.util.Objects.equals(end, m.str("nextStepFor"))
        && in.text() == null) {
      return new Decided(m.id(), m.status(), m, null, true);
    }
    p.requireInMatch();
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, null, actor, tx.at(),
        Attr.item("nextStep", in.reason(), "nextStepFor", end == null ? "none" : end, "nextStepAt",
            tx.at().toString()), null));
    if (in.text() != null) {
      tx.write(MatchWrites.text(chain.store().tables(), m, NEXT + "#" + tx.at(), in.text(), actor, tx.at(),
          chain.store().retention()));
    }
    Role as = p.guest().responsibility().holds(actor.partnerId(), Role.GUEST_SUPPORT) ? Role.GUEST_SUPPORT : role();
    Set<String> told = p.told();
    tx.change(CaseChange.of(p.guest()).decision(this, NEXT, in.reason()).by(actor, actor.isPartner() ? as : null)
        .aboutMatch(m.id()).counterpart(p.host().id()).notify(told)
        .matchContext(stayContext(m, ChainStore.checkInDue(m))));
    tx.change(CaseChange.of(p.host()).decision(this, NEXT, in.reason()).by(actor, actor.isPartner() ? as : null)
        .aboutMatch(m.id()).counterpart(p.guest().id()).notify(told));
    tx.commit();
    return new Decided(m.id(), m.status(), chain.store().match(m.id()), tx.at(), false);
  }

  /** Whether the stay's next step is on record for its current agreed end. */
  public static boolean nextStepKnown(MatchView m) {
    String end = m.str("agreedEndDate");
    return m.str("nextStep") != null && java.util.Objects.equals(end == null ? "none" : end, m.str("nextStepFor"));
  }

  public Decided end(Chain chain, Actor actor, MatchView match, JsonNode body) {
    MatchParties p = MatchParties.read(chain.store(), match);
    requireRole(actor, p);
    Input in = input(body, "end", null);
    MatchView m = p.match();
    if (!"placed".equals(m.status())) {
      if ("ended".equals(m.status())) {
        return new Decided(m.id(), m.status(), m, null, true);
      }
      throw Refused.conflict("not_placed", "match " + m.id() + " is " + m.status() + "; only a placement can end");
    }
    p.requireInMatch();
    boolean again = NEEDS_NEW_PLACE.equals(in.reason());
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, "ended", actor, tx.at(),
        Attr.item("endReason", in.reason()), null));
    if (in.text() != null) {
      tx.write(MatchWrites.text(chain.store().tables(), m, "end", in.text(), actor, tx.at(), chain.store().retention()));
    }
    Set<String> told = p.told();
    String timing = timing(m, LocalDate.ofInstant(tx.at(), ZoneOffset.UTC));
    CaseChange guest = CaseChange.of(p.guest()).to(again ? GuestStatus.OPEN : GuestStatus.CLOSED)
        .decision(this, "end", in.reason()).by(actor, role()).aboutMatch(m.id()).leaveMatch()
        .counterpart(p.host().id()).notify(told).detail(timing);
    if (again) {
      guest.frontOfQueue();
    }
    tx.change(guest);
    tx.change(CaseChange.of(p.host()).to(HostStatus.APPROVED).decision(this, "end", in.reason()).by(actor, role())
        .aboutMatch(m.id()).leaveMatch().counterpart(p.guest().id()).notify(told).detail(timing));
    tx.commit();
    return new Decided(m.id(), "ended", chain.store().match(m.id()), tx.at(), false);
  }
}
