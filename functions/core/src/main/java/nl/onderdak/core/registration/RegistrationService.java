package nl.onderdak.core.registration;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashMap;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseType;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.HolderRows;
import nl.onderdak.core.chain.MatchContext;
import nl.onderdak.core.chain.Programme;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.chain.Quarantine;
import nl.onderdak.core.chain.Responsibility;
import nl.onderdak.core.chain.Routing;
import nl.onderdak.core.chain.SystemStep;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.events.ChainFacts;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.Contact;
import nl.onderdak.core.model.GuestRegistration;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostRegistration;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.RegistrationItems;
import nl.onderdak.core.storage.CaseStore.NewRegistration;
import nl.onderdak.core.storage.CaseStore.RegistrationRefused;
import nl.onderdak.core.support.Ids;
import nl.onderdak.core.support.Secrets;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Takes a registration from request body to stored case, so that it is never lost, never written
 * in half, and never duplicated by a retry, a double click or a second registration of the same
 * person.
 *
 * <ul>
 *   <li>The same {@code Idempotency-Key} with the same body gives back the first answer and writes
 *       nothing; with another body it is refused ({@link IdempotencyKeyReused}).
 *   <li>A contact (email or phone) seen before links the new registration to the earlier case
 *       ({@code duplicateOf}); a guest household is then put on hold, out of the matching pool,
 *       until a partner has looked, so that no household is promised two places.
 * </ul>
 */
public final class RegistrationService {
  /** How long an idempotency key is remembered. Clients retry within minutes, not days. */
  public static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);
  static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
  private static final int ATTEMPTS = 4;

  private final CaseStore store;
  private final Clock clock;
  private final Duration personalDataRetention;
  private final java.util.function.Supplier<Routing> routing;
  private final FormTickets tickets;

  /**
   * @param routing who takes each role on a new case (read once per registration: one item)
   */
  public RegistrationService(CaseStore store, Clock clock, Duration personalDataRetention,
      java.util.function.Supplier<Routing> routing) {
    this(store, clock, personalDataRetention, routing, null);
  }

  /** @param tickets the public form's tickets, checked on {@link #registerFromForm} */
  public RegistrationService(CaseStore store, Clock clock, Duration personalDataRetention,
      java.util.function.Supplier<Routing> routing, FormTickets tickets) {
    this.store = store;
    this.clock = clock;
    this.personalDataRetention = personalDataRetention;
    this.routing = routing;
    this.tickets = tickets;
  }

  /**
   * The field of the public form a person never sees ({@code website} in the body, hidden from view and from
   * assistive technology). Read, and taken out of the body, here only.
   */
  public static final String HONEYPOT_FIELD = "website";

  /** The answer to a registration: what the registrant needs to keep. */
  public record Registered(String id, CaseKind kind, String status, String statusToken, Instant registeredAt,
      boolean replayed) {}

  /** The idempotency key was used before for a different request. */
  public static final class IdempotencyKeyReused extends RuntimeException {
    public IdempotencyKeyReused() {
      super("this Idempotency-Key was used for a different request", null, false, false);
    }
  }

  /**
   * Validates and stores a registration.
   *
   * @param idempotencyKey the client's key, or null
   * @throws nl.onderdak.core.validation.ValidationException listing every invalid field
   * @throws IdempotencyKeyReused when the key was used for another body
   */
  public Registered register(CaseKind kind, JsonNode body, String idempotencyKey) {
    return register(kind == CaseKind.GUEST ? Programmes.HOUSEHOLD : Programmes.HOST_OFFER, body, idempotencyKey,
        Actor.REGISTRANT, Map.of(), null, null);
  }

  /**
   * A registration through the public routes: as {@link #register(CaseKind, JsonNode, String)}, and its form
   * ticket must be valid and is spent with it. One whose hidden field was filled in is stored all the same, and
   * answered as any other (a bot learns nothing), but held out of matching ({@link Quarantine#FORM_HONEYPOT})
   * until an operator releases it: a person whose browser filled it in by mistake loses nothing.
   *
   * @throws FormTickets.TicketRefused when the ticket is missing, spent, expired or too early (nothing written)
   */
  public Registered registerFromForm(CaseKind kind, JsonNode body, String idempotencyKey, String ticket) {
    if (tickets == null) {
      throw new IllegalStateException("no form tickets wired");
    }
    return register(kind == CaseKind.GUEST ? Programmes.HOUSEHOLD : Programmes.HOST_OFFER, body, idempotencyKey,
        Actor.REGISTRANT, Map.of(), null, new FormSubmission(ticket, trapped(body)));
  }

  /** What the public form sent besides the registration: its ticket, and whether its hidden field was filled. */
  private record FormSubmission(String ticket, boolean trapped) {}

  /** Whether the hidden field holds anything at all (a person leaves it empty; any value, of any type, is a bot's). */
  private static boolean trapped(JsonNode body) {
    JsonNode value = body.path(HONEYPOT_FIELD);
    return !value.isMissingNode() && !value.isNull() && !(value.isTextual() && value.asText().isEmpty());
  }

  /** The registration body without the form's hidden field (which is no part of a registration). */
  private static JsonNode withoutHoneypot(JsonNode body) {
    if (body instanceof com.fasterxml.jackson.databind.node.ObjectNode o && o.has(HONEYPOT_FIELD)) {
      com.fasterxml.jackson.databind.node.ObjectNode copy = o.deepCopy();
      copy.remove(HONEYPOT_FIELD);
      return copy;
    }
    return body;
  }

  /**
   * Validates and stores a registration of a case type, assigning its roles by the routing.
   *
   * @param pinned roles decided by who registers it (a housing provider's own home is its own)
   * @param providerHome the housing provider a home belongs to, or null
   */
  public Registered register(CaseType type, JsonNode body, String idempotencyKey, Actor actor,
      Map<Role, String> pinned, String providerHome) {
    return register(type, body, idempotencyKey, actor, pinned, providerHome, null);
  }

  private Registered register(CaseType type, JsonNode original, String idempotencyKey, Actor actor,
      Map<Role, String> pinned, String providerHome, FormSubmission form) {
    CaseKind kind = type.kind();
    LocalDate today = LocalDate.now(clock.withZone(ZONE));
    JsonNode body = form == null ? original : withoutHoneypot(original);
    Draft draft = kind == CaseKind.GUEST ? guestDraft(GuestRegistrationParser.parse(body, today))
        : hostDraft(HostRegistrationParser.parse(body, today), providerHome != null);
    Programme programme = Programmes.HOST_FAMILY;
    Routing routes = routing.get();
    String scopedKey = idempotencyKey == null ? null : kind.wire() + "#" + idempotencyKey;
    String requestHash = Secrets.sha256Hex(Json.canonical(original));
    String held = form != null && form.trapped() ? Quarantine.FORM_HONEYPOT : null;

    for (int attempt = 1; ; attempt++) {
      if (scopedKey != null) {
        Optional<Registered> earlier = replay(scopedKey, requestHash);
        if (earlier.isPresent()) {
          return earlier.get();
        }
      }
      // After the replay: a retry of a stored registration gets its first answer, whatever ticket it carries.
      TransactWriteItem spend = form == null ? null : tickets.spend(form.ticket());
      List<String> claimKeys = claimKeys(kind, draft.contact);
      Optional<String> owner = store.contactOwner(claimKeys);
      Instant now = clock.instant();
      String id = Ids.newCaseId(kind);
      String token = Secrets.newToken();
      CaseStatus status = draft.initialStatus(owner.isPresent());
      // No end yet: personal data is kept while the case is worked on, and its end is set when the case ends
      // (Retention, from the case-events reader).
      Long deleteAfter = null;
      List<Map<String, AttributeValue>> claims = new ArrayList<>();
      if (owner.isEmpty()) {
        claimKeys.forEach(k -> claims.add(RegistrationItems.contactClaimItem(k, id, now, deleteAfter)));
      }
      Registered answer = new Registered(id, kind, status.wire(), token, now, false);
      Map<String, AttributeValue> idempotencyItem = scopedKey == null ? null
          : idempotencyItem(scopedKey, requestHash, answer, now);
      // Who is responsible, from the start: the roles pinned by who registers it, the others by the routing.
      Map<String, AttributeValue> origin = RegistrationItems.caseItem(id, kind, status, draft.region, now, null, null,
          draft.profile, null);
      String municipality = RegistrationItems.origin(origin).municipality();
      Routing.Assigned routed = routes.assign(programme, type, draft.region, municipality, pinned);
      Responsibility responsible = Responsibility.NONE.with(pinned, now).with(routed.partners(), now);
      Map<String, String> how = new LinkedHashMap<>(Responsibility.wire(routed.how()));
      pinned.keySet().forEach(r -> how.put(r.wire(), "registration"));
      Map<String, AttributeValue> caseItem = RegistrationItems.caseItem(id, kind, status, draft.region, now,
          Secrets.sha256Hex(token), owner.orElse(null), draft.profile, draft.preferredLanguage,
          new RegistrationItems.Chain(programme.id(), type.key(), responsible.holdersValue(),
              responsible.sinceValue(), providerHome, actor.wire()));
      if (held != null) {
        Quarantine.hold(caseItem, kind, status, draft.region, held, now);
      }
      ChainFacts facts = new ChainFacts(SystemStep.REGISTRATION, "registered", null,
          Responsibility.wire(responsible.holders()), Responsibility.wire(responsible.holders()), how,
          held != null ? Set.of() : responsible.partners(), null, null, null, null, null, false, null, programme.id(),
          type.key(), held != null, null);
      CaseEvent event = new CaseEvent(id, kind, 1, CaseEvent.REGISTERED, draft.region, null, status.wire(), now,
          actor.wire(), owner.isPresent() ? "possible_duplicate" : null)
          .withOrigin(RegistrationItems.origin(caseItem)).withChain(facts);
      NewRegistration registration = new NewRegistration(event, caseItem,
          RegistrationItems.personalItem(id, kind, draft.contact, draft.address, draft.notes, now, deleteAfter),
          claims, idempotencyItem, HolderRows.rows(CaseView.of(caseItem), MatchContext.NONE), spend);
      try {
        store.create(registration);
        return answer;
      } catch (RegistrationRefused refused) {
        if (refused.refusal() == CaseStore.Refusal.TICKET_SPENT) {
          throw FormTickets.spentMeanwhile();
        }
        // Another request got there first: the same key (replay it), the same contact (link to it),
        // or a write conflict. Read again and decide again; nothing of this attempt was written.
        if (attempt >= ATTEMPTS) {
          throw refused;
        }
        sleepBriefly(attempt);
      }
    }
  }

  /**
   * For SnapStart priming: what a registration reads and checks, of nobody: an empty body refused field by field,
   * the routing, an idempotency key never used, a contact nobody has, and the transaction refused by its own
   * condition. Nothing is written.
   */
  public void prime(CaseKind kind) {
    LocalDate today = LocalDate.now(clock.withZone(ZONE));
    try {
      if (kind == CaseKind.GUEST) {
        GuestRegistrationParser.parse(Json.object(), today);
      } else {
        HostRegistrationParser.parse(Json.object(), today);
      }
    } catch (nl.onderdak.core.validation.ValidationException expected) {
      // every field missing, as it must be
    }
    routing.get();
    if (tickets != null) {
      tickets.prime();
    }
    replay(kind.wire() + "#priming", Secrets.sha256Hex("{}"));
    store.contactOwner(List.of("priming"));
    store.primeTransaction();
  }

  private Optional<Registered> replay(String scopedKey, String requestHash) {
    return store.idempotencyRecord(scopedKey).map(item -> {
      if (!requestHash.equals(Attr.str(item, "requestHash"))) {
        throw new IdempotencyKeyReused();
      }
      return new Registered(Attr.str(item, "caseId"), CaseKind.fromWire(Attr.str(item, "kind")),
          Attr.str(item, "status"), Attr.str(item, "statusToken"), Instant.parse(Attr.str(item, "registeredAt")),
          true);
    });
  }

  /**
   * The first answer, kept for the key's lifetime so a retry gets exactly the same one, status token
   * included. The token is a secret: the record lives in its own table, encrypted, and expires.
   */
  private static Map<String, AttributeValue> idempotencyItem(String key, String requestHash, Registered answer,
      Instant now) {
    return Attr.item(
        "pk", key,
        "requestHash", requestHash,
        "caseId", answer.id(),
        "kind", answer.kind().wire(),
        "status", answer.status(),
        "statusToken", answer.statusToken(),
        "registeredAt", answer.registeredAt().toString(),
        "expiresAt", now.plus(IDEMPOTENCY_TTL).getEpochSecond());
  }

  /** Hashed, normalised contacts, per kind: a host who is also a guest is not a duplicate. */
  public static List<String> claimKeys(CaseKind kind, Contact contact) {
    List<String> keys = new ArrayList<>();
    if (contact.email() != null) {
      keys.add("CONTACT#" + kind.wire() + "#email#" + Secrets.sha256Hex(contact.email()));
    }
    if (contact.phone() != null) {
      keys.add("CONTACT#" + kind.wire() + "#phone#" + Secrets.sha256Hex(contact.phone()));
    }
    return keys;
  }

  /** A registrant's own view of their case; empty for an unknown id or a wrong token alike. */
  public Optional<CaseRecord> status(String id, String token) {
    if (!Ids.isCaseId(id) || token == null || token.isEmpty() || token.length() > 128) {
      return Optional.empty();
    }
    return store.find(id).filter(c -> Secrets.matches(token, c.statusTokenHash()));
  }

  private static void sleepBriefly(int attempt) {
    try {
      Thread.sleep(10L * attempt + (long) (Math.random() * 20));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Draft guestDraft(GuestRegistration g) {
    return new Draft(g.contact(), g.homeRegion(), g.preferredLanguage(),
        RegistrationItems.guestProfile(g), null, g.notes(), GuestStatus.OPEN, GuestStatus.ON_HOLD);
  }

  private static Draft hostDraft(HostRegistration h, boolean providerHome) {
    // A host offering a second home with the same contact is ordinary; screening sees the link. A housing
    // provider vouches for its own homes: they are approved at once, with no screening.
    HostStatus first = providerHome ? HostStatus.APPROVED : HostStatus.SCREENING;
    return new Draft(h.contact(), h.address().province(), h.preferredLanguage(),
        RegistrationItems.hostProfile(h), h.address(), h.notes(), first, first);
  }

  private record Draft(Contact contact, String region, String preferredLanguage, AttributeValue profile,
      HostRegistration.Address address, String notes, CaseStatus fresh, CaseStatus linked) {
    CaseStatus initialStatus(boolean seenBefore) {
      return seenBefore ? linked : fresh;
    }
  }
}
