package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.core.storage.Attr;

/**
 * A proposed match is reviewed by the organisations responsible for it: on each side, the holder of the
 * programme's review role (the household's placement reviewer and the host's, one organisation or two), and on
 * the household's side any role the home's type asks for (a housing provider's home: the household's care
 * provider). It is accepted when every one of them has accepted, declined by any one with a reason, and it
 * expires when nobody decides in time. A decline or an expiry sends both back to the pool with the pair barred.
 */
public final class ProposalReviewStep extends Step {
  public static final String KEY = "proposal_review";
  static final String UNASSIGNED = "unassigned:";

  public ProposalReviewStep(Role role) {
    super(KEY, "Review of a proposed match by the organisations responsible on both sides", role, Subject.MATCH);
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return status == GuestStatus.PROPOSED || status == HostStatus.PROPOSED;
  }

  @Override
  public List<Decision> decisions() {
    return List.of(
        new Decision("accept", List.of(), false,
            "once every reviewer accepted: the introduction is next (a host family), or the placement (a "
                + "provider's home)", WebhookEvent.MATCH_ACCEPTED),
        new Decision("decline", List.of("could_not_reach_household", "household_self_resolved", "host_withdrew",
            "health_and_safety", Decision.OTHER), true,
            "both back in the matching pool; this pair is never proposed again", WebhookEvent.MATCH_DECLINED),
        new Decision("expire", List.of("review_time_ran_out"), true,
            "nobody decided within ProposalReviewMinutes: as a decline", WebhookEvent.MATCH_EXPIRED, true));
  }

  @Override
  public Set<Role> waitsOn(CaseView c, Set<Role> held, String partnerId, MatchContext match) {
    if (match.acceptedBy().contains(partnerId)) {
      return EnumSet.noneOf(Role.class);
    }
    Set<Role> out = EnumSet.noneOf(Role.class);
    for (Role r : held) {
      if (c.caseType().reviewRoles().contains(r) || match.extraReviewRoles().contains(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Who must accept: partner ids, and {@code unassigned:<role>} for a role nobody holds (the match cannot be
   * accepted until it is assigned).
   */
  public static Set<String> reviewers(CaseView guest, CaseView host) {
    Set<String> out = new LinkedHashSet<>();
    for (CaseView side : List.of(host, guest)) {
      for (Role r : side.caseType().reviewRoles()) {
        out.add(slot(side, r));
      }
    }
    host.caseType().counterpartReviewRoles().forEach(r -> out.add(slot(guest, r)));
    guest.caseType().counterpartReviewRoles().forEach(r -> out.add(slot(host, r)));
    return out;
  }

  private static String slot(CaseView side, Role role) {
    String holder = side.responsibility().holder(role);
    return holder == null ? UNASSIGNED + role.wire() : holder;
  }

  /** The role an organisation reviews in, or null when it is not a reviewer of this match. */
  public static Role reviewsAs(String partnerId, CaseView guest, CaseView host) {
    for (CaseView side : List.of(host, guest)) {
      for (Role r : side.caseType().reviewRoles()) {
        if (side.responsibility().holds(partnerId, r)) {
          return r;
        }
      }
    }
    for (Role r : host.caseType().counterpartReviewRoles()) {
      if (guest.responsibility().holds(partnerId, r)) {
        return r;
      }
    }
    for (Role r : guest.caseType().counterpartReviewRoles()) {
      if (host.responsibility().holds(partnerId, r)) {
        return r;
      }
    }
    return null;
  }

  public Decided review(Chain chain, Actor actor, MatchView match, JsonNode body) {
    MatchParties first = MatchParties.read(chain.store(), match);
    Role as = reviewsAs(actor.partnerId(), first.guest(), first.host());
    if (as == null) {
      throw Refused.forbidden("not_a_reviewer", "only the organisations responsible for reviewing " + match.id()
          + " decide on it");
    }
    Input in = input(body, null);
    if (in.decision().code().equals("decline")) {
      return decline(chain, actor, as, first, "decline", in.reason(), in.text());
    }
    MatchParties parties = first;
    for (int attempt = 1; ; attempt++) {
      try {
        return accept(chain, actor, as, parties);
      } catch (Refused conflict) {
        if (!"conflict".equals(conflict.code()) || attempt >= 4) {
          throw conflict;
        }
        // Another reviewer accepted at the same moment: read again, and whoever completes the set moves it on.
        parties = MatchParties.read(chain.store(), chain.store().match(match.id()));
      }
    }
  }

  private Decided accept(Chain chain, Actor actor, Role as, MatchParties p) {
    MatchView m = p.match();
    if (!"proposed".equals(m.status())) {
      if ("accepted".equals(m.status()) || "placed".equals(m.status())) {
        return new Decided(m.id(), m.status(), m, null, true); // said twice: the same answer
      }
      throw Refused.conflict("not_proposed", "match " + m.id() + " is " + m.status());
    }
    if (m.acceptedBy().contains(actor.partnerId())) {
      return new Decided(m.id(), m.status(), m, null, true);
    }
    p.requireInMatch();
    Set<String> accepted = new LinkedHashSet<>(m.acceptedBy());
    accepted.add(actor.partnerId());
    boolean complete = accepted.containsAll(reviewers(p.guest(), p.host()));
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, complete ? "accepted" : null, actor, tx.at(), Map.of(),
        actor.partnerId()));
    if (complete) {
      Set<String> told = p.told();
      IntroductionStep introduction = p.host().programmeDefinition().step(IntroductionStep.class);
      boolean introduced = introduction != null && introduction.introduces(p.host().caseType());
      tx.change(CaseChange.of(p.guest()).to(introduced ? GuestStatus.INTRODUCING : GuestStatus.MATCHED)
          .decision(this, "accept", null).by(actor, as).aboutMatch(m.id()).counterpart(p.host().id()).notify(told));
      tx.change(CaseChange.of(p.host()).to(introduced ? HostStatus.INTRODUCING : HostStatus.MATCHED)
          .decision(this, "accept", null).by(actor, as).aboutMatch(m.id()).counterpart(p.guest().id()).notify(told));
    } else {
      // Not the last: the case items stay, but this reviewer's rows no longer wait on it.
      MatchView after = MatchView.of(withAccepted(m, accepted));
      tx.unchanged(p.guest()).unchanged(p.host());
      HolderRows.rewrite(chain.store().tables().cases(), p.guest(), ChainStore.contextFor(p.guest(), after))
          .forEach(tx::write);
      HolderRows.rewrite(chain.store().tables().cases(), p.host(), ChainStore.contextFor(p.host(), after))
          .forEach(tx::write);
    }
    tx.commit();
    MatchView now = chain.store().match(m.id());
    return new Decided(m.id(), now.status(), now, tx.at(), false);
  }

  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> withAccepted(MatchView m,
      Set<String> accepted) {
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new java.util.HashMap<>(m.item());
    item.put("acceptedBy", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromSs(List.copyOf(accepted)));
    return item;
  }

  /** The review time ran out: as a decline, by the clock. */
  public Decided expire(Chain chain, MatchView match) {
    return decline(chain, Actor.system("review_expiry"), null, MatchParties.read(chain.store(), match), "expire",
        "review_time_ran_out", null);
  }

  private Decided decline(Chain chain, Actor actor, Role as, MatchParties p, String decision, String reason,
      String text) {
    MatchView m = p.match();
    String to = decision.equals("expire") ? "expired" : "declined";
    if (!"proposed".equals(m.status())) {
      if (to.equals(m.status())) {
        return new Decided(m.id(), m.status(), m, null, true);
      }
      throw Refused.conflict("not_proposed", "match " + m.id() + " is " + m.status());
    }
    p.requireInMatch();
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, to, actor, tx.at(),
        Attr.item("declineReason", reason), null));
    if (text != null) {
      tx.write(MatchWrites.text(chain.store().tables(), m, decision, text, actor, tx.at(), chain.store().retention()));
    }
    Set<String> told = p.told();
    tx.change(CaseChange.of(p.guest()).to(GuestStatus.OPEN).decision(this, decision, reason).by(actor, as)
        .aboutMatch(m.id()).leaveMatch().barHost(p.host().id()).counterpart(p.host().id()).notify(told));
    tx.change(CaseChange.of(p.host()).to(HostStatus.APPROVED).decision(this, decision, reason).by(actor, as)
        .aboutMatch(m.id()).leaveMatch().counterpart(p.guest().id()).notify(told));
    tx.commit();
    return new Decided(m.id(), to, chain.store().match(m.id()), tx.at(), false);
  }
}
