package nl.onderdak.rehearsal;

/**
 * The rehearsal's clock: simulated time runs {@code speed} times faster than real time from the start.
 * The runtime's waits (proposal expiry, webhook retries, schedules) are scaled by the same factor, so that
 * what is measured in real time converts back to the process's own hours and days.
 */
final class SimClock {
  private final long startNanos = System.nanoTime();
  private final double speed;

  SimClock(double speed) {
    this.speed = speed;
  }

  double speed() {
    return speed;
  }

  /** Real milliseconds since the start. */
  long wallMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Simulated hours since the start. */
  double simHours() {
    return wallMillis() * speed / 3_600_000.0;
  }

  /** Real milliseconds that span this many simulated hours. */
  long wallMillisFor(double simHours) {
    return Math.round(simHours * 3_600_000.0 / speed);
  }

  /** Simulated hours that this many real milliseconds span. */
  double simHoursFor(long wallMillis) {
    return wallMillis * speed / 3_600_000.0;
  }
}
