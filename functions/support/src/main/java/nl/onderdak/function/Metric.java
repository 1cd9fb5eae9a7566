package nl.onderdak.function;

import java.util.List;

/**
 * Every metric Onderdak emits, in CloudWatch namespace {@value Emf#NAMESPACE}: its name, unit and
 * dimensions. The one catalogue the handlers, the dashboards, the alarms and {@code docs/operations.md}
 * agree on (tests hold them to it).
 *
 * <p>Dimensions are few and their values bounded (12 provinces, two kinds, the fixed reason codes), because
 * each combination is a custom metric that costs money every month; case ids never become dimensions.
 */
public enum Metric {
  // The funnel, from the case events (each event counted once).
  REGISTRATIONS("Registrations", Unit.COUNT, "Kind", "Province"),
  SCREENINGS("Screenings", Unit.COUNT, "Decision"),
  PROPOSALS("Proposals", Unit.COUNT, "Province"),
  ACCEPTANCES("Acceptances", Unit.COUNT, "Province"),
  INTRODUCTIONS("Introductions", Unit.COUNT, "Outcome"),
  DECLINES("Declines", Unit.COUNT, "Reason"),
  PLACEMENTS("Placements", Unit.COUNT, "Province"),
  ENDS_OF_STAY("EndsOfStay", Unit.COUNT, "Reason"),
  WITHDRAWALS("Withdrawals", Unit.COUNT, "Kind"),
  TIME_TO_PROPOSAL("TimeToProposal", Unit.SECONDS),
  TIME_TO_PLACEMENT("TimeToPlacement", Unit.SECONDS),

  // Stays: how they end against their agreed end, the support organisations' check-ins and what they found, and
  // (gauges from the stays' clock, hourly) the stays ending soon and past their end.
  STAYS_ENDED("StaysEnded", Unit.COUNT, "Timing"),
  CHECK_INS("CheckIns", Unit.COUNT, "Outcome"),
  INCIDENTS("Incidents", Unit.COUNT, "Category", "Severity"),
  STAYS_ENDING_SOON("StaysEndingSoon", Unit.COUNT, "Province"),
  STAYS_ENDING_UNPLANNED("StaysEndingUnplanned", Unit.COUNT, "Province"),
  STAYS_PAST_END("StaysPastEnd", Unit.COUNT, "Province"),

  // The chain: how long a step waited at the organisation that took it, handovers, who holds what (gauges every
  // 15 minutes, per organisation: tens of them, a bounded dimension), and cases waiting with a role nobody holds.
  STEP_WAIT_TIME("StepWaitTime", Unit.SECONDS, "Partner", "Step"),
  HANDOVERS("Handovers", Unit.COUNT, "Partner", "Direction", "Outcome"),
  CASES_HELD("CasesHeld", Unit.COUNT, "Partner"),
  CASES_WAITING("CasesWaiting", Unit.COUNT, "Partner", "Step"),
  UNASSIGNED_CASES("UnassignedCases", Unit.COUNT),
  UNASSIGNED_BY_ROLE("UnassignedCasesByRole", Unit.COUNT, "Role"),

  // Matching runs.
  MATCHING_RUN_TIME("MatchingRunTime", Unit.MILLISECONDS),
  POOL_HOUSEHOLDS("PoolHouseholds", Unit.COUNT, "Province"),
  POOL_HOSTS("PoolHosts", Unit.COUNT, "Province"),
  MATCHING_LOST_RACES("MatchingLostRaces", Unit.COUNT),

  // Webhooks.
  WEBHOOK_DELIVERIES("WebhookDeliveries", Unit.COUNT, "Outcome"),
  WEBHOOK_DELIVERY_LAG("WebhookDeliveryLag", Unit.MILLISECONDS),
  PARTNER_ENDPOINTS_DISABLED("PartnerEndpointsDisabled", Unit.COUNT),

  // The regional picture, every 15 minutes per province (gauges).
  OPEN_HOUSEHOLDS("OpenHouseholds", Unit.COUNT, "Province"),
  APPROVED_HOSTS("ApprovedHosts", Unit.COUNT, "Province"),
  ACTIVE_PLACEMENTS("ActivePlacements", Unit.COUNT, "Province"),
  MEDIAN_WAIT_DAYS("MedianWaitDays", Unit.NONE, "Province"),
  PLACED_THIS_YEAR("PlacedThisYear", Unit.COUNT, "Province"),
  TARGET_THIS_YEAR("TargetThisYear", Unit.COUNT, "Province");

  /** The units CloudWatch knows, by their wire names. */
  public enum Unit {
    COUNT("Count"), SECONDS("Seconds"), MILLISECONDS("Milliseconds"), NONE("None");

    public final String wire;

    Unit(String wire) {
      this.wire = wire;
    }
  }

  public final String metricName;
  public final Unit unit;
  public final List<String> dimensions;

  Metric(String metricName, Unit unit, String... dimensions) {
    this.metricName = metricName;
    this.unit = unit;
    this.dimensions = List.of(dimensions);
  }
}
