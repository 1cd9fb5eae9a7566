package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import nl.onderdak.core.chain.ProposalExpiry;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * On a schedule: every proposal not reviewed within {@code PROPOSAL_REVIEW_MINUTES} expires ({@link ProposalExpiry}),
 * which does what a decline does and tells the partners ({@code match.expired}).
 * It takes the EventBridge event as a map: nothing in it is needed, and {@code ScheduledEvent} would
 * bring Joda-Time into the jar.
 */
public final class ProposalExpiryHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final ProposalExpiry expiry;

  public ProposalExpiryHandler() {
    this(Wiring.fromEnv());
  }

  private ProposalExpiryHandler(Wiring wiring) {
    this(wiring, reviewTime(wiring.get("PROPOSAL_REVIEW_MINUTES")));
    // SnapStart: one query of the proposals index that finds nothing (made before any proposal could exist).
    nl.onderdak.function.Priming.register("ProposalExpiryHandler",
        () -> wiring.chainStore().proposedBefore("PV26", java.time.Instant.EPOCH).iterator().hasNext());
  }

  ProposalExpiryHandler(Wiring wiring, Duration reviewTime) {
    this.expiry = new ProposalExpiry(wiring.chain(), reviewTime);
  }

  /** Minutes, fractions allowed (a rehearsal's fast clock makes 72 h a few seconds); 72 h when unset. */
  static Duration reviewTime(String minutes) {
    if (minutes == null || minutes.isBlank()) {
      return Duration.ofHours(72);
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(minutes.strip()) * 60_000));
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
    ProposalExpiry.Outcome outcome = expiry.run();
    ObjectNode line = JsonLog.line("INFO", "proposal expiry");
    line.put("expired", outcome.expired()).put("reviewedMeanwhile", outcome.reviewedMeanwhile())
        .put("reviewMinutes", expiry.reviewTime().toMinutes());
    JsonLog.write(line);
    return Map.of("expired", outcome.expired(), "reviewedMeanwhile", outcome.reviewedMeanwhile());
  }
}
