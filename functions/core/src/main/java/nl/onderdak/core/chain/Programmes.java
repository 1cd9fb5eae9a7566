package nl.onderdak.core.chain;

import java.util.List;
import java.util.Set;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;

/** Every programme Onderdak runs, by id. */
public final class Programmes {
  public static final String HOST_FAMILY_ID = "host_family";

  /** A displaced household looking for a place. Its support organisation leads. */
  public static final CaseType HOUSEHOLD = new CaseType("household", CaseKind.GUEST,
      List.of(Role.GUEST_SUPPORT, Role.PLACEMENT_REVIEW), List.of(Role.CARE_PROVIDER, Role.ADVICE, Role.INTRODUCTION),
      Role.GUEST_SUPPORT,
      Set.of(Role.PLACEMENT_REVIEW), Set.of(), "a displaced household, registered through the public form");

  /** A private household offering a room. The organisation that screened it leads. */
  public static final CaseType HOST_OFFER = new CaseType("host_offer", CaseKind.HOST,
      List.of(Role.SCREENING, Role.PLACEMENT_REVIEW), List.of(Role.INTRODUCTION), Role.SCREENING,
      Set.of(Role.PLACEMENT_REVIEW),
      Set.of(), "a host family's room, registered through the public form");

  /**
   * A housing provider's own home, offered in bulk: the provider is responsible for it (it vouches for it, so
   * there is no screening), and a match into it needs the household's care provider too.
   */
  public static final CaseType PROVIDER_HOME = new CaseType("provider_home", CaseKind.HOST,
      List.of(Role.HOUSING_PROVIDER, Role.PLACEMENT_REVIEW), List.of(), Role.HOUSING_PROVIDER,
      Set.of(Role.PLACEMENT_REVIEW), Set.of(Role.CARE_PROVIDER),
      "a housing provider's home, offered through POST /partner/homes");

  /**
   * Host families for displaced people, as the 2022 consortium worked: one organisation takes applications,
   * screens hosts and reviews the first match; one introduces household and host (a meeting or a trial stay) before
   * the move-in; the household's support organisation supports it throughout; one may advise the household.
   */
  public static final Programme HOST_FAMILY = new Programme(HOST_FAMILY_ID, "Host families for displaced people",
      List.of(HOUSEHOLD, HOST_OFFER, PROVIDER_HOME),
      List.of(
          new SystemStep(SystemStep.REGISTRATION, "Registration: the public form, or a provider's bulk offer",
              (type, status) -> false,
              List.of(new Decision("registered", List.of("possible_duplicate"), false,
                  "a household opens (on hold when its contact was seen before), a host goes to screening, a "
                      + "provider's home is approved at once; every role is assigned by the routing",
                  WebhookEvent.HOST_SCREENING_REQUESTED, true),
                  new Decision(nl.onderdak.core.registration.DetailsCorrection.DECISION,
                      nl.onderdak.core.registration.DetailsCorrection.REASONS, true,
                      "the registrant corrected its contact or dates on its own page, with the registration's "
                          + "checks: on record, told to nobody", null, true))),
          new DuplicateCheckStep(Role.GUEST_SUPPORT),
          new ScreeningStep(Role.SCREENING),
          new SystemStep(SystemStep.MATCHING, "Matching: the exact matcher proposes a household to a host",
              (type, status) -> status == GuestStatus.OPEN || status == HostStatus.APPROVED,
              List.of(new Decision("propose", List.of(), false, "household and host proposed; the review is next",
                  WebhookEvent.MATCH_PROPOSED, true))),
          new ProposalReviewStep(Role.PLACEMENT_REVIEW),
          new IntroductionStep(Role.INTRODUCTION, Role.PLACEMENT_REVIEW, Set.of("host_offer")),
          new PlacementStep(Role.PLACEMENT_REVIEW),
          new StayStep(Role.PLACEMENT_REVIEW),
          new WithdrawalStep(),
          new AdviceStep(Role.ADVICE)));

  private static final List<Programme> ALL = List.of(HOST_FAMILY);

  private Programmes() {}

  public static List<Programme> all() {
    return ALL;
  }

  /** The programme with this id; cases written before programmes existed are host-family cases. */
  public static Programme of(String id) {
    if (id == null) {
      return HOST_FAMILY;
    }
    for (Programme p : ALL) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no programme " + id);
  }

  public static boolean exists(String id) {
    return ALL.stream().anyMatch(p -> p.id().equals(id));
  }
}
