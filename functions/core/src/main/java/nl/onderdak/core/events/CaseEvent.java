package nl.onderdak.core.events;

import java.time.Instant;
import java.util.Map;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One change to a case, appended to the case's item collection in the same transaction as the
 * change itself. It is the case's history and, through the table's stream, the outbox every
 * consumer (tallies, matching, notifications) reads. Events are never updated, only inserted.
 *
 * @param seq the case's version after this change: 1 for the registration, then 2, 3, ...
 * @param fromStatus null for the registration
 * @param actor who made the change: {@code registrant}, a partner id, {@code matcher}, ...
 * @param matchId the match this change belongs to, or null
 * @param municipality the case's municipality (the host's home; the household's first preferred
 *     municipality), or null: for the regional picture, never personal data
 * @param registeredAt when the case was registered, or null in events written before it was recorded:
 *     the time from registration to proposal and to placement is measured from it
 */
public record CaseEvent(
    String caseId,
    CaseKind kind,
    long seq,
    String type,
    String region,
    String fromStatus,
    String toStatus,
    Instant at,
    String actor,
    String reason,
    String matchId,
    String municipality,
    Instant registeredAt,
    ChainFacts chain) {

  public CaseEvent {
    chain = chain == null ? ChainFacts.NONE : chain;
  }

  /** An event without chain facts (tests, and events of older shape). */
  public CaseEvent(String caseId, CaseKind kind, long seq, String type, String region, String fromStatus,
      String toStatus, Instant at, String actor, String reason, String matchId, String municipality,
      Instant registeredAt) {
    this(caseId, kind, seq, type, region, fromStatus, toStatus, at, actor, reason, matchId, municipality, registeredAt,
        ChainFacts.NONE);
  }

  /** An event about a match, its origin not (yet) known. */
  public CaseEvent(String caseId, CaseKind kind, long seq, String type, String region, String fromStatus,
      String toStatus, Instant at, String actor, String reason, String matchId) {
    this(caseId, kind, seq, type, region, fromStatus, toStatus, at, actor, reason, matchId, null, null);
  }

  /** An event that concerns no match. */
  public CaseEvent(String caseId, CaseKind kind, long seq, String type, String region, String fromStatus,
      String toStatus, Instant at, String actor, String reason) {
    this(caseId, kind, seq, type, region, fromStatus, toStatus, at, actor, reason, null);
  }

  /** Where and when the case began: carried on every event so that consumers need not read the case. */
  public record Origin(String municipality, Instant registeredAt) {
    public static final Origin UNKNOWN = new Origin(null, null);
  }

  public CaseEvent withOrigin(Origin origin) {
    return new CaseEvent(caseId, kind, seq, type, region, fromStatus, toStatus, at, actor, reason, matchId,
        origin.municipality(), origin.registeredAt(), chain);
  }

  public CaseEvent withChain(ChainFacts facts) {
    return new CaseEvent(caseId, kind, seq, type, region, fromStatus, toStatus, at, actor, reason, matchId,
        municipality, registeredAt, facts);
  }

  /** Whether the case's status changed (a registration counts): assignments and handovers do not change it. */
  public boolean changesStatus() {
    return REGISTERED.equals(type) || (toStatus != null && !toStatus.equals(fromStatus));
  }

  public static final String ITEM_TYPE = "EVENT";
  public static final String REGISTERED = "registered";
  public static final String STATUS_CHANGED = "status_changed";
  /** Organisations were made responsible for roles on the case (routing, or an accepted handover). */
  public static final String ASSIGNED = "assigned";
  public static final String HANDOVER_REQUESTED = "handover_requested";
  public static final String HANDOVER_REFUSED = "handover_refused";

  public static String partitionKey(String caseId) {
    return "CASE#" + caseId;
  }

  public String sortKey() {
    return String.format("EVENT#%06d", seq);
  }

  /** Unique across all events: the item's primary key. Consumers use it to apply each event once. */
  public String eventKey() {
    return partitionKey(caseId) + "|" + sortKey();
  }

  public Map<String, AttributeValue> toItem() {
    Map<String, AttributeValue> item = new java.util.LinkedHashMap<>(Attr.item(
        "pk", partitionKey(caseId),
        "sk", sortKey(),
        "itemType", ITEM_TYPE,
        "eventType", type,
        "caseId", caseId,
        "kind", kind.wire(),
        "seq", seq,
        "region", region,
        "fromStatus", fromStatus,
        "toStatus", toStatus,
        "at", at.toString(),
        "actor", actor,
        "reason", reason,
        "matchId", matchId,
        "municipality", municipality,
        "registeredAt", registeredAt == null ? null : registeredAt.toString()));
    chain.write(item);
    return item;
  }

  /** Reads an event from its item (as stored, or as a stream record's new image carries it); null if not one. */
  public static CaseEvent fromItem(Map<String, AttributeValue> item) {
    if (!ITEM_TYPE.equals(Attr.str(item, "itemType"))) {
      return null;
    }
    String registered = Attr.str(item, "registeredAt");
    return new CaseEvent(Attr.str(item, "caseId"), CaseKind.fromWire(Attr.str(item, "kind")), Attr.num(item, "seq"),
        Attr.str(item, "eventType"), Attr.str(item, "region"), Attr.str(item, "fromStatus"),
        Attr.str(item, "toStatus"), Instant.parse(Attr.str(item, "at")), Attr.str(item, "actor"),
        Attr.str(item, "reason"), Attr.str(item, "matchId"), Attr.str(item, "municipality"),
        registered == null ? null : Instant.parse(registered), ChainFacts.read(item));
  }


}
