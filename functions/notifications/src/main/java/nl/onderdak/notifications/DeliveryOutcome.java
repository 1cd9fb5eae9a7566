package nl.onderdak.notifications;

/**
 * What became of one delivery attempt, and so what follows: the outcome's name (log field and metric dimension),
 * the state the partner's webhook log shows, and whether the message is parked in the dead-letter queue (where it
 * stays retrievable and an operator can redrive it) or hidden for a retry.
 */
enum DeliveryOutcome {
  /** 2xx. */
  DELIVERED("delivered", "delivered", null),
  /** Anything else, while attempts remain: tried again after the schedule's wait. */
  RETRY("retry", "retrying", null),
  /** {@code 410 Gone}: the endpoint is disabled, and the message parked. */
  ENDPOINT_DISABLED("endpoint_disabled", "dead_lettered", "gone"),
  /** The last attempt failed. */
  DEAD_LETTERED("dead_lettered", "dead_lettered", "attempts_exhausted"),
  /** The endpoint was removed or disabled before the attempt: none is made. */
  ENDPOINT_UNAVAILABLE("endpoint_unavailable", "dead_lettered", null),
  /** The endpoint's address is one the policy forbids (now, or as it resolves now): none is made. */
  ENDPOINT_FORBIDDEN("endpoint_forbidden", "dead_lettered", "endpoint_forbidden");

  final String wire;
  final String state;
  final String parkReason;

  DeliveryOutcome(String wire, String state, String parkReason) {
    this.wire = wire;
    this.state = state;
    this.parkReason = parkReason;
  }

  /** Off the delivery queue (delivered or parked), not to be tried again. */
  boolean finished() {
    return this != RETRY;
  }

  boolean parks() {
    return "dead_lettered".equals(state);
  }

  /** The outcome of an attempt that was made: its status (null when none came: a timeout, no connection). */
  static DeliveryOutcome ofAnswer(Integer status, int attempt, RetrySchedule schedule) {
    if (status != null && status >= 200 && status < 300) {
      return DELIVERED;
    }
    if (status != null && status == 410) {
      return ENDPOINT_DISABLED;
    }
    return schedule.exhausted(attempt) ? DEAD_LETTERED : RETRY;
  }
}
