package nl.onderdak.core.storage;

import static nl.onderdak.core.storage.Attr.bool;
import static nl.onderdak.core.storage.Attr.n;
import static nl.onderdak.core.storage.Attr.numbers;
import static nl.onderdak.core.storage.Attr.strings;

import java.time.Instant;
import nl.onderdak.core.events.CaseEvent;
import java.util.Map;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.Contact;
import nl.onderdak.core.model.GuestRegistration;
import nl.onderdak.core.model.HostRegistration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns a validated registration into its two items: the case (what matching and dashboards need)
 * and the personal data (who the people are and how to reach them), kept in separate tables so
 * that personal data can be protected, audited and deleted on its own.
 */
public final class RegistrationItems {
  private RegistrationItems() {}

  public static Map<String, AttributeValue> caseItem(String id, CaseKind kind, CaseStatus status, String region,
      Instant at, String tokenHash, String duplicateOf, AttributeValue profile, String preferredLanguage) {
    return caseItem(id, kind, status, region, at, tokenHash, duplicateOf, profile, preferredLanguage, null);
  }

  /**
   * The case item, and its place in the chain: the programme and case type, who is responsible for it (role →
   * organisation, and since when), when it entered its step, no handover pending.
   */
  public static Map<String, AttributeValue> caseItem(String id, CaseKind kind, CaseStatus status, String region,
      Instant at, String tokenHash, String duplicateOf, AttributeValue profile, String preferredLanguage,
      Chain chain) {
    Map<String, AttributeValue> item = new java.util.LinkedHashMap<>(Attr.item(
        "pk", CaseEvent.partitionKey(id),
        "sk", CaseRecord.SORT_KEY,
        "itemType", CaseRecord.ITEM_TYPE,
        "caseId", id,
        "kind", kind.wire(),
        "status", status.wire(),
        "version", 1L,
        "region", region,
        "poolKey", CaseRecord.poolKey(kind, status, region),
        "poolOrder", CaseRecord.poolOrder(at, id),
        "registeredAt", at.toString(),
        "updatedAt", at.toString(),
        "statusTokenHash", tokenHash,
        "duplicateOf", duplicateOf,
        "preferredLanguage", preferredLanguage,
        "profile", profile));
    if (chain != null) {
      item.putAll(Attr.item("programme", chain.programme(), "caseType", chain.caseType(), "stepSince", at.toString(),
          "providerHome", chain.providerHome(), "lastActor", chain.actor()));
      item.put("responsible", chain.responsible());
      item.put("assignedAt", chain.assignedAt());
      item.put("handovers", AttributeValue.fromM(Map.of()));
    }
    return item;
  }

  /** A new case's place in the chain, as its item records it. */
  public record Chain(String programme, String caseType, AttributeValue responsible, AttributeValue assignedAt,
      String providerHome, String actor) {}

  /**
   * Where and when a case began, from its case item: the host's municipality, or the household's first
   * preferred municipality; null when none was given.
   */
  public static CaseEvent.Origin origin(Map<String, AttributeValue> caseItem) {
    String registered = Attr.str(caseItem, "registeredAt");
    AttributeValue profile = caseItem.get("profile");
    String municipality = null;
    if (profile != null && profile.hasM()) {
      AttributeValue own = profile.m().get("municipality");
      AttributeValue preferred = profile.m().get("preferredRegions");
      if (own != null && own.s() != null) {
        municipality = own.s();
      } else if (preferred != null && preferred.hasL()) {
        municipality = preferred.l().stream().map(AttributeValue::s)
            .filter(code -> code != null && code.startsWith("GM")).findFirst().orElse(null);
      } else if (preferred != null && preferred.hasSs()) {
        municipality = preferred.ss().stream().filter(code -> code.startsWith("GM")).findFirst().orElse(null);
      }
    }
    return new CaseEvent.Origin(municipality, registered == null ? null : Instant.parse(registered));
  }

  public static AttributeValue guestProfile(GuestRegistration g) {
    return Attr.map(
        "adults", n(g.adults()),
        "childAges", numbers(g.childAges()),
        "pets", strings(g.pets()),
        "stepFreeAccessNeeded", bool(g.stepFreeAccessNeeded()),
        "languages", strings(g.languages()),
        "smoker", bool(g.smoker()),
        "preferredRegions", strings(g.preferredRegions()),
        "acceptsOtherRegions", bool(g.acceptsOtherRegions()),
        "neededFrom", g.neededFrom().toString());
  }

  public static AttributeValue hostProfile(HostRegistration h) {
    HostRegistration.Address a = h.address();
    return Attr.map(
        "postcodeArea", a.postcodeArea(),
        "municipality", a.municipality(),
        "province", a.province(),
        "beds", n(h.beds()),
        "rooms", n(h.rooms()),
        "separateRoom", bool(h.separateRoom()),
        "childrenWelcome", bool(h.childrenWelcome()),
        "petsWelcome", bool(h.petsWelcome()),
        "stepFreeAccess", bool(h.stepFreeAccess()),
        "smokingInHome", bool(h.smokingInHome()),
        "languages", strings(h.languages()),
        "availableFrom", h.availableFrom().toString(),
        "availableUntil", h.availableUntil().toString());
  }

  public static Map<String, AttributeValue> personalItem(String id, CaseKind kind, Contact contact,
      HostRegistration.Address address, String notes, Instant at, Long deleteAfterEpochSeconds) {
    AttributeValue addressValue = address == null ? null : Attr.map(
        "street", address.street(),
        "houseNumber", address.houseNumber(),
        "postcode", address.postcode(),
        "city", address.city());
    return Attr.item(
        "pk", CaseEvent.partitionKey(id),
        "sk", PersonalKeys.DETAILS,
        "caseId", id,
        "kind", kind.wire(),
        "contact", Attr.map("name", contact.name(), "email", contact.email(), "phone", contact.phone()),
        "address", addressValue,
        "notes", notes,
        "registeredAt", at.toString(),
        "deleteAfter", deleteAfterEpochSeconds);
  }

  /** Marks a contact (email or phone, hashed) as belonging to a case, to recognise a second registration. */
  public static Map<String, AttributeValue> contactClaimItem(String claimKey, String caseId, Instant at,
      Long deleteAfterEpochSeconds) {
    return Attr.item(
        "pk", claimKey,
        "sk", PersonalKeys.CLAIM,
        "caseId", caseId,
        "claimedAt", at.toString(),
        "deleteAfter", deleteAfterEpochSeconds);
  }
}
