package nl.onderdak.core.chain;

import java.time.Instant;

/**
 * What a decision came to: the case or match it was about, where it stands now, and the match as it now
 * stands when there is one. {@code repeated} says the same decision had been taken before (nothing was written).
 */
public record Decided(String id, String status, MatchView match, Instant at, boolean repeated) {}
