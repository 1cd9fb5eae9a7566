package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A household or host withdraws, as told to the organisation leading its case (the lead role of its case
 * type; no other may record it). Every withdrawal is an alert ({@code case.alert}) to the organisations on the
 * case; a proposal or accepted match it is in is cancelled, the other side goes back to the pool, and the other
 * side's organisations and the match's reviewers are alerted too. A placement is not withdrawn from: its stay is
 * ended instead.
 */
public final class WithdrawalStep extends Step {
  public static final String KEY = "withdrawal";
  public static final String AFTER_ACCEPTANCE = "withdrawn_after_acceptance";
  public static final String DURING_PROPOSAL = "withdrawn_during_proposal";
  public static final String WITHDRAWN = "withdrawn";
  /** The clock's decision: an approved host whose availability has ended leaves the pool by itself. */
  public static final String AVAILABILITY_ENDED = "availability_ended";
  public static final String AVAILABILITY_ENDED_ALERT = "host_availability_ended";

  /** Not one role for every case: the lead role of the case's type ({@link #roleFor}). */
  public WithdrawalStep() {
    super(KEY, "Withdrawal of a household or host, at any step before the stay", null, Subject.CASE);
  }

  public Role roleFor(CaseType type) {
    return type.lead();
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return false; // open at every step, current at none
  }

  @Override
  public List<Decision> decisions() {
    return List.of(new Decision("withdraw", List.of("found_own_place", "returned", "no_longer_needed",
        "no_longer_available", "unreachable", Decision.OTHER), true,
        "the case closes (terminal) and its organisations are alerted; a proposal or accepted match it is in is "
            + "cancelled, the other side goes back to the pool, and its organisations and the match's reviewers are "
            + "alerted too",
        WebhookEvent.CASE_ALERT),
        new Decision(AVAILABILITY_ENDED, List.of(), false, "the clock: an approved host whose availability has ended "
            + "is withdrawn (terminal) and its organisations alerted", WebhookEvent.CASE_ALERT, true));
  }

  /**
   * The clock's withdrawal of an approved host whose last available day has passed: it leaves the pool by itself.
   *
   * @return false when it is no longer approved (in a proposal, withdrawn, changed meanwhile)
   */
  public boolean availabilityEnded(Chain chain, CaseView host) {
    if (host == null || host.status() != HostStatus.APPROVED) {
      return false;
    }
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.change(CaseChange.of(host).to(HostStatus.WITHDRAWN).decision(this, AVAILABILITY_ENDED, null)
        .by(Actor.system("availability"), null));
    try {
      tx.commit();
      return true;
    } catch (Refused conflict) {
      return false;
    }
  }

  public Decided withdraw(Chain chain, Actor actor, CaseView c, JsonNode body) {
    Role role = roleFor(c.caseType());
    if (actor.isPartner() && !c.responsibility().holds(actor.partnerId(), role)) {
      throw Refused.forbidden("missing_role", "a withdrawal is recorded by the " + role.wire()
          + " organisation leading " + c.id());
    }
    Input in = input(body, null);
    CaseStatus withdrawn = c.kind() == CaseKind.GUEST ? GuestStatus.WITHDRAWN : HostStatus.WITHDRAWN;
    if (c.status() == withdrawn) {
      return new Decided(c.id(), withdrawn.wire(), null, null, true);
    }
    if (c.status() == GuestStatus.PLACED || c.status() == HostStatus.HOSTING) {
      throw Refused.conflict("placed", c.id() + " is " + c.status().wire()
          + "; end the stay (POST /partner/matches/{id}/end) instead");
    }
    if (!c.status().canMoveTo(withdrawn)) {
      throw Refused.conflict("not_withdrawable", c.id() + " is " + c.status().wire());
    }
    MatchView m = c.matchId() == null ? null : chain.store().match(c.matchId());
    boolean inMatch = m != null && ("proposed".equals(m.status()) || "accepted".equals(m.status()));
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    Set<String> told = c.responsibility().partners();
    if (inMatch) {
      CaseView other = chain.store().caseView(m.other(c.id()));
      told = MatchWrites.union(told, other.responsibility().partners());
      // The match's reviewers, as at the proposal, are told it is off (a care provider whose acceptance a
      // provider's home needed may hold nothing on either case).
      AttributeValue reviewers = m.item().get("reviewers");
      if (reviewers != null && reviewers.hasSs()) {
        told = MatchWrites.union(told, reviewers.ss().stream().filter(r -> r.startsWith("P-"))
            .collect(java.util.stream.Collectors.toSet()));
      }
      String why = c.kind().wire() + "_withdrew";
      tx.write(MatchWrites.update(chain.store().tables(), m, "cancelled", actor, tx.at(),
          Attr.item("cancelReason", why), null));
      CaseStatus back = other.kind() == CaseKind.GUEST ? GuestStatus.OPEN : HostStatus.APPROVED;
      tx.change(CaseChange.of(other).to(back).decision(this, "cancelled", why).by(actor, null).aboutMatch(m.id())
          .leaveMatch().counterpart(c.id()).notify(told));
    }
    CaseChange change = CaseChange.of(c).to(withdrawn).decision(this, "withdraw", in.reason()).by(actor, role)
        .text(in.text()).notify(told);
    if (m != null) {
      change.aboutMatch(m.id()).counterpart(m.other(c.id()));
    }
    tx.change(change);
    try {
      tx.commit();
    } catch (Refused conflict) {
      throw Refused.conflict("conflict", c.id() + " changed meanwhile; read it again");
    }
    return new Decided(c.id(), withdrawn.wire(), inMatch ? chain.store().match(m.id()) : null, tx.at(), false);
  }

  /** What the alert says: after acceptance (a household and a host had been promised to each other), during a
   * proposal, or before either. */
  public static String alertFor(String fromStatus) {
    return "matched".equals(fromStatus) || "introducing".equals(fromStatus) ? AFTER_ACCEPTANCE : "proposed".equals(fromStatus) ? DURING_PROPOSAL
        : WITHDRAWN;
  }
}
