package nl.onderdak.matching;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.chain.Quarantine;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.matching.engine.Provinces;

/**
 * Which case events may make a match possible, and where to look: a household entering the open pool
 * (registered, or back after a declined or ended match) triggers a run for every province it accepts; a host
 * becoming approved, for its province; either released from quarantine, the same. A held case triggers nothing. All triggers of a batch make one run over the union of their provinces.
 */
final class MatchingTriggers {
  private final MatchStore store;

  MatchingTriggers(MatchStore store) {
    this.store = store;
  }

  /** A case event that may make a match possible. */
  record Trigger(CaseKind kind, String caseId, String region) {}

  /** Where one run looks ({@code provinces}) and whom it must consider whatever their province ({@code cases}). */
  record Scope(Set<String> provinces, Set<String> cases) {}

  /** The record's trigger, or null: a household into the open pool, a host approved. */
  static Trigger of(DynamodbStreamRecord record) {
    Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
    if (!"INSERT".equals(record.getEventName()) || image == null || !"EVENT".equals(text(image, "itemType"))) {
      return null;
    }
    if (image.get("held") != null && Boolean.TRUE.equals(image.get("held").getBOOL())) {
      return null; // a case held as possibly fake is in no pool the matcher reads (Quarantine)
    }
    String kind = text(image, "kind");
    String to = text(image, "toStatus");
    boolean released = Quarantine.RELEASED.equals(text(image, "eventType"));
    if (to == null || (!released && to.equals(text(image, "fromStatus")))) {
      return null; // an assignment or a handover: the pools did not change
    }
    if ("host".equals(kind) && "approved".equals(to)) {
      return new Trigger(CaseKind.HOST, text(image, "caseId"), text(image, "region"));
    }
    if ("guest".equals(kind) && "open".equals(to)) {
      return new Trigger(CaseKind.GUEST, text(image, "caseId"), text(image, "region"));
    }
    return null;
  }

  /** The provinces the triggers reach: the households' accepted provinces are on their case items, read together. */
  Scope scope(Collection<Trigger> triggers) {
    List<String> households = new ArrayList<>();
    triggers.stream().filter(t -> t.kind() == CaseKind.GUEST).forEach(t -> households.add(t.caseId()));
    var items = households.isEmpty() ? Map.<String, Map<String,
        software.amazon.awssdk.services.dynamodb.model.AttributeValue>>of() : store.caseItems(households);
    Set<String> provinces = new LinkedHashSet<>();
    Set<String> cases = new LinkedHashSet<>();
    for (Trigger t : triggers) {
      if (t.kind() == CaseKind.HOST) {
        provinces.add(t.region());
        cases.add(t.caseId());
        continue;
      }
      var item = items.get(t.caseId());
      if (item == null) {
        continue;
      }
      cases.add(t.caseId());
      var profile = item.get("profile").m();
      if (profile.get("acceptsOtherRegions").bool()) {
        provinces.addAll(Provinces.CODES);
      } else {
        profile.get("preferredRegions").l().forEach(r -> {
          if (Provinces.index(r.s()) >= 0) {
            provinces.add(r.s());
          }
        });
      }
      provinces.add(Attr.str(item, "region"));
    }
    return new Scope(provinces, cases);
  }

  private static String text(Map<String, AttributeValue> image, String name) {
    AttributeValue v = image.get(name);
    return v == null ? null : v.getS();
  }
}
