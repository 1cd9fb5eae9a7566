package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;

/**
 * Advice to a household, by the organisation assigned its {@code advice} role (by the routing, like the others):
 * open at every step of an open case, current at none, like a withdrawal. Each piece of advice given is a decision
 * on the case's record: its topic a code, its words (if any) with the personal data, as every decision's text.
 */
public final class AdviceStep extends Step {
  public static final String KEY = "advice";
  public static final String ADVISED = "advised";

  public AdviceStep(Role role) {
    super(KEY, "Advice to a household, at any step while it is assigned", role, Subject.CASE);
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return false;
  }

  @Override
  public List<Decision> decisions() {
    return List.of(new Decision(ADVISED, List.of("housing", "work", "schooling", "legal", "health", "money",
        Decision.OTHER), true, "the advice is on the case's record (its words with the personal data); nothing "
            + "else changes", null));
  }

  /** How long a request's {@code Idempotency-Key} answers a retry alike. */
  static final java.time.Duration KEY_KEPT = java.time.Duration.ofHours(24);

  /**
   * {@code POST /partner/cases/{id}/advice} {@code {reason, text}}: the advice given, by the advice organisation. A
   * piece of advice may be given many times; the request's {@code Idempotency-Key} (kept 24 hours with the case's
   * id, in the transaction that records it) makes a retry answer alike instead of recording it twice.
   */
  public Decided advise(Chain chain, Actor actor, CaseView c, JsonNode body, String idempotencyKey) {
    requireRole(actor, c);
    Input in = input(body, null);
    java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> keyItem =
        java.util.Map.of("pk", Attr.s("ADVICE#" + actor.wire() + "#" + idempotencyKey));
    var seen = chain.store().dynamo().getItem(b -> b.tableName(chain.store().tables().idempotency()).key(keyItem)
        .consistentRead(true)).item();
    if (seen != null && !seen.isEmpty()) {
      if (!c.id().equals(Attr.str(seen, "caseId"))) {
        throw Refused.conflict("idempotency_key_reused", "this Idempotency-Key was sent with another case");
      }
      return new Decided(c.id(), c.status().wire(), null, null, true);
    }
    if (c.terminal()) {
      throw Refused.conflict("case_ended", c.id() + " is " + c.status().wire() + "; advice is recorded while it is open");
    }
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.change(CaseChange.of(c).decision(this, ADVISED, in.reason()).by(actor, role()).text(in.text())
        .notify(java.util.Set.of()));
    java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> marker =
        new java.util.HashMap<>(keyItem);
    marker.putAll(Attr.item("caseId", c.id(), "at", tx.at().toString(),
        "expiresAt", tx.at().plus(KEY_KEPT).getEpochSecond()));
    tx.write(software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder().put(p -> p
        .tableName(chain.store().tables().idempotency()).item(marker).conditionExpression("attribute_not_exists(pk)"))
        .build());
    tx.commit();
    return new Decided(c.id(), c.status().wire(), null, tx.at(), false);
  }
}
