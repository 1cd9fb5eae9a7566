package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.partners.Role;

/**
 * A step that decides on one case waiting in one status, each decision moving it to its own status: a
 * screening, a duplicate check. The decision is one conditional transaction; the same decision said again
 * answers the same result and writes nothing, another decision on a case that moved on is a conflict.
 */
public abstract class CaseDecisionStep extends Step {
  /** One decision, and the status it takes the case to. */
  protected record Outcome(Decision decision, CaseStatus to) {}

  private final CaseStatus from;
  private final String notWaitingCode;
  private final List<Outcome> outcomes;

  /**
   * @param from the status the step waits in
   * @param notWaitingCode the refusal code when the case is not in it
   */
  protected CaseDecisionStep(String key, String title, Role role, CaseStatus from, String notWaitingCode,
      List<Outcome> outcomes) {
    super(key, title, role, Subject.CASE);
    this.from = from;
    this.notWaitingCode = notWaitingCode;
    this.outcomes = List.copyOf(outcomes);
  }

  protected CaseStatus from() {
    return from;
  }

  @Override
  public List<Decision> decisions() {
    return outcomes.stream().map(Outcome::decision).toList();
  }

  private Map<String, CaseStatus> targets() {
    Map<String, CaseStatus> out = new java.util.LinkedHashMap<>();
    outcomes.forEach(o -> out.put(o.decision().code(), o.to()));
    return out;
  }

  private String notWaitingCode() {
    return notWaitingCode;
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return status == from;
  }

  public Decided decide(Chain chain, Actor actor, CaseView c, JsonNode body) {
    requireRole(actor, c);
    Input in = input(body, null);
    CaseStatus target = targets().get(in.decision().code());
    if (c.status() == target) {
      return new Decided(c.id(), target.wire(), null, c.stepSince(), true); // said twice
    }
    if (c.status() != from()) {
      throw Refused.conflict(notWaitingCode(), c.id() + " is " + c.status().wire()
          + "; this decision needs it " + from().wire());
    }
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.change(CaseChange.of(c).to(target).decision(this, in.decision().code(), in.reason()).by(actor, role())
        .text(in.text()));
    try {
      tx.commit();
    } catch (Refused conflict) {
      CaseView now = chain.store().caseView(c.id());
      if (now != null && now.status() == target) {
        return new Decided(c.id(), target.wire(), null, now.stepSince(), true);
      }
      throw Refused.conflict(notWaitingCode(), c.id() + " changed meanwhile; read it again");
    }
    return new Decided(c.id(), target.wire(), null, tx.at(), false);
  }
}
