package nl.onderdak.rehearsal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The rehearsal's clock: simulated time runs {@code speed} times faster than real time from its origin. The local
 * runtime's functions run on the same clock (a {@code ScaledClock} from the same origin and speed), so what the
 * store records (registrations, proposals, move-ins, agreed ends) is simulated time, read here in simulated hours;
 * the runtime's real-time waits (webhook retries, the form's fill time) are what the rehearsal measures in real
 * milliseconds.
 */
final class SimClock {
  private final Instant origin;
  private final double speed;

  SimClock(double speed) {
    this(speed, Instant.now());
  }

  /** A clock from a given origin: the instant the runtime's own scaled clock agrees with the wall. */
  SimClock(double speed, Instant origin) {
    this.speed = speed;
    this.origin = origin;
  }

  double speed() {
    return speed;
  }

  Instant origin() {
    return origin;
  }

  /** Real milliseconds since the origin. */
  long wallMillis() {
    return System.currentTimeMillis() - origin.toEpochMilli();
  }

  /** Simulated hours since the origin. */
  double simHours() {
    return wallMillis() * speed / 3_600_000.0;
  }

  /** The simulated instant now: what the runtime's functions read as now. */
  Instant simInstant() {
    return origin.plusMillis(Math.round(wallMillis() * speed));
  }

  /** The simulated date now (UTC, as the functions see it). */
  LocalDate simDate() {
    return LocalDate.ofInstant(simInstant(), ZoneOffset.UTC);
  }

  /** Real milliseconds that span this many simulated hours. */
  long wallMillisFor(double simHours) {
    return Math.round(simHours * 3_600_000.0 / speed);
  }

  /** Simulated hours that this many real milliseconds span. */
  double simHoursFor(long wallMillis) {
    return wallMillis * speed / 3_600_000.0;
  }

  /** Simulated hours since the origin of an instant the store recorded (simulated time). */
  double simHoursAt(Instant recorded) {
    return Duration.between(origin, recorded).toMillis() / 3_600_000.0;
  }

  /** Real milliseconds since the origin at which the store's instant was simulated time. */
  long wallMillisAt(Instant recorded) {
    return Math.round(Duration.between(origin, recorded).toMillis() / speed);
  }

  /** Simulated hours between two instants the store recorded. */
  static double hoursBetween(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 3_600_000.0;
  }

  /** Real milliseconds from now until the simulated clock reads this instant (0 when it has passed). */
  long wallMillisUntil(Instant simulated) {
    return Math.max(0, Math.round(Duration.between(simInstant(), simulated).toMillis() / speed));
  }
}
