package nl.onderdak.rehearsal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * What the store holds at the end, read straight from DynamoDB (not through the API under test): every
 * case with its status, every event, every match, and every partner's webhook log.
 */
final class StoreSnapshot {
  record Case(String id, String kind, String status, Instant registeredAt, String region) {}

  record Event(String caseId, String kind, String from, String to, Instant at, String reason) {}

  record Match(String id, String guestId, String hostId, String status, String region, Instant proposedAt) {}

  /** A webhook as the runtime logged it, for one partner. */
  record LoggedWebhook(String partnerId, String webhookId, String type, String subject, String state, long attempts) {}

  final Map<String, Case> cases = new HashMap<>();
  final List<Event> events = new ArrayList<>();
  final Map<String, Match> matches = new HashMap<>();
  final List<LoggedWebhook> webhooks = new ArrayList<>();

  static StoreSnapshot read(DynamoDbClient dynamo, String casesTable, String partnersTable) {
    StoreSnapshot s = new StoreSnapshot();
    scan(dynamo, casesTable, item -> {
      String pk = Attr.str(item, "pk");
      String sk = Attr.str(item, "sk");
      if (pk.startsWith("CASE#") && sk.equals("CASE")) {
        String id = pk.substring(5);
        s.cases.put(id, new Case(id, Attr.str(item, "kind"), Attr.str(item, "status"),
            instant(Attr.str(item, "registeredAt")), Attr.str(item, "region")));
      } else if (pk.startsWith("CASE#") && sk.startsWith("EVENT#")) {
        s.events.add(new Event(pk.substring(5), Attr.str(item, "kind"), Attr.str(item, "fromStatus"),
            Attr.str(item, "toStatus"), instant(Attr.str(item, "at")), Attr.str(item, "reason")));
      } else if (pk.startsWith("MATCH#") && sk.equals("MATCH")) {
        String id = pk.substring(6);
        s.matches.put(id, new Match(id, Attr.str(item, "guestId"), Attr.str(item, "hostId"), Attr.str(item, "status"),
            Attr.str(item, "region"), instant(Attr.str(item, "proposedAt"))));
      }
    });
    scan(dynamo, partnersTable, item -> {
      if (!"WEBHOOK".equals(Attr.str(item, "itemType"))) {
        return;
      }
      var message = nl.onderdak.core.json.Json.parse(Attr.str(item, "message"));
      var data = message.path("data");
      String subject = data.hasNonNull("matchId") ? data.get("matchId").asText()
          : data.hasNonNull("hostId") ? data.get("hostId").asText() : data.path("caseId").asText();
      s.webhooks.add(new LoggedWebhook(Attr.str(item, "pk").substring("PARTNER#".length()),
          Attr.str(item, "webhookId"), Attr.str(item, "type"), subject, Attr.str(item, "state"),
          item.containsKey("attempts") ? Attr.num(item, "attempts") : 0));
    });
    return s;
  }

  private static void scan(DynamoDbClient dynamo, String table,
      java.util.function.Consumer<Map<String, AttributeValue>> each) {
    dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build()).items().forEach(each);
  }

  private static Instant instant(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (RuntimeException notAnInstant) {
      return null;
    }
  }
}
