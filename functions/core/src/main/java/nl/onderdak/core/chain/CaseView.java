package nl.onderdak.core.chain;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.RegistrationItems;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A case as read from its item in the cases table: what the chain needs to decide who may see it and who acts
 * next. No personal data (that is in the personal-data table). {@link #item} keeps the item for the profile.
 *
 * @param programme the programme the case is in ({@code host_family}, …)
 * @param type its case type in that programme ({@code household}, {@code host_offer}, {@code provider_home})
 * @param stepSince when the case entered the step it is in now
 * @param matchId the match it is in, while it is in one
 * @param handovers pending handovers: role → handover id
 */
public record CaseView(String id, CaseKind kind, CaseStatus status, long version, String region, String programme,
    String type, Responsibility responsibility, Instant stepSince, String matchId, String providerHome,
    Map<Role, String> handovers, Instant registeredAt, Map<String, AttributeValue> item) {

  public CaseView {
    handovers = Collections.unmodifiableMap(handovers.isEmpty() ? new EnumMap<>(Role.class) : new EnumMap<>(handovers));
  }

  public static CaseView of(Map<String, AttributeValue> item) {
    if (item == null || item.isEmpty()) {
      return null;
    }
    CaseKind kind = CaseKind.fromWire(Attr.str(item, "kind"));
    Map<Role, String> handovers = Responsibility.byRole(Attr.stringMap(item.get("handovers")));
    String registered = Attr.str(item, "registeredAt");
    String since = Attr.str(item, "stepSince");
    return new CaseView(Attr.str(item, "caseId"), kind, CaseStatus.fromWire(kind, Attr.str(item, "status")),
        Attr.num(item, "version"), Attr.str(item, "region"), Attr.str(item, "programme"), Attr.str(item, "caseType"),
        Responsibility.fromItem(item), since == null ? (registered == null ? null : Instant.parse(registered))
            : Instant.parse(since),
        Attr.str(item, "matchId"), Attr.str(item, "providerHome"), handovers,
        registered == null ? null : Instant.parse(registered), item);
  }

  /** The language the case's people asked to be spoken to in. */
  public String preferredLanguage() {
    return Attr.str(item, "preferredLanguage");
  }

  public String updatedAt() {
    return Attr.str(item, "updatedAt");
  }

  /** The case this one likely repeats (a duplicate registration), or null. */
  public String duplicateOf() {
    return Attr.str(item, "duplicateOf");
  }

  /** What the registration said of the household or home (no personal details), as JSON; null if none. */
  public com.fasterxml.jackson.databind.JsonNode profile() {
    return item.get("profile") == null ? null : Attr.toJson(item.get("profile"));
  }

  public Programme programmeDefinition() {
    return Programmes.of(programme);
  }

  public CaseType caseType() {
    return programmeDefinition().type(type);
  }

  /** The step the case is in now. */
  /** The step of this case's programme that a route names; a programme without it refuses the route. */
  public <S extends Step> S step(Class<S> kind) {
    S step = programmeDefinition().step(kind);
    if (step == null) {
      throw Refused.conflict("no_such_step", "the " + programme() + " programme has no such step");
    }
    return step;
  }

  public Step step() {
    return programmeDefinition().currentStep(caseType(), status);
  }

  public boolean terminal() {
    return status.terminal();
  }

  /** Where and when the case began, carried on its events. */
  public CaseEvent.Origin origin() {
    return RegistrationItems.origin(item);
  }

  /** The municipality the case is tied to (the host's; the household's first preferred), or null. */
  public String municipality() {
    return origin().municipality();
  }

  public static AttributeValue handoversValue(Map<Role, String> handovers) {
    return Attr.stringMap(Responsibility.wire(handovers));
  }
}
