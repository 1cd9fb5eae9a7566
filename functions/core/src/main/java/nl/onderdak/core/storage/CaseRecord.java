package nl.onderdak.core.storage;

import java.time.Instant;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the cases table holds about one case besides its profile: enough to answer a status
 * request and to move the case through its lifecycle. No personal data.
 */
public record CaseRecord(
    String id,
    CaseKind kind,
    CaseStatus status,
    long version,
    String region,
    Instant registeredAt,
    Instant updatedAt,
    String statusTokenHash,
    String duplicateOf,
    CaseEvent.Origin origin) {

  public static final String ITEM_TYPE = "CASE";
  public static final String SORT_KEY = "CASE";

  static CaseRecord fromItem(Map<String, AttributeValue> item) {
    CaseKind kind = CaseKind.fromWire(Attr.str(item, "kind"));
    return new CaseRecord(
        Attr.str(item, "caseId"),
        kind,
        CaseStatus.fromWire(kind, Attr.str(item, "status")),
        Attr.num(item, "version"),
        Attr.str(item, "region"),
        Instant.parse(Attr.str(item, "registeredAt")),
        Instant.parse(Attr.str(item, "updatedAt")),
        Attr.str(item, "statusTokenHash"),
        Attr.str(item, "duplicateOf"),
        RegistrationItems.origin(item));
  }

  /**
   * The pool a case sits in, as the key of the {@code ByPool} index: kind, status and region, so
   * that "open guests in PV26" or "approved hosts in PV27" is one query. Terminal statuses leave
   * the index (the attribute is removed).
   */
  public static String poolKey(CaseKind kind, CaseStatus status, String region) {
    return status.terminal() ? null : kind.wire() + "#" + status.wire() + "#" + region;
  }

  /** Arrival order within a pool: who has waited longest comes first. */
  public static String poolOrder(Instant registeredAt, String id) {
    return registeredAt + "#" + id;
  }
}
