package nl.onderdak.core.registration;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseChange;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.ChainStore;
import nl.onderdak.core.chain.Refused;
import nl.onderdak.core.chain.SystemStep;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.Contact;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.PersonalKeys;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A household or host corrects its own details on its page ({@code POST /registrations/{id}/details?token=…}): its
 * contact (as a whole: name, and an email, a phone or both) and its dates (a household's {@code neededFrom}, a
 * host's {@code availableFrom} and {@code availableUntil}), each with the registration's own checks. One
 * transaction: the contact with the personal data, the contact's hashed claims moved (the old ones this case held
 * let go of, the new ones claimed where nobody holds them), the dates on the case's profile, and the event
 * ({@code registration} / {@code corrected}, by the registrant) on the case's record. Dates change only while the
 * case waits in the pool or in screening; in a match its organisation changes them with it.
 *
 * <p>A new contact that another registration already holds is taken as given, and not claimed: the event's reason
 * says {@code contact_seen_before} for the organisation, and the registrant learns nothing about the other case.
 */
public final class DetailsCorrection {
  public static final String DECISION = "corrected";
  public static final List<String> REASONS = List.of("contact", "dates", "contact_and_dates", "contact_seen_before");
  private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

  private final Chain chain;

  public DetailsCorrection(Chain chain) {
    this.chain = chain;
  }

  /** What was corrected: the fields, by name. */
  public record Corrected(String id, String kind, List<String> fields, boolean repeated) {}

  public Corrected correct(CaseView c, JsonNode body) {
    LocalDate today = LocalDate.now(chain.clock().withZone(ZONE));
    List<FieldError> errors = new ArrayList<>();
    JsonFields fields = JsonFields.root(body, errors);
    Contact contact = fields.has("contact") ? RegistrationRules.contact(fields) : null;
    Map<String, String> dates = new LinkedHashMap<>();
    if (c.kind() == CaseKind.GUEST) {
      LocalDate from = fields.date("neededFrom", false, today.minusDays(RegistrationRules.DATE_PAST_DAYS),
          today.plusDays(RegistrationRules.DATE_FUTURE_DAYS));
      if (from != null) {
        dates.put("neededFrom", from.toString());
      }
    } else {
      LocalDate from = fields.date("availableFrom", false, today.minusDays(RegistrationRules.DATE_PAST_DAYS),
          today.plusDays(RegistrationRules.DATE_FUTURE_DAYS));
      LocalDate until = fields.date("availableUntil", false, today,
          today.plusDays(RegistrationRules.AVAILABLE_UNTIL_FUTURE_DAYS));
      LocalDate effectiveFrom = from != null ? from : profileDate(c, "availableFrom");
      LocalDate effectiveUntil = until != null ? until : profileDate(c, "availableUntil");
      if ((from != null || until != null) && effectiveFrom != null && effectiveUntil != null
          && !effectiveUntil.isAfter(effectiveFrom)) {
        fields.error(until != null ? "availableUntil" : "availableFrom", FieldError.Codes.DATE_ORDER,
            "availableUntil must be after availableFrom");
      }
      if (from != null) {
        dates.put("availableFrom", from.toString());
      }
      if (until != null) {
        dates.put("availableUntil", until.toString());
      }
    }
    fields.rejectUnknown();
    if (errors.isEmpty() && contact == null && dates.isEmpty() && !fields.has("contact")) {
      fields.error("contact", FieldError.Codes.MISSING, "give the corrected contact, dates, or both");
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    if (c.terminal()) {
      throw Refused.conflict("ended", c.id() + " has ended: there is nothing to correct");
    }
    boolean waiting = c.status() == GuestStatus.OPEN || c.status() == GuestStatus.ON_HOLD
        || c.status() == HostStatus.SCREENING || c.status() == HostStatus.APPROVED;
    if (!dates.isEmpty() && !waiting) {
      throw Refused.conflict("in_a_match", c.id() + " is " + c.status().wire()
          + ": its dates are changed with the organisation that helps it");
    }
    Map<String, AttributeValue> details = chain.store().dynamo().getItem(b -> b.tableName(chain.store().tables()
        .personalData()).key(PersonalKeys.details(c.id())).consistentRead(true)).item();
    Contact before = contactOf(details);
    boolean sameContact = contact == null || contact.equals(before);
    boolean sameDates = dates.entrySet().stream().allMatch(e -> e.getValue().equals(profileString(c, e.getKey())));
    List<String> changed = new ArrayList<>();
    if (!sameContact) {
      changed.add("contact");
    }
    changed.addAll(dates.entrySet().stream().filter(e -> !e.getValue().equals(profileString(c, e.getKey())))
        .map(Map.Entry::getKey).toList());
    if (sameContact && sameDates) {
      return new Corrected(c.id(), c.kind().wire(), List.of(), true); // said twice, or nothing new
    }
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    boolean seenBefore = false;
    if (!sameContact) {
      tx.write(TransactWriteItem.builder().update(Update.builder().tableName(chain.store().tables().personalData())
          .key(PersonalKeys.details(c.id()))
          .updateExpression("SET contact = :c, contactCorrectedAt = :at")
          .conditionExpression("attribute_exists(pk)")
          .expressionAttributeValues(Map.of(":c", Attr.map("name", contact.name(), "email", contact.email(),
              "phone", contact.phone()), ":at", AttributeValue.fromS(tx.at().toString()))).build()).build());
      seenBefore = moveClaims(tx, c, before, contact);
    }
    String reason = seenBefore ? "contact_seen_before"
        : !sameContact && !dates.isEmpty() && !sameDates ? "contact_and_dates" : !sameContact ? "contact" : "dates";
    CaseChange change = CaseChange.of(c).decision(c.programmeDefinition().step(SystemStep.REGISTRATION), DECISION,
        reason).by(Actor.REGISTRANT, null).notify(java.util.Set.of());
    if (!sameDates) {
      change.profile(dates);
    }
    tx.change(change);
    try {
      tx.commit();
    } catch (Refused conflict) {
      throw Refused.conflict("conflict", c.id() + " changed meanwhile; send the correction again");
    }
    return new Corrected(c.id(), c.kind().wire(), changed, false);
  }

  /**
   * The old contact's claims this case holds are released, the new contact's claimed where nobody holds them.
   *
   * @return whether another registration holds one of the new contact's claims
   */
  private boolean moveClaims(ChainStore.Tx tx, CaseView c, Contact before, Contact after) {
    List<String> old = before == null ? List.of() : RegistrationService.claimKeys(c.kind(), before);
    List<String> fresh = RegistrationService.claimKeys(c.kind(), after);
    String table = chain.store().tables().personalData();
    boolean seen = false;
    for (String key : old) {
      if (fresh.contains(key)) {
        continue;
      }
      // Let go of, not deleted (the public functions delete no personal data): no caseId, gone by its TTL.
      Map<String, AttributeValue> held = chain.store().dynamo().getItem(b -> b.tableName(table)
          .key(PersonalKeys.claim(key)).consistentRead(true)).item();
      if (held == null || !c.id().equals(Attr.str(held, "caseId"))) {
        continue; // another registration's claim, or none: nothing of this case's to let go
      }
      tx.write(TransactWriteItem.builder().update(Update.builder().tableName(table).key(PersonalKeys.claim(key))
          .updateExpression("REMOVE caseId SET releasedAt = :at, deleteAfter = :gone")
          .conditionExpression("caseId = :me")
          .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(c.id()), ":at",
              AttributeValue.fromS(tx.at().toString()), ":gone", AttributeValue.fromN(Long.toString(
                  tx.at().getEpochSecond())))).build()).build());
    }
    for (String key : fresh) {
      if (old.contains(key)) {
        continue;
      }
      Map<String, AttributeValue> held = chain.store().dynamo().getItem(b -> b.tableName(table)
          .key(PersonalKeys.claim(key)).consistentRead(true)).item();
      String owner = held == null ? null : Attr.str(held, "caseId");
      if (owner != null) {
        seen |= !c.id().equals(owner);
        continue;
      }
      Map<String, AttributeValue> claim = new java.util.HashMap<>(PersonalKeys.claim(key));
      claim.put("caseId", AttributeValue.fromS(c.id()));
      claim.put("claimedAt", AttributeValue.fromS(tx.at().toString()));
      tx.write(TransactWriteItem.builder().put(Put.builder().tableName(table).item(claim)
          .conditionExpression("attribute_not_exists(pk) OR attribute_not_exists(caseId)").build()).build());
    }
    return seen;
  }

  private static Contact contactOf(Map<String, AttributeValue> details) {
    AttributeValue v = details == null ? null : details.get("contact");
    if (v == null || !v.hasM()) {
      return null;
    }
    Map<String, AttributeValue> m = v.m();
    return new Contact(Attr.str(m, "name"), Attr.str(m, "email"), Attr.str(m, "phone"));
  }

  private static String profileString(CaseView c, String field) {
    AttributeValue profile = c.item().get("profile");
    return profile == null || !profile.hasM() ? null : Attr.str(profile.m(), field);
  }

  private static LocalDate profileDate(CaseView c, String field) {
    String s = profileString(c, field);
    return s == null ? null : LocalDate.parse(s);
  }
}
