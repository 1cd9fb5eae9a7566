package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.core.storage.Attr;

/**
 * The stay, until it ends: with a place of their own, back to matching (at the front of the queue), a return,
 * or otherwise. The host becomes matchable again.
 */
public final class StayStep extends MatchStep {
  public static final String KEY = "stay";
  public static final String NEEDS_NEW_PLACE = "needs_new_place";

  public StayStep(Role role) {
    super(KEY, "The stay, and how it ends", role);
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return status == GuestStatus.PLACED || status == HostStatus.HOSTING;
  }

  @Override
  public List<Decision> decisions() {
    return List.of(new Decision("end", List.of("own_home", NEEDS_NEW_PLACE, "returned", Decision.OTHER), true,
        "needs_new_place: the household back in the pool at the front; otherwise its case closes. The host is "
            + "matchable again", WebhookEvent.PLACEMENT_ENDED));
  }

  public Decided end(Chain chain, Actor actor, MatchView match, JsonNode body) {
    MatchParties p = MatchParties.read(chain.store(), match);
    requireRole(actor, p);
    Input in = input(body, null);
    MatchView m = p.match();
    if (!"placed".equals(m.status())) {
      if ("ended".equals(m.status())) {
        return new Decided(m.id(), m.status(), m, null, true);
      }
      throw Refused.conflict("not_placed", "match " + m.id() + " is " + m.status() + "; only a placement can end");
    }
    p.requireInMatch();
    boolean again = NEEDS_NEW_PLACE.equals(in.reason());
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, "ended", actor, tx.at(),
        Attr.item("endReason", in.reason()), null));
    if (in.text() != null) {
      tx.write(MatchWrites.text(chain.store().tables(), m, "end", in.text(), actor, tx.at(), chain.store().retention()));
    }
    Set<String> told = p.told();
    CaseChange guest = CaseChange.of(p.guest()).to(again ? GuestStatus.OPEN : GuestStatus.CLOSED)
        .decision(this, "end", in.reason()).by(actor, role()).aboutMatch(m.id()).leaveMatch()
        .counterpart(p.host().id()).notify(told);
    if (again) {
      guest.frontOfQueue();
    }
    tx.change(guest);
    tx.change(CaseChange.of(p.host()).to(HostStatus.APPROVED).decision(this, "end", in.reason()).by(actor, role())
        .aboutMatch(m.id()).leaveMatch().counterpart(p.guest().id()).notify(told));
    tx.commit();
    return new Decided(m.id(), "ended", chain.store().match(m.id()), tx.at(), false);
  }
}
