package nl.onderdak.local;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule ({@code rate(5 minutes)}), locally: invokes the function with the scheduled
 * event's JSON (as a map: the handlers take it so, which spares them Joda-Time) at that rate.
 * {@code cron(...)} expressions are not run locally.
 */
final class ScheduleTrigger implements AutoCloseable {
  private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
  private final String name;
  private final LocalFunction function;
  private final Duration every;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean paused;

  private final double speed;

  /** @param speed how much faster than real time to fire ({@code rate(5 minutes)} at 60: every 5 s) */
  ScheduleTrigger(String name, LocalFunction function, String expression, double speed) {
    this.speed = speed;
    Matcher m = RATE.matcher(expression.strip());
    if (!m.matches()) {
      throw new IllegalStateException(name + ": the local runtime runs rate(...) schedules only, not " + expression);
    }
    long n = Long.parseLong(m.group(1));
    this.every = m.group(2).startsWith("minute") ? Duration.ofMinutes(n)
        : m.group(2).startsWith("hour") ? Duration.ofHours(n) : Duration.ofDays(n);
    this.name = name;
    this.function = function;
    this.thread = new Thread(this::run, "schedule-" + name);
    this.thread.setDaemon(true);
  }

  String name() {
    return name;
  }

  Duration every() {
    return every;
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        // Not more often than every 5 s however fast the clock: each run scans pools, which costs.
        Thread.sleep(Math.max(Math.min(every.toMillis(), 5_000), Math.round(every.toMillis() / speed)));
        if (!paused) {
          fire();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (!running) {
          return; // stopping: the invocation was interrupted on purpose
        }
        // The invocation's own log line already says it failed; the schedule fires again next time, as in AWS.
        System.err.println("schedule " + name + " failed: " + e.getClass().getSimpleName());
      }
    }
  }

  /** No more invocations by the schedule ({@link #fire()} still invokes). */
  void pause() {
    paused = true;
  }

  /** One invocation now, as the schedule would make it. */
  Object fire() throws Exception {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.events");
    event.put("account", Intrinsics.ACCOUNT);
    event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", Intrinsics.REGION);
    event.put("resources", List.of("arn:aws:events:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT + ":rule/" + name));
    event.put("detail", Map.of());
    return function.invoke(event, "schedule", name);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
