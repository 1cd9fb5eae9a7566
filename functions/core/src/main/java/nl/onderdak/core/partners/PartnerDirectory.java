package nl.onderdak.core.partners;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The partners by id, for naming the organisations on a case: read whole, again after 30 s, or at once for an id
 * it does not know (a partner onboarded a moment ago).
 */
public final class PartnerDirectory {
  private final PartnerStore partners;
  private final Clock clock;
  private volatile Map<String, Partner> byId = Map.of();
  private volatile Instant readAt = Instant.EPOCH;

  public PartnerDirectory(PartnerStore partners, Clock clock) {
    this.partners = partners;
    this.clock = clock;
  }

  /** A partner by id, or null. */
  public Partner find(String id) {
    Partner p = byId.get(id);
    if (p == null || clock.instant().isAfter(readAt.plusSeconds(30))) {
      Map<String, Partner> all = new HashMap<>();
      partners.all().forEach(x -> all.put(x.id(), x));
      byId = all;
      readAt = clock.instant();
      p = all.get(id);
    }
    return p;
  }
}
