package nl.onderdak.core.partners;

import java.util.List;

/** The webhook event types partners can subscribe to (Standard Webhooks {@code type}). */
public final class WebhookEvent {
  public static final String HOST_SCREENING_REQUESTED = "host.screening_requested";
  public static final String MATCH_PROPOSED = "match.proposed";
  public static final String MATCH_ACCEPTED = "match.accepted";
  public static final String MATCH_DECLINED = "match.declined";
  public static final String MATCH_EXPIRED = "match.expired";
  /** The introduction's outcome: go (the placement is next), no_go (both back in the pool), or a trial stay. */
  public static final String MATCH_INTRODUCED = "match.introduced";
  public static final String PLACEMENT_CONFIRMED = "placement.confirmed";
  public static final String PLACEMENT_ENDED = "placement.ended";
  /** A check-in on a stay is due: the household's support organisation visits or calls, and records how it goes. */
  public static final String STAY_CHECKIN_DUE = "stay.checkin_due";
  /** A stay's agreed end is near (StayEndingSoonDays before it): its next step should be prepared now. */
  public static final String STAY_ENDING_SOON = "stay.ending_soon";
  /** What follows a stay was recorded before its end (own home, a return, a new place, an extension asked). */
  public static final String STAY_NEXT_STEP = "stay.next_step";
  /** A stay's agreed end was moved: extended or shortened, with a reason. */
  public static final String PLACEMENT_END_CHANGED = "placement.end_changed";
  public static final String CASE_ALERT = "case.alert";
  /** An organisation was made responsible for roles on a case (by the routing, or by an accepted handover). */
  public static final String CASE_ASSIGNED = "case.assigned";
  /** Another organisation asks this one to take a role on a case over. */
  public static final String CASE_HANDOVER_REQUESTED = "case.handover_requested";
  /** The receiver accepted or refused a handover this organisation asked for. */
  public static final String CASE_HANDOVER_DECIDED = "case.handover_decided";

  public static final List<String> ALL = List.of(HOST_SCREENING_REQUESTED, MATCH_PROPOSED, MATCH_ACCEPTED,
      MATCH_DECLINED, MATCH_EXPIRED, MATCH_INTRODUCED, PLACEMENT_CONFIRMED, PLACEMENT_END_CHANGED, STAY_CHECKIN_DUE, STAY_ENDING_SOON, STAY_NEXT_STEP, PLACEMENT_ENDED, CASE_ALERT, CASE_ASSIGNED,
      CASE_HANDOVER_REQUESTED, CASE_HANDOVER_DECIDED);

  private WebhookEvent() {}
}
