package nl.onderdak.notifications;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * When a webhook that was not delivered is tried again: after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (the
 * 8th attempt is the last), or later if the endpoint asked for it ({@code Retry-After}), never beyond the 12 hours
 * SQS can hide a message. {@code scale} (1 in AWS) shrinks it, so that the local runtime and its tests can run a
 * day of retries in seconds.
 */
final class RetrySchedule {
  /** Waits after attempt 1, 2, ... 7. */
  static final List<Duration> WAITS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
      Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
  /** SQS hides a message for at most 12 hours. */
  static final Duration MAX_WAIT = Duration.ofHours(12);

  private final double scale;

  RetrySchedule(double scale) {
    this.scale = scale;
  }

  /** {@code WEBHOOK_RETRY_SCALE}, 1 when unset. */
  static RetrySchedule scaled(String scale) {
    return new RetrySchedule(scale == null || scale.isBlank() ? 1 : Double.parseDouble(scale.strip()));
  }

  /** No attempt follows this one. */
  boolean exhausted(int attempt) {
    return attempt > WAITS.size();
  }

  /** How long the message is hidden after this attempt, in (scaled) seconds. */
  int hideSeconds(int attempt, String retryAfter) {
    Duration wait = waitAfter(attempt, retryAfter);
    return (int) Math.min(MAX_WAIT.toSeconds(), Math.round(wait.toMillis() * scale / 1000.0));
  }

  /** The schedule's wait after this attempt, or longer if the endpoint asked for it (Retry-After). */
  static Duration waitAfter(int attempt, String retryAfter) {
    Duration scheduled = WAITS.get(Math.min(attempt, WAITS.size()) - 1);
    Duration asked = retryAfter(retryAfter);
    Duration wait = asked != null && asked.compareTo(scheduled) > 0 ? asked : scheduled;
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }

  /** Retry-After as seconds or as an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
  }
}
