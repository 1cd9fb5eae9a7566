package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.partners.Role;

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

  /**
   * {@code POST /partner/cases/{id}/advice} {@code {reason, text}}: the advice given, by the advice organisation. A
   * piece of advice may be given many times; the request's {@code Idempotency-Key} makes a retry answer alike
   * instead of recording it twice ({@link ChainStore.Tx#claimRequestKey}).
   */
  public Decided advise(Chain chain, Actor actor, CaseView c, JsonNode body, String idempotencyKey) {
    requireRole(actor, c);
    Input in = input(body, null);
    String seen = chain.store().requestKeySubject(actor, KEY, idempotencyKey);
    if (seen != null) {
      if (!c.id().equals(seen)) {
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
    tx.claimRequestKey(actor, KEY, idempotencyKey, c.id());
    tx.commit();
    return new Decided(c.id(), c.status().wire(), null, tx.at(), false);
  }
}
