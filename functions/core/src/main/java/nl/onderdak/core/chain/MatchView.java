package nl.onderdak.core.chain;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A match as read from its item: who it joins, where it stands, who accepted it. No free text (a decline's or an
 * end's text is in the personal-data table).
 */
public record MatchView(String id, String status, long version, String guestId, String hostId, String region,
    String guestRegion, Set<String> acceptedBy, Map<String, AttributeValue> item) {
  public static final Set<String> ACTIVE = Set.of("proposed", "accepted", "placed");

  public static MatchView of(Map<String, AttributeValue> item) {
    if (item == null || item.isEmpty()) {
      return null;
    }
    AttributeValue accepted = item.get("acceptedBy");
    Set<String> acceptedBy = accepted == null || !accepted.hasSs() ? Set.of() : new LinkedHashSet<>(accepted.ss());
    return new MatchView(Attr.str(item, "matchId"), Attr.str(item, "status"), Attr.num(item, "version"),
        Attr.str(item, "guestId"), Attr.str(item, "hostId"), Attr.str(item, "region"), Attr.str(item, "guestRegion"),
        acceptedBy, item);
  }

  /** Proposed, accepted or placed: the match still gives its reviewers sight of both cases. */
  public boolean active() {
    return ACTIVE.contains(status);
  }

  public String other(String caseId) {
    return caseId.equals(guestId) ? hostId : guestId;
  }

  public String str(String name) {
    return Attr.str(item, name);
  }

  public long num(String name) {
    return Attr.num(item, name);
  }

  /** A map or list attribute (score parts, reviewers) as JSON; null when absent. */
  public com.fasterxml.jackson.databind.JsonNode json(String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : Attr.toJson(v);
  }
}
