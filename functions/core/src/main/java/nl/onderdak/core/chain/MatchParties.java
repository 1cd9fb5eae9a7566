package nl.onderdak.core.chain;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A match and its two cases, read together (one batch), for a decision on the match. */
public record MatchParties(MatchView match, CaseView guest, CaseView host) {
  public static MatchParties read(ChainStore store, MatchView match) {
    if (match == null) {
      throw Refused.notFound();
    }
    Map<String, CaseView> both = store.caseViews(List.of(match.guestId(), match.hostId()));
    CaseView guest = both.get(match.guestId());
    CaseView host = both.get(match.hostId());
    if (guest == null || host == null) {
      throw Refused.notFound();
    }
    return new MatchParties(match, guest, host);
  }

  /** Both cases still in this match: a decision on a match whose household or host moved on is a conflict. */
  void requireInMatch() {
    if (!match.id().equals(guest.matchId()) || !match.id().equals(host.matchId())) {
      throw Refused.conflict("conflict", "the household or host of " + match.id() + " moved on; read the match again");
    }
  }

  /** Everyone responsible on either side: who hears of a decision on the match. */
  public Set<String> told() {
    return MatchWrites.union(guest.responsibility().partners(), host.responsibility().partners());
  }
}
