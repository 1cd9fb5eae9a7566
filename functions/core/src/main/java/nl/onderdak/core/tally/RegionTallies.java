package nl.onderdak.core.tally;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * How many cases are in each status, per region: open households, hosts in screening, approved
 * hosts, and so on. Kept up to date from the case events on the stream, for dashboards.
 *
 * <p>Streams deliver at least once, so each event is applied at most once: the counter update and a
 * marker for the event are one transaction, conditioned on the marker not existing yet.
 */
public final class RegionTallies {
  static final String TALLY_PARTITION = "TALLY";
  /** Longer than a stream record can live (24 hours) plus every retry of it. */
  static final Duration MARKER_TTL = Duration.ofDays(3);

  private final DynamoDbClient dynamo;
  private final String table;

  public RegionTallies(DynamoDbClient dynamo, Tables tables) {
    this.dynamo = dynamo;
    this.table = tables.regionStats();
  }

  /** The counter an event moves a case into or out of: {@code guest_open}, {@code host_approved}, ... */
  public static String counter(String kind, String status) {
    return kind + "_" + status;
  }

  /**
   * Applies one event's change to its region's counters.
   *
   * @return false if this event had been applied before (a redelivered stream record)
   */
  public boolean apply(CaseEvent event, Instant now) {
    if (!counts(event)) {
      return false;
    }
    return transact(List.of(event), now);
  }

  /**
   * Applies a batch of events, in as few transactions as the limit of a hundred items allows: each chunk's
   * markers, and its counter changes summed per region. When an event of a chunk had been applied before (a
   * redelivered batch) the chunk is cancelled and its events are applied one by one, each once.
   *
   * @return the events this call applied (those applied before are not among them)
   */
  public List<CaseEvent> applyAll(List<CaseEvent> events, Instant now) {
    List<CaseEvent> countable = events.stream().filter(RegionTallies::counts).toList();
    List<CaseEvent> applied = new ArrayList<>();
    for (int from = 0; from < countable.size(); from += EVENTS_PER_TRANSACTION) {
      List<CaseEvent> chunk = countable.subList(from, Math.min(countable.size(), from + EVENTS_PER_TRANSACTION));
      if (transact(chunk, now)) {
        applied.addAll(chunk);
      } else {
        for (CaseEvent event : chunk) {
          if (apply(event, now)) {
            applied.add(event);
          }
        }
      }
    }
    return applied;
  }

  /**
   * Up to 25 markers, at most two regions' counters per event and the counters of the organisations whose cases
   * they move: under a transaction's hundred items.
   */
  static final int EVENTS_PER_TRANSACTION = 25;
  static final String CHAIN_PARTITION = "CHAIN";

  /**
   * How an event moves the number of open cases each organisation holds a role on, from the event alone (who was
   * responsible after it, what it assigned or handed over): a registration adds one for each organisation assigned,
   * a terminal move takes one from each, a routing assignment adds one for each organisation new to the case, an
   * accepted handover adds one for the receiver unless it held another role already and takes one from the sender
   * unless it still holds one.
   */
  public static Map<String, Long> heldDeltas(CaseEvent e) {
    Map<String, Long> out = new TreeMap<>();
    var f = e.chain();
    java.util.Set<String> after = new java.util.HashSet<>(f.responsible().values());
    if (CaseEvent.REGISTERED.equals(e.type())) {
      if (!terminal(e, e.toStatus())) {
        after.forEach(p -> out.put(p, 1L));
      }
    } else if (e.changesStatus()) {
      if (terminal(e, e.toStatus()) && !terminal(e, e.fromStatus())) {
        after.forEach(p -> out.put(p, -1L));
      }
    } else if (CaseEvent.ASSIGNED.equals(e.type())) {
      Map<String, String> before = new java.util.HashMap<>(f.responsible());
      if (f.handoverId() != null) {
        before.remove(f.handoverRole());
        if (!before.containsValue(f.handoverTo())) {
          out.merge(f.handoverTo(), 1L, Long::sum);
        }
        if (!after.contains(f.handoverFrom())) {
          out.merge(f.handoverFrom(), -1L, Long::sum);
        }
      } else {
        f.assigned().keySet().forEach(before::remove);
        new java.util.HashSet<>(f.assigned().values()).forEach(p -> {
          if (!before.containsValue(p)) {
            out.merge(p, 1L, Long::sum);
          }
        });
      }
    }
    return out;
  }

  private static boolean terminal(CaseEvent e, String status) {
    return status != null && nl.onderdak.core.model.CaseStatus.fromWire(e.kind(), status).terminal();
  }

  /** The number of open cases each organisation holds a role on, by organisation id. */
  public Map<String, Long> held() {
    Map<String, Long> out = new TreeMap<>();
    dynamo.queryPaginator(QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", Attr.s(CHAIN_PARTITION))).consistentRead(true).build()).items()
        .forEach(i -> out.put(Attr.str(i, "sk"), Attr.num(i, "held")));
    return out;
  }

  /**
   * Every event is applied once (its marker), so that its log line and metrics are written once; only a change
   * of status moves counters (an assignment or a handover leaves them as they are).
   */
  private static boolean counts(CaseEvent event) {
    return event.toStatus() != null;
  }

  /** The events' markers and summed counter changes in one transaction; false if a marker existed already. */
  private boolean transact(List<CaseEvent> events, Instant now) {
    List<TransactWriteItem> writes = new ArrayList<>();
    Map<String, Map<String, Long>> deltas = new TreeMap<>();
    for (CaseEvent event : events) {
      Put marker = Put.builder()
          .tableName(table)
          .item(Attr.item(
              "pk", "APPLIED#" + event.eventKey(),
              "sk", "APPLIED",
              "appliedAt", now.toString(),
              "expiresAt", now.plus(MARKER_TTL).getEpochSecond()))
          .conditionExpression("attribute_not_exists(pk)")
          .build();
      writes.add(TransactWriteItem.builder().put(marker).build());
      if (!event.changesStatus()) {
        continue;
      }
      addDeltas(deltas.computeIfAbsent(event.region(), r -> new TreeMap<>()), event);
      if (event.municipality() != null && !event.municipality().equals(event.region())) {
        addDeltas(deltas.computeIfAbsent(event.municipality(), r -> new TreeMap<>()), event);
      }
    }
    deltas.forEach((region, changes) -> writes.add(TransactWriteItem.builder().update(counters(region, changes, now))
        .build()));
    Map<String, Long> held = new TreeMap<>();
    events.forEach(e -> heldDeltas(e).forEach((partner, d) -> held.merge(partner, d, Long::sum)));
    held.forEach((partner, d) -> writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
        .key(Attr.key(CHAIN_PARTITION, partner)).updateExpression("ADD held :d SET updatedAt = :now")
        .expressionAttributeValues(Map.of(":d", Attr.n(d), ":now", Attr.s(now.toString()))).build()).build()));
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(b -> b.transactItems(writes));
        return true;
      } catch (TransactionCanceledException e) {
        if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
          return false;
        }
        // A region's counters are a few hot items: readers working at once (shards, a ParallelizationFactor) meet
        // on them, and DynamoDB cancels one of two transactions that touch an item at once. Try again shortly.
        boolean conflict = e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
        if (!conflict || attempt >= CONFLICT_ATTEMPTS) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  static final int CONFLICT_ATTEMPTS = 6;

  private static void pause(int attempt) {
    long millis = (10L << attempt) + java.util.concurrent.ThreadLocalRandom.current().nextLong(10L << attempt);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a tally", interrupted);
    }
  }

  /** The counter of cases that ever entered a status ({@code entered_guest_placed}), which never goes down. */
  public static String entered(String counter) {
    return "entered_" + counter;
  }

  /** Registrations of a kind ({@code registered_guest}), ever; with {@code _<year>} for that year. */
  public static String registered(String kind) {
    return "registered_" + kind;
  }

  /** The same, for the calendar year (UTC) in which they entered it: what targets are compared with. */
  public static String enteredIn(String counter, int year) {
    return "entered_" + counter + "_" + year;
  }

  /**
   * How an event moves its region's counters: the status the case leaves goes down, the one it enters goes up,
   * and so do the cumulative counters of the status entered (ever, and this year).
   */
  private static void addDeltas(Map<String, Long> deltas, CaseEvent event) {
    String to = counter(event.kind().wire(), event.toStatus());
    int year = event.at().atZone(ZoneOffset.UTC).getYear();
    deltas.merge(to, 1L, Long::sum);
    deltas.merge(entered(to), 1L, Long::sum);
    deltas.merge(enteredIn(to, year), 1L, Long::sum);
    if (CaseEvent.REGISTERED.equals(event.type())) {
      deltas.merge(registered(event.kind().wire()), 1L, Long::sum);
      deltas.merge(registered(event.kind().wire()) + "_" + year, 1L, Long::sum);
    }
    if ("screening".equals(event.fromStatus())) {
      deltas.merge("screened_" + event.toStatus(), 1L, Long::sum);
    }
    if (event.fromStatus() != null) {
      deltas.merge(counter(event.kind().wire(), event.fromStatus()), -1L, Long::sum);
    }
  }

  /** One region's counters moved by the summed changes. */
  private Update counters(String region, Map<String, Long> deltas, Instant now) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> adds = new ArrayList<>();
    // A change that sums to zero is added too: ADD 0 makes the counter exist, as one event after another would.
    deltas.forEach((counter, delta) -> {
      int i = adds.size();
      adds.add("#c" + i + " :d" + i);
      names.put("#c" + i, counter);
      values.put(":d" + i, Attr.n(delta));
    });
    values.put(":now", Attr.s(now.toString()));
    return Update.builder()
        .tableName(table)
        .key(Attr.key(TALLY_PARTITION, region))
        .updateExpression("ADD " + String.join(", ", adds) + " SET updatedAt = :now")
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }

  /** Every region's counters, by region code. */
  public Map<String, Map<String, Long>> all() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    QueryRequest query = QueryRequest.builder()
        .tableName(table)
        .keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", Attr.s(TALLY_PARTITION)))
        .consistentRead(true)
        .build();
    for (Map<String, AttributeValue> item : dynamo.queryPaginator(query).items()) {
      Map<String, Long> counts = new TreeMap<>();
      item.forEach((name, value) -> {
        if (value.n() != null) {
          counts.put(name, Long.parseLong(value.n()));
        }
      });
      out.put(Attr.str(item, "sk"), counts);
    }
    return out;
  }

  /** One region's counters; all zero for a region nobody registered in yet. */
  public Map<String, Long> region(String region) {
    return all().getOrDefault(region, new LinkedHashMap<>());
  }

}
