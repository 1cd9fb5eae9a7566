package nl.onderdak.matching;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.matching.engine.HostOffer;
import nl.onderdak.matching.engine.Household;
import nl.onderdak.matching.engine.Languages;
import nl.onderdak.matching.engine.Provinces;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads case items (as the registration wrote them) into the matching engine's model. */
final class CasePools {
  private CasePools() {}

  static Household household(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> profile = item.get("profile").m();
    int adults = Integer.parseInt(profile.get("adults").n());
    List<AttributeValue> children = profile.get("childAges").l();
    List<Integer> provinces = new ArrayList<>();
    List<Integer> municipalities = new ArrayList<>();
    for (AttributeValue region : profile.get("preferredRegions").l()) {
      String code = region.s();
      if (code.startsWith("PV")) {
        provinces.add(Provinces.index(code));
      } else if (code.startsWith("GM")) {
        municipalities.add(Integer.parseInt(code.substring(2)));
      }
    }
    return new Household(
        Attr.str(item, "caseId"),
        adults + children.size(),
        !children.isEmpty(),
        !profile.get("pets").l().isEmpty(),
        profile.get("stepFreeAccessNeeded").bool(),
        profile.get("smoker").bool(),
        Languages.mask(strings(profile.get("languages"))),
        provinces.stream().mapToInt(Integer::intValue).toArray(),
        municipalities.stream().mapToInt(Integer::intValue).toArray(),
        profile.get("acceptsOtherRegions").bool(),
        (int) LocalDate.parse(profile.get("neededFrom").s()).toEpochDay(),
        (int) epochDay(Attr.str(item, "registeredAt")));
  }

  static HostOffer host(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> profile = item.get("profile").m();
    AttributeValue municipality = profile.get("municipality");
    return new HostOffer(
        Attr.str(item, "caseId"),
        Provinces.index(profile.get("province").s()),
        municipality == null ? -1 : Integer.parseInt(municipality.s().substring(2)),
        Integer.parseInt(profile.get("beds").n()),
        profile.get("childrenWelcome").bool(),
        profile.get("petsWelcome").bool(),
        profile.get("stepFreeAccess").bool(),
        profile.get("smokingInHome").bool(),
        Languages.mask(strings(profile.get("languages"))),
        (int) LocalDate.parse(profile.get("availableFrom").s()).toEpochDay(),
        (int) LocalDate.parse(profile.get("availableUntil").s()).toEpochDay(),
        "approved".equals(Attr.str(item, "status")));
  }

  /** Hosts this household declined before (kept on its case item by the review step). */
  static List<String> declinedHosts(Map<String, AttributeValue> item) {
    AttributeValue declined = item.get("declinedHosts");
    return declined == null || declined.ss() == null ? List.of() : declined.ss();
  }

  private static List<String> strings(AttributeValue list) {
    List<String> out = new ArrayList<>();
    list.l().forEach(v -> out.add(v.s()));
    return out;
  }

  private static long epochDay(String instant) {
    return Instant.parse(instant).atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
  }
}
