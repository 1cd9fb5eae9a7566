package nl.onderdak.core.chain;

import java.time.Duration;
import nl.onderdak.core.model.Regions;

/**
 * Every proposal not reviewed within the review time expires, which does what a decline does (both sides back
 * in the pool, the pair barred) through the programme's {@link ProposalReviewStep}. A proposal reviewed while
 * this runs keeps its review: the step refuses the expiry, and it is counted as reviewed meanwhile.
 */
public final class ProposalExpiry {
  private final Chain chain;
  private final Duration reviewTime;

  public ProposalExpiry(Chain chain, Duration reviewTime) {
    this.chain = chain;
    this.reviewTime = reviewTime;
  }

  public record Outcome(int expired, int reviewedMeanwhile) {}

  public Duration reviewTime() {
    return reviewTime;
  }

  public Outcome run() {
    var cutoff = chain.clock().instant().minus(reviewTime);
    int expired = 0;
    int raced = 0;
    for (String province : Regions.provinces().keySet()) {
      for (MatchView m : chain.store().proposedBefore(province, cutoff)) {
        try {
          ProposalReviewStep review = Programmes.of(m.str("hostProgramme")).step(ProposalReviewStep.class);
          review.expire(chain, chain.store().match(m.id()));
          expired++;
        } catch (Refused e) {
          raced++; // reviewed meanwhile: the review wins
        }
      }
    }
    return new Outcome(expired, raced);
  }
}
