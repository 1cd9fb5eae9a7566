package nl.onderdak.core.privacy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseChange;
import nl.onderdak.core.chain.CaseFiles;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.ChainStore;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.core.storage.PersonalKeys;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A person's rights over what is held on them (GDPR articles 15 and 17), by case:
 * <ul>
 *   <li>{@link #export}: everything held on the case, as one document: the case as stored, its history, who read
 *       its personal data and when, its handovers, its matches (and their decision texts), its personal details,
 *       notes and decision texts, its contact claims, and the webhooks that named it. The export is itself put on
 *       the record of reads.
 *   <li>{@link #erase}, once the case has ended: the personal details, notes, decision texts (the case's and its matches'), and contact
 *       claims are deleted; the case stays, pseudonymous (no profile, no link to another case), so that counts,
 *       the chain and the history stay true; the erasure is an event on the case, by whom and why.
 * </ul>
 * Operators only ({@code /admin/cases/{id}/…}); the routes' function is the only one allowed to delete personal
 * data.
 */
public final class SubjectRights {
  public static final String ERASED = "personal_data_erased";

  private final ChainStore chain;
  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final Clock clock;

  public SubjectRights(ChainStore chain, Clock clock) {
    this.chain = chain;
    this.dynamo = chain.dynamo();
    this.tables = chain.tables();
    this.clock = clock;
  }

  /** Everything held on the case; empty for an unknown id. The export is recorded as a read by {@code actor}. */
  public Optional<ObjectNode> export(String caseId, Actor actor, String requestId) {
    List<Map<String, AttributeValue>> caseItems = partition(tables.cases(), CaseEvent.partitionKey(caseId));
    Map<String, AttributeValue> caseItem = caseItems.stream()
        .filter(i -> CaseRecord.SORT_KEY.equals(Attr.str(i, "sk"))).findFirst().orElse(null);
    if (caseItem == null) {
      return Optional.empty();
    }
    ObjectNode out = Json.object().put("caseId", caseId).put("exportedAt", clock.instant().toString());
    out.set("case", item(caseItem));
    ArrayNode history = out.putArray("history");
    ArrayNode reads = out.putArray("reads");
    ArrayNode handovers = out.putArray("handovers");
    ArrayNode other = out.putArray("other");
    Set<String> matchIds = new LinkedHashSet<>();
    for (Map<String, AttributeValue> i : caseItems) {
      String type = Attr.str(i, "itemType");
      String sk = Attr.str(i, "sk");
      if (sk.equals(CaseRecord.SORT_KEY)) {
        continue;
      }
      if (CaseEvent.ITEM_TYPE.equals(type)) {
        history.add(item(i));
        if (Attr.str(i, "matchId") != null) {
          matchIds.add(Attr.str(i, "matchId"));
        }
      } else if ("READ".equals(type)) {
        reads.add(item(i));
      } else if (sk.startsWith("HANDOVER#")) {
        handovers.add(item(i));
      } else {
        other.add(item(i));
      }
    }
    ArrayNode matches = out.putArray("matches");
    for (String matchId : matchIds) {
      Map<String, AttributeValue> m = dynamo.getItem(b -> b.tableName(tables.cases())
          .key(Attr.key("MATCH#" + matchId, "MATCH")).consistentRead(true)).item();
      ObjectNode match = matches.addObject().put("matchId", matchId);
      if (m != null && !m.isEmpty()) {
        match.set("match", item(m));
      }
      ArrayNode texts = match.putArray("texts");
      partition(tables.personalData(), PersonalKeys.matchPartition(matchId)).forEach(t -> texts.add(item(t)));
    }
    ArrayNode personal = out.putArray("personalData");
    Map<String, AttributeValue> details = null;
    for (Map<String, AttributeValue> p : partition(tables.personalData(), PersonalKeys.casePartition(caseId))) {
      personal.add(item(p));
      if (PersonalKeys.DETAILS.equals(Attr.str(p, "sk"))) {
        details = p;
      }
    }
    ArrayNode claims = out.putArray("contactClaims");
    ContactClaims.heldBy(dynamo, tables, caseId, CaseKind.fromWire(Attr.str(caseItem, "kind")), details)
        .forEach(claims::add);
    ArrayNode webhooks = out.putArray("webhooks");
    webhooksNaming(caseId).forEach(w -> webhooks.add(item(w)));
    new CaseFiles(dynamo, tables, chain.retention()).recordOperatorRead(caseId, Attr.num(caseItem, "version"), actor,
        "export", requestId, clock.instant());
    return Optional.of(out);
  }

  /** What became of an erasure. */
  public enum Erasure { ERASED, ALREADY_ERASED, NOT_FOUND, CASE_OPEN }

  /**
   * Deletes the case's personal data and free text, then marks the case erased with an event (one transaction
   * with the case's change). Run again after a failure, it finishes what was left (every delete is idempotent).
   */
  public Erasure erase(String caseId, String reason, Actor actor) {
    CaseView before = chain.caseView(caseId);
    if (before == null) {
      return Erasure.NOT_FOUND;
    }
    if (!before.terminal()) {
      // An open case is still being worked on (a household waiting, a placement running): it is ended first, by
      // the organisation responsible (a withdrawal), so that no step is left holding a case without its person.
      return Erasure.CASE_OPEN;
    }
    Map<String, AttributeValue> details = dynamo.getItem(b -> b.tableName(tables.personalData())
        .key(PersonalKeys.details(caseId)).consistentRead(true)).item();
    List<Map<String, AttributeValue>> doomed = new ArrayList<>();
    partition(tables.personalData(), PersonalKeys.casePartition(caseId))
        .forEach(i -> doomed.add(Attr.key(Attr.str(i, "pk"), Attr.str(i, "sk"))));
    ContactClaims.heldBy(dynamo, tables, caseId, before.kind(), details)
        .forEach(k -> doomed.add(PersonalKeys.claim(k)));
    for (Map<String, AttributeValue> e : partition(tables.cases(), CaseEvent.partitionKey(caseId))) {
      if (CaseEvent.ITEM_TYPE.equals(Attr.str(e, "itemType")) && Attr.str(e, "matchId") != null) {
        partition(tables.personalData(), PersonalKeys.matchPartition(Attr.str(e, "matchId")))
            .forEach(t -> doomed.add(Attr.key(Attr.str(t, "pk"), Attr.str(t, "sk"))));
      }
    }
    for (Map<String, AttributeValue> key : new LinkedHashSet<>(doomed)) {
      dynamo.deleteItem(b -> b.tableName(tables.personalData()).key(key));
    }
    if (before.item().get("erasedAt") != null) {
      return Erasure.ALREADY_ERASED;
    }
    chain.begin(clock.instant()).change(CaseChange.of(before).eventType(ERASED).decision(null, "erased", reason)
        .by(actor, null).erasePersonalData()).commit();
    return Erasure.ERASED;
  }

  /** Every webhook in the log whose message names the case (a scan: exports are rare). */
  private List<Map<String, AttributeValue>> webhooksNaming(String caseId) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    dynamo.scanPaginator(b -> b.tableName(tables.partners()).consistentRead(true)
        .filterExpression("itemType = :w AND contains(message, :id)")
        .expressionAttributeValues(Map.of(":w", Attr.s("WEBHOOK"), ":id", Attr.s(caseId)))).items().forEach(out::add);
    return out;
  }

  private List<Map<String, AttributeValue>> partition(String table, String pk) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    dynamo.queryPaginator(QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", Attr.s(pk))).consistentRead(true).build()).items().forEach(out::add);
    return out;
  }

  private static com.fasterxml.jackson.databind.JsonNode item(Map<String, AttributeValue> item) {
    return Attr.toJson(AttributeValue.fromM(item));
  }
}
