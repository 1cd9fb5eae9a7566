package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.core.storage.Attr;

/**
 * Between the yes and the move-in: the household meets its host family, or stays with it on trial, and the
 * introducing organisation records how it went. {@code go}: the placement is next. {@code no_go}: both back in
 * the pool, this pair never proposed again (as a decline). {@code trial}: a trial stay, decided by a date
 * ({@code decideBy}; the stays' clock raises an alert when it passes undecided).
 *
 * <p>Who records it, on each side of the match: the holder of the {@code introduction} role there, or, where that
 * side has none (the routing named nobody), its placement reviewer. A match into a provider's home has no
 * introduction: the home is the provider's, and the household goes straight to the placement.
 */
public final class IntroductionStep extends MatchStep {
  public static final String KEY = "introduction";
  public static final String GO = "go";
  public static final String NO_GO = "no_go";
  public static final String TRIAL = "trial";
  /** The stays' clock: a trial stay's decide-by date passed with no outcome. */
  public static final String TRIAL_OVERDUE = "trial_overdue";
  public static final String TRIAL_OVERDUE_ALERT = "trial_decision_overdue";
  /** The longest trial stay before a decision, in days. */
  public static final int MAX_TRIAL_DAYS = 30;
  private final Role fallback;
  private final Set<String> hostTypes;

  /**
   * @param fallback the role that introduces on a side where nobody holds {@code role}
   * @param hostTypes the host case types whose matches are introduced (a provider's home is not)
   */
  public IntroductionStep(Role role, Role fallback, Set<String> hostTypes) {
    super(KEY, "Introduction: the household meets the host family (or stays on trial); go or no-go", role);
    this.fallback = fallback;
    this.hostTypes = Set.copyOf(hostTypes);
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return status == GuestStatus.INTRODUCING || status == HostStatus.INTRODUCING;
  }

  /** Whether a match into a host case of this type is introduced before it is placed. */
  public boolean introduces(CaseType hostType) {
    return hostTypes.contains(hostType.key());
  }

  @Override
  public List<Decision> decisions() {
    return List.of(
        new Decision(GO, List.of(), false, "the introduction went well: the placement (move-in date) is next",
            WebhookEvent.MATCH_INTRODUCED),
        new Decision(NO_GO, List.of("guest_declined", "host_declined", "mismatch_found", "no_show", Decision.OTHER),
            true, "both back in the matching pool; this pair is never proposed again", WebhookEvent.MATCH_INTRODUCED),
        new Decision(TRIAL, List.of(), false, "a trial stay, to be decided by decideBy (at most " + MAX_TRIAL_DAYS
            + " days); go or no_go after it", WebhookEvent.MATCH_INTRODUCED),
        new Decision(TRIAL_OVERDUE, List.of(), false, "the stays' clock: a trial's decideBy passed undecided; "
            + "case.alert " + TRIAL_OVERDUE_ALERT + " to the leads and the introducing organisations",
            WebhookEvent.CASE_ALERT, true));
  }

  @Override
  protected String decisionField() {
    return "outcome";
  }

  /** Waits on this side's introducing organisation, or on its placement reviewer when it has none. */
  @Override
  public Set<Role> waitsOn(CaseView c, Set<Role> held, String partnerId, MatchContext match) {
    Role acting = actingRole(c);
    return held.contains(acting) ? EnumSet.of(acting) : EnumSet.noneOf(Role.class);
  }

  /** The role that introduces on a side where nobody holds this step's own. */
  public Role fallback() {
    return fallback;
  }

  private Role actingRole(CaseView side) {
    return side.responsibility().holder(role()) != null ? role() : fallback;
  }

  /** The role this organisation introduces as, or null: per side, as {@link #waitsOn}. */
  Role introducesAs(String partnerId, MatchParties p) {
    for (CaseView side : List.of(p.guest(), p.host())) {
      Role acting = actingRole(side);
      if (side.responsibility().holds(partnerId, acting)) {
        return acting;
      }
    }
    return null;
  }

  public Decided record(Chain chain, Actor actor, MatchView match, JsonNode body) {
    MatchParties p = MatchParties.read(chain.store(), match);
    Role as = introducesAs(actor.partnerId(), p);
    if (actor.isPartner() && as == null) {
      throw Refused.forbidden("missing_role", "the introduction is recorded by the " + role().wire()
          + " organisation of the household or the host of " + match.id() + " (or its " + fallback.wire()
          + " organisation where it has none)");
    }
    LocalDate today = LocalDate.ofInstant(chain.clock().instant(), ZoneOffset.UTC);
    LocalDate[] decideBy = new LocalDate[1];
    Input in = input(body, fields -> {
      if (body != null && TRIAL.equals(body.path("outcome").asText(null))) {
        decideBy[0] = fields.date("decideBy", true, today.plusDays(1), today.plusDays(MAX_TRIAL_DAYS));
      }
    });
    String outcome = in.decision().code();
    MatchView m = p.match();
    String done = m.str("introduction");
    if (!"accepted".equals(m.status()) || GO.equals(done)) {
      if (same(m, outcome, in.reason(), decideBy[0])) {
        return new Decided(m.id(), m.status(), m, null, true); // said twice: the same answer
      }
      throw Refused.conflict("not_introducing", "match " + m.id() + " is " + m.status()
          + (GO.equals(done) ? " and introduced" : "") + "; an introduction is recorded on an accepted match");
    }
    if (p.guest().status() != GuestStatus.INTRODUCING || p.host().status() != HostStatus.INTRODUCING) {
      throw Refused.conflict("no_introduction", "match " + m.id() + " has no introduction: it goes to the placement");
    }
    p.requireInMatch();
    Set<String> told = p.told();
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    switch (outcome) {
      case GO -> {
        tx.write(MatchWrites.update(chain.store().tables(), m, null, actor, tx.at(),
            Attr.item("introduction", GO, "introducedAt", tx.at().toString()), null));
        tx.change(CaseChange.of(p.guest()).to(GuestStatus.MATCHED).decision(this, GO, null).by(actor, as)
            .aboutMatch(m.id()).counterpart(p.host().id()).notify(told));
        tx.change(CaseChange.of(p.host()).to(HostStatus.MATCHED).decision(this, GO, null).by(actor, as)
            .aboutMatch(m.id()).counterpart(p.guest().id()).notify(told));
      }
      case TRIAL -> {
        tx.write(MatchWrites.update(chain.store().tables(), m, null, actor, tx.at(),
            Attr.item("introduction", TRIAL, "decideBy", decideBy[0].toString()), null));
        tx.change(CaseChange.of(p.guest()).decision(this, TRIAL, null).by(actor, as).aboutMatch(m.id())
            .counterpart(p.host().id()).notify(told));
        tx.change(CaseChange.of(p.host()).decision(this, TRIAL, null).by(actor, as).aboutMatch(m.id())
            .counterpart(p.guest().id()).notify(told));
      }
      default -> {
        tx.write(MatchWrites.update(chain.store().tables(), m, NO_GO, actor, tx.at(),
            Attr.item("introduction", NO_GO, "declineReason", in.reason()), null));
        if (in.text() != null) {
          tx.write(MatchWrites.text(chain.store().tables(), m, NO_GO, in.text(), actor, tx.at(),
              chain.store().retention()));
        }
        tx.change(CaseChange.of(p.guest()).to(GuestStatus.OPEN).decision(this, NO_GO, in.reason()).by(actor, as)
            .aboutMatch(m.id()).leaveMatch().barHost(p.host().id()).counterpart(p.host().id()).notify(told));
        tx.change(CaseChange.of(p.host()).to(HostStatus.APPROVED).decision(this, NO_GO, in.reason()).by(actor, as)
            .aboutMatch(m.id()).leaveMatch().counterpart(p.guest().id()).notify(told));
      }
    }
    tx.commit();
    MatchView now = chain.store().match(m.id());
    return new Decided(m.id(), now.status(), now, tx.at(), false);
  }

  /** A retry of the decision already on record. */
  private static boolean same(MatchView m, String outcome, String reason, LocalDate decideBy) {
    return switch (outcome) {
      case GO -> GO.equals(m.str("introduction")) && !NO_GO.equals(m.status());
      case NO_GO -> NO_GO.equals(m.status()) && Objects.equals(reason, m.str("declineReason"));
      default -> TRIAL.equals(m.str("introduction")) && "accepted".equals(m.status())
          && decideBy != null && decideBy.toString().equals(m.str("decideBy"));
    };
  }

  /**
   * The stays' clock: the trial's decide-by date passed with no outcome. An event on both cases (no change of
   * status), marked on the match so it is raised once per date.
   *
   * @return false when the match moved on meanwhile
   */
  public boolean trialOverdue(Chain chain, MatchParties p) {
    MatchView m = p.match();
    if (!"accepted".equals(m.status()) || !TRIAL.equals(m.str("introduction"))
        || Objects.equals(m.str("decideBy"), m.str("trialOverdueFor"))) {
      return false;
    }
    Actor clock = Actor.system("stays");
    Set<String> told = p.told();
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(MatchWrites.update(chain.store().tables(), m, null, clock, tx.at(),
        Attr.item("trialOverdueFor", m.str("decideBy")), null));
    tx.change(CaseChange.of(p.guest()).decision(this, TRIAL_OVERDUE, null).by(clock, null).aboutMatch(m.id())
        .counterpart(p.host().id()).notify(told));
    tx.change(CaseChange.of(p.host()).decision(this, TRIAL_OVERDUE, null).by(clock, null).aboutMatch(m.id())
        .counterpart(p.guest().id()).notify(told));
    try {
      tx.commit();
      return true;
    } catch (Refused conflict) {
      return false;
    }
  }
}
