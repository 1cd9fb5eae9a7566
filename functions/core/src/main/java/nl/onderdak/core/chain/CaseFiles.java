package nl.onderdak.core.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.PersonalKeys;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Secrets;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A case's file in the personal-data table (its contact and address, the texts of its decisions, its notes),
 * and the record of every read of it: each read puts a {@code READ#<time>#<partner>} item in the case's item
 * collection in the cases table, saying who read what, at which version of the case, and why it could
 * ({@code holder}, or {@code reviewer} of which match), so that a reconciliation can check every read
 * against who was responsible at that version.
 */
public final class CaseFiles {
  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final Duration retention;

  public CaseFiles(DynamoDbClient dynamo, Tables tables, Duration retention) {
    this.dynamo = dynamo;
    this.tables = tables;
    this.retention = retention;
  }

  /** A text written by a person: a decision's reason in words, or a note. */
  public record Text(String id, String author, Instant at, String text, String step, String decision) {}

  /** The case's contact, address and the registrant's own notes (null when retention removed them). */
  public Personal details(String caseId) {
    Map<String, AttributeValue> item = detailsItem(caseId);
    if (item == null) {
      return null;
    }
    return new Personal(item.get("contact") == null ? null : Attr.toJson(item.get("contact")),
        item.get("address") == null ? null : Attr.toJson(item.get("address")));
  }

  private Map<String, AttributeValue> detailsItem(String caseId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.personalData())
        .key(PersonalKeys.details(caseId)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? null : item;
  }

  /** A case's personal details as registered: how to reach the household or host, and where the home is. */
  public record Personal(com.fasterxml.jackson.databind.JsonNode contact,
      com.fasterxml.jackson.databind.JsonNode address) {}

  /** One read of a case's personal data, as the record of reads shows it to the responsible organisations. */
  public record Read(String at, String partnerId, String what) {}

  /** The free texts of the case's decisions: event seq → text. */
  public Map<Long, Text> decisionTexts(String caseId) {
    Map<Long, Text> out = new LinkedHashMap<>();
    query(PersonalKeys.casePartition(caseId), PersonalKeys.TEXT).forEach(i -> out.put(Attr.num(i, "seq"), text(i)));
    return out;
  }

  /** The free texts of a match's decisions: decision → text. */
  public Map<String, Text> matchTexts(String matchId) {
    Map<String, Text> out = new LinkedHashMap<>();
    query(PersonalKeys.matchPartition(matchId), PersonalKeys.TEXT).forEach(i -> out.put(Attr.str(i, "decision"), text(i)));
    return out;
  }

  /** The case's notes, oldest first; the registrant's own notes from the registration come first. */
  public List<Text> notes(String caseId) {
    List<Text> out = new ArrayList<>();
    Map<String, AttributeValue> details = detailsItem(caseId);
    if (details != null && Attr.str(details, "notes") != null) {
      out.add(new Text("registration", "registrant", Instant.parse(Attr.str(details, "registeredAt")),
          Attr.str(details, "notes"), null, null));
    }
    List<Text> notes = new ArrayList<>();
    query(PersonalKeys.casePartition(caseId), PersonalKeys.NOTE).forEach(i -> notes.add(text(i)));
    notes.sort(Comparator.comparing(Text::at).thenComparing(Text::id));
    out.addAll(notes);
    return out;
  }

  /** The note's id was used before for another text: a retry with the same key must send the same note. */
  public static final class NoteKeyReused extends RuntimeException {
    public NoteKeyReused() {
      super("this Idempotency-Key was used for a different note", null, false, false);
    }
  }

  /**
   * Adds a note, once per idempotency key and organisation: a retry gets the first note back and writes nothing.
   *
   * @return the note, and whether it was there already
   */
  public Map.Entry<Text, Boolean> addNote(String caseId, Actor author, String text, String idempotencyKey,
      Instant at, boolean caseEnded) {
    String id = "N-" + Secrets.sha256Hex(author.wire() + "|" + caseId + "|" + idempotencyKey).substring(0, 16)
        .toUpperCase(java.util.Locale.ROOT);
    Map<String, AttributeValue> item = Attr.item("pk", PersonalKeys.casePartition(caseId), "sk", PersonalKeys.NOTE + id,
        "caseId", caseId, "noteId", id, "author", author.wire(), "at", at.toString(), "text", text,
        // Kept as the case's other personal data: until the case ends, then for the retention period (Retention);
        // a note on a case that has ended already ends that long after it is written.
        "deleteAfter", caseEnded ? at.plus(retention).getEpochSecond() : null);
    try {
      dynamo.putItem(b -> b.tableName(tables.personalData()).item(item).conditionExpression("attribute_not_exists(pk)"));
      return Map.entry(text(item), false);
    } catch (ConditionalCheckFailedException replay) {
      Map<String, AttributeValue> first = dynamo.getItem(b -> b.tableName(tables.personalData())
          .key(Attr.key(PersonalKeys.casePartition(caseId), PersonalKeys.NOTE + id)).consistentRead(true)).item();
      if (first == null || !text.equals(Attr.str(first, "text"))) {
        throw new NoteKeyReused();
      }
      return Map.entry(text(first), true);
    }
  }

  /** Puts a read on record: who read what of the case, at which version, and by what right. */
  public void recordRead(CaseAccess.Sight sight, String partnerId, String what, String requestId, Instant at) {
    CaseView c = sight.c();
    dynamo.putItem(b -> b.tableName(tables.cases()).item(Attr.item(
        "pk", CaseEvent.partitionKey(c.id()), "sk", "READ#" + at + "#" + partnerId, "itemType", "READ",
        "caseId", c.id(), "partnerId", partnerId, "at", at.toString(), "requestId", requestId, "what", what,
        "caseVersion", c.version(), "access", sight.holder() ? "holder" : "reviewer",
        "matchId", sight.match() == null ? null : sight.match().id(),
        "otherCaseId", sight.other() == null ? null : sight.other().id(),
        "otherCaseVersion", sight.other() == null ? null : sight.other().version())));
  }

  /** A read by an operator (a person's export), on the same record as the organisations' reads. */
  public void recordOperatorRead(String caseId, long version, Actor operator, String what, String requestId,
      Instant at) {
    dynamo.putItem(b -> b.tableName(tables.cases()).item(Attr.item(
        "pk", CaseEvent.partitionKey(caseId), "sk", "READ#" + at + "#" + operator.wire(), "itemType", "READ",
        "caseId", caseId, "partnerId", operator.wire(), "at", at.toString(), "requestId", requestId, "what", what,
        "caseVersion", version, "access", "operator")));
  }

  /** Every read of the case's personal data, oldest first. */
  public List<Read> reads(String caseId) {
    List<Read> out = new ArrayList<>();
    dynamo.queryPaginator(QueryRequest.builder().tableName(tables.cases())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
        .expressionAttributeValues(Map.of(":pk", Attr.s(CaseEvent.partitionKey(caseId)), ":r", Attr.s("READ#")))
        .build()).items().forEach(i -> out.add(new Read(Attr.str(i, "at"), Attr.str(i, "partnerId"),
            Attr.str(i, "what"))));
    return out;
  }

  /** The case's events, in order. */
  public List<CaseEvent> history(String caseId) {
    List<CaseEvent> out = new ArrayList<>();
    dynamo.queryPaginator(QueryRequest.builder().tableName(tables.cases())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :e)")
        .expressionAttributeValues(Map.of(":pk", Attr.s(CaseEvent.partitionKey(caseId)), ":e", Attr.s("EVENT#")))
        .consistentRead(true).build()).items().forEach(i -> out.add(CaseEvent.fromItem(i)));
    return out;
  }

  private List<Map<String, AttributeValue>> query(String pk, String prefix) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    dynamo.queryPaginator(QueryRequest.builder().tableName(tables.personalData())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
        .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":p", Attr.s(prefix))).consistentRead(true).build())
        .items().forEach(out::add);
    return out;
  }

  private static Text text(Map<String, AttributeValue> i) {
    String id = Attr.str(i, "noteId") != null ? Attr.str(i, "noteId") : Attr.str(i, "sk");
    return new Text(id, Attr.str(i, "author"), Instant.parse(Attr.str(i, "at")), Attr.str(i, "text"),
        Attr.str(i, "step"), Attr.str(i, "decision"));
  }
}
