package nl.onderdak.core.chain;

import java.time.Clock;

/** What a step needs to take a decision: the store it writes through and the clock it reads. */
public record Chain(ChainStore store, Clock clock) {}
