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
    if (event.toStatus() == null || event.toStatus().equals(event.fromStatus())) {
      return false;
    }
    Put marker = Put.builder()
        .tableName(table)
        .item(Attr.item(
            "pk", "APPLIED#" + event.eventKey(),
            "sk", "APPLIED",
            "appliedAt", now.toString(),
            "expiresAt", now.plus(MARKER_TTL).getEpochSecond()))
        .conditionExpression("attribute_not_exists(pk)")
        .build();
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(marker).build());
    writes.add(TransactWriteItem.builder().update(counters(event, event.region(), now)).build());
    if (event.municipality() != null && !event.municipality().equals(event.region())) {
      writes.add(TransactWriteItem.builder().update(counters(event, event.municipality(), now)).build());
    }
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(b -> b.transactItems(writes));
        return true;
      } catch (TransactionCanceledException e) {
        if (!e.cancellationReasons().isEmpty()
            && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
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
   * One region's counters moved by an event: the status the case leaves goes down, the one it enters goes
   * up, and so do the cumulative counters of the status entered (ever, and this year).
   */
  private Update counters(CaseEvent event, String region, Instant now) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    String to = counter(event.kind().wire(), event.toStatus());
    int year = event.at().atZone(ZoneOffset.UTC).getYear();
    StringBuilder add = new StringBuilder("ADD #to :one, #entered :one, #enteredYear :one");
    names.put("#to", to);
    names.put("#entered", entered(to));
    names.put("#enteredYear", enteredIn(to, year));
    values.put(":one", Attr.n(1));
    if (CaseEvent.REGISTERED.equals(event.type())) {
      add.append(", #registered :one, #registeredYear :one");
      names.put("#registered", registered(event.kind().wire()));
      names.put("#registeredYear", registered(event.kind().wire()) + "_" + year);
    }
    if ("screening".equals(event.fromStatus())) {
      add.append(", #screened :one");
      names.put("#screened", "screened_" + event.toStatus());
    }
    if (event.fromStatus() != null) {
      add.append(", #from :minusOne");
      names.put("#from", counter(event.kind().wire(), event.fromStatus()));
      values.put(":minusOne", Attr.n(-1));
    }
    values.put(":now", Attr.s(now.toString()));
    return Update.builder()
        .tableName(table)
        .key(Attr.key(TALLY_PARTITION, region))
        .updateExpression(add + " SET updatedAt = :now")
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
