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

/**
 * After acceptance, the move-in: the household is placed, the host is hosting. A stay with a host family has an
 * agreed end from the start ({@code agreedEndDate}: at least the programme's minimum stay after the move-in and
 * within the host's availability); a provider's home may have one.
 */
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
    LocalDate[] end = new LocalDate[1];
    boolean hostFamily = !Programmes.PROVIDER_HOME.key().equals(p.host().type());
    LocalDate availableUntil = availableUntil(p.host());
    input(body, fields -> {
      moveIn[0] = fields.date("moveInDate", true, today.minusDays(60), today.plusDays(90));
      end[0] = agreedEnd(fields, hostFamily, moveIn[0], availableUntil, chain.minimumStayDays());
    });
    MatchView m = p.match();
    if ("accepted".equals(m.status()) && (p.guest().status() == GuestStatus.INTRODUCING
        || p.host().status() == HostStatus.INTRODUCING)) {
      throw Refused.conflict("not_introduced", "match " + m.id() + " is not introduced yet: record the introduction "
          + "(POST /partner/matches/" + m.id() + "/introduction) before the move-in");
    }
    if (!"accepted".equals(m.status())) {
      if ("placed".equals(m.status()) && moveIn[0].toString().equals(m.str("moveInDate"))
          && java.util.Objects.equals(end[0] == null ? null : end[0].toString(), m.str("agreedEndDate"))) {
        return new Decided(m.id(), m.status(), m, null, true);
      }
      throw Refused.conflict("not_accepted", "match " + m.id() + " is " + m.status()
          + "; only an accepted match is placed");
    }
    p.requireInMatch();
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, "placed", actor, tx.at(),
        Attr.item("moveInDate", moveIn[0].toString(), "agreedEndDate", end[0] == null ? null : end[0].toString()),
        null));
    Set<String> told = p.told();
    tx.change(CaseChange.of(p.guest()).to(GuestStatus.PLACED).decision(this, "confirm", null).by(actor, role())
        .aboutMatch(m.id()).counterpart(p.host().id()).notify(told));
    tx.change(CaseChange.of(p.host()).to(HostStatus.HOSTING).decision(this, "confirm", null).by(actor, role())
        .aboutMatch(m.id()).counterpart(p.guest().id()).notify(told));
    tx.commit();
    return new Decided(m.id(), "placed", chain.store().match(m.id()), tx.at(), false);
  }

  /**
   * The stay's agreed end: required with a host family, optional for a provider's home; at least the minimum stay
   * after the move-in, and no later than the host's availability. Null when not given (and not required) or wrong.
   */
  static LocalDate agreedEnd(nl.onderdak.core.validation.JsonFields fields, boolean required, LocalDate moveIn,
      LocalDate availableUntil, int minimumStayDays) {
    LocalDate earliest = moveIn == null ? LocalDate.MIN : moveIn.plusDays(minimumStayDays);
    LocalDate end = fields.date("agreedEndDate", required, LocalDate.of(2000, 1, 1), LocalDate.of(2100, 1, 1));
    if (end == null || moveIn == null) {
      return end;
    }
    if (end.isBefore(earliest)) {
      fields.error("agreedEndDate", nl.onderdak.core.validation.FieldError.Codes.OUT_OF_RANGE,
          "at least " + minimumStayDays + " days after moveInDate: " + earliest + " or later");
      return null;
    }
    if (availableUntil != null && end.isAfter(availableUntil)) {
      fields.error("agreedEndDate", nl.onderdak.core.validation.FieldError.Codes.OUT_OF_RANGE,
          "within the host's availability: " + availableUntil + " or earlier");
      return null;
    }
    return end;
  }

  /** The last day the host offered the place, from its registration; null when it did not say. */
  static LocalDate availableUntil(CaseView host) {
    var profile = host.item().get("profile");
    if (profile == null || !profile.hasM() || profile.m().get("availableUntil") == null) {
      return null;
    }
    return LocalDate.parse(profile.m().get("availableUntil").s());
  }
}
