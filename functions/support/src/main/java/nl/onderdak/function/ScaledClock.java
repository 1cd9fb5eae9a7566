package nl.onderdak.function;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import nl.onderdak.core.support.Env;

/**
 * Time that runs {@code speed} times faster than the wall clock from {@code origin} on: at the origin both read
 * the same, a real second later this one has moved {@code speed} seconds. The local runtime gives it to every
 * function when asked to ({@code ONDERDAK_SCALE_TIME=true} with {@code ONDERDAK_CLOCK_SPEED}), so that the whole
 * of a stay (check-ins after days, an agreed end after weeks) plays out in seconds against the same handlers. In
 * AWS the variables are never set and every function reads the system clock.
 *
 * <p>What must stay on the wall clock does not use it: a webhook's signature timestamp (a receiver checks it
 * against its own clock), and the form's tickets (a person's seconds at the keyboard).
 */
public final class ScaledClock extends Clock {
  /** How many times faster than the wall ({@code > 1}), and the instant both agree on (ISO-8601). */
  public static final String SPEED = "ONDERDAK_TIME_SPEED";
  public static final String ORIGIN = "ONDERDAK_TIME_ORIGIN";

  private final Instant origin;
  private final double speed;
  private final Clock wall;
  private final ZoneId zone;

  public ScaledClock(Instant origin, double speed, Clock wall) {
    this(origin, speed, wall, ZoneOffset.UTC);
  }

  private ScaledClock(Instant origin, double speed, Clock wall, ZoneId zone) {
    if (!(speed >= 1)) {
      throw new IllegalArgumentException("speed must be at least 1, not " + speed);
    }
    this.origin = origin;
    this.speed = speed;
    this.wall = wall;
    this.zone = zone;
  }

  /** The function's clock: scaled when the local runtime set both variables, else the system clock (UTC). */
  public static Clock fromEnv() {
    String speed = Env.get(SPEED);
    String origin = Env.get(ORIGIN);
    if (speed == null || speed.isBlank() || origin == null || origin.isBlank() || Double.parseDouble(speed) <= 1) {
      return Clock.systemUTC();
    }
    return new ScaledClock(Instant.parse(origin.strip()), Double.parseDouble(speed.strip()), Clock.systemUTC());
  }

  @Override
  public Instant instant() {
    long realMillis = wall.millis() - origin.toEpochMilli();
    return origin.plusMillis(Math.round(realMillis * speed));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId other) {
    return other.equals(zone) ? this : new ScaledClock(origin, speed, wall, other);
  }

  public double speed() {
    return speed;
  }
}
