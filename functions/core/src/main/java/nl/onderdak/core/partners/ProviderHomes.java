package nl.onderdak.core.partners;

import static nl.onderdak.core.storage.Attr.s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.registration.HostRegistrationParser;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Shelter outflow: a housing provider offers homes in bulk. Every home is checked first, as a host
 * offer would be (and in one of the provider's provinces): nothing is written if any is wrong. Then
 * each becomes a host offer, marked as the provider's home ({@code providerHome}) and approved at
 * once: the provider vouches for its own homes. A placement into such a home needs a care provider's
 * acceptance too ({@link PartnerAccess#ANY_CARE_PROVIDER}).
 *
 * <p>Each home is registered under an idempotency key derived from the request's, so a retry after a
 * failure halfway finishes the rest and repeats nothing.
 */
public final class ProviderHomes {
  public static final int MAX_HOMES = 100;
  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final CaseStore cases;
  private final RegistrationService registrations;
  private final Clock clock;

  public ProviderHomes(DynamoDbClient dynamo, Tables tables, RegistrationService registrations, Clock clock) {
    this.dynamo = dynamo;
    this.tables = tables;
    this.cases = new CaseStore(dynamo, tables);
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
      String hostId = registrations.register(CaseKind.HOST, offers.get(i),
          "provider:" + provider.id() + ":" + idempotencyKey + "#" + i).id();
      // Marked before approval: the approval starts matching, and the review must know the home's kind.
      dynamo.updateItem(b -> b.tableName(tables.cases())
          .key(Attr.key(CaseEvent.partitionKey(hostId), CaseRecord.SORT_KEY))
          .updateExpression("SET providerHome = :p").expressionAttributeValues(Map.of(":p", s(provider.id()))));
      String status = cases.find(hostId).orElseThrow().status().wire();
      if (HostStatus.SCREENING.wire().equals(status)) {
        status = cases.transition(hostId, HostStatus.SCREENING, HostStatus.APPROVED, clock.instant(),
            "partner:" + provider.id(), "provider_home").toStatus();
      }
      out.add(new Offered(hostId, status));
    }
    return out;
  }
}
