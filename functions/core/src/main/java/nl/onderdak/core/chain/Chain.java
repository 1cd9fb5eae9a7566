package nl.onderdak.core.chain;

import java.time.Clock;

/**
 * What a step needs to take a decision: the store it writes through, the clock it reads, and the programme's
 * rules that are template parameters.
 *
 * @param minimumStayDays the shortest stay a host-family placement may agree on ({@code MINIMUM_STAY_DAYS})
 */
public record Chain(ChainStore store, Clock clock, int minimumStayDays) {
  public static final int DEFAULT_MINIMUM_STAY_DAYS = 14;

  public Chain(ChainStore store, Clock clock) {
    this(store, clock, DEFAULT_MINIMUM_STAY_DAYS);
  }
}
