package nl.onderdak.local;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import nl.onderdak.core.support.Secrets;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Faults the surge rehearsal injects into the local runtime, to show that nothing is lost when a
 * function fails. A chosen share of stream records makes the function fail the first time a batch
 * holding it is delivered (as a timeout or a throttled write would); Lambda's retry and bisection
 * (from the template's mapping settings) must then carry it through. Which records are chosen
 * depends only on the mapping and the sequence number, so two runs with one seed fail alike.
 */
public final class Faults {
  /** No faults: what every runtime but a rehearsal's runs with. */
  public static final Faults NONE = new Faults(0);

  private final double streamRecordFailureRate;
  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
  private final AtomicLong injected = new AtomicLong();

  /** @param streamRecordFailureRate the share of stream records (0 to 1) whose first delivery fails */
  public Faults(double streamRecordFailureRate) {
    if (!(streamRecordFailureRate >= 0 && streamRecordFailureRate <= 1)) {
      throw new IllegalArgumentException("a failure rate lies between 0 and 1, not " + streamRecordFailureRate);
    }
    this.streamRecordFailureRate = streamRecordFailureRate;
  }

  /** True when this delivery of the batch must fail: it holds a chosen record not failed before. */
  boolean failsNow(String mapping, List<Record> batch) {
    if (streamRecordFailureRate == 0) {
      return false;
    }
    for (Record r : batch) {
      String key = mapping + "|" + r.dynamodb().sequenceNumber();
      if (chosen(key) && failedOnce.add(key)) {
        injected.incrementAndGet();
        return true;
      }
    }
    return false;
  }

  private boolean chosen(String key) {
    long bucket = Long.parseLong(Secrets.sha256Hex(key).substring(0, 8), 16) % 1_000_000;
    return bucket < streamRecordFailureRate * 1_000_000;
  }

  /** How many function failures were injected so far. */
  public long injected() {
    return injected.get();
  }
}
