package nl.onderdak.rehearsal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * What the store holds at the end, read straight from DynamoDB (not through the API under test): every case
 * with its status and who is responsible for it, every event with the chain's facts it records, every match,
 * every read of personal details, the rows of cases waiting unassigned, and every partner's webhook log.
 */
final class StoreSnapshot {
  /**
   * One case. {@code quarantine} is why it is held out of matching ({@code form_honeypot}, ...), null when it is
   * not; {@code poolKey} the index pool it is filed under (null once ended).
   */
  record Case(String id, String kind, String status, Instant registeredAt, String region, String programme,
      String type, Map<String, String> responsible, String quarantine, String poolKey) {
    Case(String id, String kind, String status, Instant registeredAt, String region, String programme, String type,
        Map<String, String> responsible) {
      this(id, kind, status, registeredAt, region, programme, type, responsible, null, null);
    }
  }

  /**
   * One event. {@code responsible} is who held each role on the case after it (so at version {@code seq}); the
   * step, decision and role are what the event says was done, and by whom ({@code actor}).
   */
  record Event(String caseId, long seq, String type, String kind, String from, String to, Instant at, String reason,
      String actor, String step, String decision, String role, String matchId, Map<String, String> responsible,
      Map<String, String> assigned, String handoverId, String handoverFrom, String handoverTo, String handoverRole,
      boolean held, String detail) {
    Event(String caseId, long seq, String type, String kind, String from, String to, Instant at, String reason,
        String actor, String step, String decision, String role, String matchId, Map<String, String> responsible,
        Map<String, String> assigned, String handoverId, String handoverFrom, String handoverTo, String handoverRole,
        boolean held) {
      this(caseId, seq, type, kind, from, to, at, reason, actor, step, decision, role, matchId, responsible, assigned,
          handoverId, handoverFrom, handoverTo, handoverRole, held, null);
    }

    Event(String caseId, long seq, String type, String kind, String from, String to, Instant at, String reason,
        String actor, String step, String decision, String role, String matchId, Map<String, String> responsible,
        Map<String, String> assigned, String handoverId, String handoverFrom, String handoverTo, String handoverRole) {
      this(caseId, seq, type, kind, from, to, at, reason, actor, step, decision, role, matchId, responsible, assigned,
          handoverId, handoverFrom, handoverTo, handoverRole, false, null);
    }
  }

  /** One match; a stay's dates ({@code moveInDate}, {@code agreedEndDate}: ISO dates) and why it ended. */
  record Match(String id, String guestId, String hostId, String status, String region, Instant proposedAt,
      Instant decidedAt, String moveInDate, String agreedEndDate, String endReason, String nextStep) {
    Match(String id, String guestId, String hostId, String status, String region, Instant proposedAt,
        Instant decidedAt) {
      this(id, guestId, hostId, status, region, proposedAt, decidedAt, null, null, null, null);
    }
  }

  /** A read of a case's personal details: by whom, at which version of the case, and by what right. */
  record Read(String caseId, String partnerId, Instant at, long caseVersion, String access, String matchId,
      String otherCaseId, long otherCaseVersion, String what) {}

  /** A webhook as the runtime logged it, for one partner. */
  record LoggedWebhook(String partnerId, String webhookId, String type, String subject, String state, long attempts,
      String timestamp, String alert) {
    LoggedWebhook(String partnerId, String webhookId, String type, String subject, String state, long attempts) {
      this(partnerId, webhookId, type, subject, state, attempts, null, null);
    }
  }

  final Map<String, Case> cases = new HashMap<>();
  final List<Event> events = new ArrayList<>();
  final Map<String, Match> matches = new HashMap<>();
  final List<Read> reads = new ArrayList<>();
  /** Cases listed as waiting unassigned: case id → the roles they miss. */
  final Map<String, Set<String>> unassigned = new HashMap<>();
  final List<LoggedWebhook> webhooks = new ArrayList<>();

  static StoreSnapshot read(DynamoDbClient dynamo, String casesTable, String partnersTable) {
    StoreSnapshot s = new StoreSnapshot();
    scan(dynamo, casesTable, item -> {
      String pk = Attr.str(item, "pk");
      String sk = Attr.str(item, "sk");
      if (pk.startsWith("CASE#") && sk.equals("CASE")) {
        String id = pk.substring(5);
        s.cases.put(id, new Case(id, Attr.str(item, "kind"), Attr.str(item, "status"),
            instant(Attr.str(item, "registeredAt")), Attr.str(item, "region"), Attr.str(item, "programme"),
            Attr.str(item, "caseType"), Attr.stringMap(item.get("responsible")),
            nl.onderdak.core.chain.Quarantine.reason(item), Attr.str(item, "poolKey")));
      } else if (pk.startsWith("CASE#") && sk.startsWith("EVENT#")) {
        s.events.add(new Event(pk.substring(5), Attr.num(item, "seq"), Attr.str(item, "eventType"),
            Attr.str(item, "kind"), Attr.str(item, "fromStatus"), Attr.str(item, "toStatus"),
            instant(Attr.str(item, "at")), Attr.str(item, "reason"), Attr.str(item, "actor"), Attr.str(item, "step"),
            Attr.str(item, "decision"), Attr.str(item, "role"), Attr.str(item, "matchId"),
            Attr.stringMap(item.get("responsible")), Attr.stringMap(item.get("assigned")), Attr.str(item, "handoverId"),
            Attr.str(item, "handoverFrom"),
            Attr.str(item, "handoverTo"), Attr.str(item, "handoverRole"),
            item.get("held") != null && Boolean.TRUE.equals(item.get("held").bool()), Attr.str(item, "detail")));
      } else if (pk.startsWith("CASE#") && sk.startsWith("READ#")) {
        s.reads.add(new Read(pk.substring(5), Attr.str(item, "partnerId"), instant(Attr.str(item, "at")),
            Attr.num(item, "caseVersion"), Attr.str(item, "access"), Attr.str(item, "matchId"),
            Attr.str(item, "otherCaseId"), Attr.num(item, "otherCaseVersion"), Attr.str(item, "what")));
      } else if (pk.startsWith("CASE#") && sk.equals("HOLDER#UNASSIGNED")) {
        AttributeValue roles = item.get("roles");
        s.unassigned.put(pk.substring(5), roles == null || !roles.hasSs() ? Set.of() : new LinkedHashSet<>(roles.ss()));
      } else if (pk.startsWith("MATCH#") && sk.equals("MATCH")) {
        String id = pk.substring(6);
        s.matches.put(id, new Match(id, Attr.str(item, "guestId"), Attr.str(item, "hostId"), Attr.str(item, "status"),
            Attr.str(item, "region"), instant(Attr.str(item, "proposedAt")), instant(Attr.str(item, "decidedAt")),
            Attr.str(item, "moveInDate"), Attr.str(item, "agreedEndDate"), Attr.str(item, "endReason"),
            Attr.str(item, "nextStep")));
      }
    });
    scan(dynamo, partnersTable, item -> {
      if (!"WEBHOOK".equals(Attr.str(item, "itemType"))) {
        return;
      }
      var message = nl.onderdak.core.json.Json.parse(Attr.str(item, "message"));
      String type = Attr.str(item, "type");
      String subject = SimulatedPartner.subject(type, message.path("data"));
      s.webhooks.add(new LoggedWebhook(Attr.str(item, "pk").substring("PARTNER#".length()),
          Attr.str(item, "webhookId"), type, subject, Attr.str(item, "state"),
          item.containsKey("attempts") ? Attr.num(item, "attempts") : 0, message.path("timestamp").asText(null),
          message.path("data").path("alert").asText(null)));
    });
    return s;
  }

  /** Each case's events by version. */
  Map<String, Map<Long, Event>> eventsByCase() {
    Map<String, Map<Long, Event>> out = new HashMap<>();
    for (Event e : events) {
      out.computeIfAbsent(e.caseId(), k -> new HashMap<>()).put(e.seq(), e);
    }
    return out;
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
