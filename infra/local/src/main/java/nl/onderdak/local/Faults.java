package nl.onderdak.local;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import nl.onderdak.core.support.Secrets;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Faults the surge rehearsal injects into the local runtime, to show that nothing is lost when a
 * function fails. The function fails on a chosen share of stream records the first time it meets them
 * (as on a throttled write or a timeout of a call it makes) and reports that record as the batch's
 * first failure, as the handlers do: the mapping retries from there. Which records are chosen depends
 * only on the mapping and the sequence number, so two runs fail alike.
 *
 * <p>Reported, not thrown: a thrown error makes Lambda bisect the batch, and the first full-scale
 * rehearsal showed what that costs a consumer whose every invocation reads whole pools (matching): at
 * 2% of records, each 500-record batch became dozens of invocations.
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

  /** The index of the first record of the batch the function fails on now (chosen, not failed before), or -1. */
  int failsAt(String mapping, List<Record> batch) {
    if (streamRecordFailureRate == 0) {
      return -1;
    }
    for (int i = 0; i < batch.size(); i++) {
      String key = mapping + "|" + batch.get(i).dynamodb().sequenceNumber();
      if (chosen(key) && failedOnce.add(key)) {
        injected.incrementAndGet();
        return i;
      }
    }
    return -1;
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
