package nl.onderdak.core.partners;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.registration.HostRegistrationParser;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;

/**
 * Shelter outflow: a housing provider offers homes in bulk. Every home is checked first, as a host
 * offer would be (and in one of the provider's provinces): nothing is written if any is wrong. Then
 * each becomes a host offer, marked as the provider's home ({@code providerHome}) and approved at
 * once: the provider vouches for its own homes, and holds the housing-provider role on them. A match into such a
 * home needs the household's care provider's acceptance too (see {@code Programmes.PROVIDER_HOME}).
 *
 * <p>Each home is registered under an idempotency key derived from the request's, so a retry after a
 * failure halfway finishes the rest and repeats nothing.
 */
public final class ProviderHomes {
  public static final int MAX_HOMES = 100;
  private final RegistrationService registrations;
  private final Clock clock;

  public ProviderHomes(RegistrationService registrations, Clock clock) {
    this.registrations = registrations;
    this.clock = clock;
  }

  /** One home as offered: its host case and status. */
  public record Offered(String hostId, String status) {}

  /**
   * @param body {@code {"contact": {...}, "homes": [host offers without contact]}}
   * @throws ValidationException naming every wrong field ({@code homes[2].beds}, ...) before anything is written
   */
  public List<Offered> offer(Partner provider, JsonNode body, String idempotencyKey) {
    if (!provider.roles().contains(Role.HOUSING_PROVIDER)) {
      throw nl.onderdak.core.chain.Refused.forbidden("not_a_housing_provider",
          "only housing providers offer homes in bulk");
    }
    List<FieldError> errors = new ArrayList<>();
    JsonFields root = JsonFields.root(body, errors);
    JsonFields contact = root.object("contact", true);
    List<JsonFields> homes = root.objectList("homes", true, MAX_HOMES);
    root.rejectUnknown();
    if (homes != null && homes.isEmpty()) {
      root.error("homes", FieldError.Codes.MISSING, "at least one home");
    }
    if (contact == null || homes == null || homes.isEmpty()) {
      throw new ValidationException(errors);
    }
    List<ObjectNode> offers = new ArrayList<>();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (int i = 0; i < body.get("homes").size(); i++) {
      ObjectNode offer = ((ObjectNode) body.get("homes").get(i)).deepCopy();
      offer.set("contact", body.get("contact"));
      offer.put("preferredLanguage", "nl");
      offer.put("consentToShare", true);
      try {
        HostRegistrationParser.parse(offer, today);
      } catch (ValidationException e) {
        for (FieldError f : e.errors()) {
          String field = f.field().startsWith("contact") ? f.field() : "homes[" + i + "]." + f.field();
          if (errors.stream().noneMatch(x -> x.field().equals(field))) {
            errors.add(new FieldError(field, f.code(), f.message()));
          }
        }
      }
      String province = offer.path("address").path("province").asText("").toUpperCase(Locale.ROOT);
      if (!province.isEmpty() && !provider.regions().contains(province)) {
        errors.add(new FieldError("homes[" + i + "].address.province", FieldError.Codes.INVALID_VALUE,
            "outside the provinces this provider serves " + provider.regions()));
      }
      offers.add(offer);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    List<Offered> out = new ArrayList<>();
    for (int i = 0; i < offers.size(); i++) {
      // The provider's own home: it holds the housing-provider role on it from the start, and vouches for it.
      RegistrationService.Registered r = registrations.register(Programmes.PROVIDER_HOME, offers.get(i),
          "provider:" + provider.id() + ":" + idempotencyKey + "#" + i, Actor.of(provider),
          Map.of(Role.HOUSING_PROVIDER, provider.id()), provider.id());
      out.add(new Offered(r.id(), r.status()));
    }
    return out;
  }
}
