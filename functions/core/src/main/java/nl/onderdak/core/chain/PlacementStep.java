package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.core.storage.Attr;

/** After acceptance, the move-in: the household is placed, the host is hosting. */
public final class PlacementStep extends MatchStep {
  public static final String KEY = "placement";

  public PlacementStep(Role role) {
    super(KEY, "Placement: the move-in date of an accepted match", role);
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return status == GuestStatus.MATCHED || status == HostStatus.MATCHED;
  }

  @Override
  public List<Decision> decisions() {
    return List.of(new Decision("confirm", List.of(), false,
        "household placed, host hosting; the stay begins", WebhookEvent.PLACEMENT_CONFIRMED));
  }

  /** The move-in waits on the organisation holding the role, on whichever side. */
  @Override
  public Set<Role> waitsOn(CaseView c, Set<Role> held, String partnerId, MatchContext match) {
    return held.contains(role()) ? EnumSet.of(role()) : EnumSet.noneOf(Role.class);
  }

  public Decided confirm(Chain chain, Actor actor, MatchView match, JsonNode body) {
    MatchParties p = MatchParties.read(chain.store(), match);
    requireRole(actor, p);
    LocalDate today = LocalDate.ofInstant(chain.clock().instant(), ZoneOffset.UTC);
    LocalDate[] moveIn = new LocalDate[1];
    input(body, fields -> moveIn[0] = fields.date("moveInDate", true, today.minusDays(60), today.plusDays(90)));
    MatchView m = p.match();
    if (!"accepted".equals(m.status())) {
      if ("placed".equals(m.status()) && moveIn[0].toString().equals(m.str("moveInDate"))) {
        return new Decided(m.id(), m.status(), m, null, true);
      }
      throw Refused.conflict("not_accepted", "match " + m.id() + " is " + m.status()
          + "; only an accepted match is placed");
    }
    p.requireInMatch();
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, "placed", actor, tx.at(),
        Attr.item("moveInDate", moveIn[0].toString()), null));
    Set<String> told = p.told();
    tx.change(CaseChange.of(p.guest()).to(GuestStatus.PLACED).decision(this, "confirm", null).by(actor, role())
        .aboutMatch(m.id()).counterpart(p.host().id()).notify(told));
    tx.change(CaseChange.of(p.host()).to(HostStatus.HOSTING).decision(this, "confirm", null).by(actor, role())
        .aboutMatch(m.id()).counterpart(p.guest().id()).notify(told));
    tx.commit();
    return new Decided(m.id(), "placed", chain.store().match(m.id()), tx.at(), false);
  }
}
