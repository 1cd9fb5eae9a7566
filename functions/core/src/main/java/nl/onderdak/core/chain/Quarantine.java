package nl.onderdak.core.chain;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A case held out of matching because it may be fake: a registration that filled the form's hidden field, or one
 * of a burst an operator set aside. Its status does not change (a household stays {@code open}, a host stays in
 * screening), so counts, the chain and the registrant's own status page stay as they were; what changes is its
 * place in the {@code ByPool} index. A quarantined case is filed under {@code quarantine#<kind>#<region>} rather
 * than its status's pool, so the matcher, which reads only {@code guest#open#…} and {@code host#approved#…},
 * never sees it, and operators can list what is held per region. Every change to the case keeps it there until
 * it is released ({@link CaseChange#quarantine}, {@link CaseChange#release}).
 */
public final class Quarantine {
  public static final String ATTRIBUTE = "quarantine";
  public static final String QUARANTINED = "quarantined";
  public static final String RELEASED = "released";

  /** Why a case is held; only these are stored, logged or shown. */
  public static final String FORM_HONEYPOT = "form_honeypot";
  public static final String OPERATOR_BURST = "operator_burst";
  public static final Set<String> REASONS = Set.of(FORM_HONEYPOT, OPERATOR_BURST);

  private Quarantine() {}

  /** The index key a held case is filed under; null once it has ended (an ended case is in no pool). */
  public static String poolKey(CaseKind kind, CaseStatus status, String region) {
    return status.terminal() ? null : "quarantine#" + kind.wire() + "#" + region;
  }

  /** What the case item records: why and since when. */
  public static AttributeValue value(String reason, Instant at) {
    return AttributeValue.fromM(Attr.item("reason", reason, "at", at.toString()));
  }

  /** Marks a new case item as held (a registration that failed a bot check). */
  public static void hold(Map<String, AttributeValue> caseItem, CaseKind kind, CaseStatus status, String region,
      String reason, Instant at) {
    caseItem.put(ATTRIBUTE, value(reason, at));
    String pool = poolKey(kind, status, region);
    if (pool != null) {
      caseItem.put("poolKey", AttributeValue.fromS(pool));
    }
  }

  /** Why this case item is held, or null when it is not. */
  public static String reason(Map<String, AttributeValue> caseItem) {
    AttributeValue q = caseItem == null ? null : caseItem.get(ATTRIBUTE);
    return q == null || !q.hasM() ? null : Attr.str(q.m(), "reason");
  }
}
