package nl.onderdak.function.batch;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import nl.onderdak.function.JsonLog;

/**
 * A DynamoDB stream batch, processed apart from the work on its records (the shape of Powertools' batch module:
 * the handler hands the event and its record work to this, and returns what this answers). Records are read into
 * {@code T} first ({@code null}: not for this function, skipped); the work sees only those.
 *
 * <p>Whatever the mode, this project's rule holds: <b>a batch stops at the first record that fails</b>, and that
 * record is the one reported (ReportBatchItemFailures), so Lambda retries from it and a case's events are worked
 * in order, never one after a later one. Work must be idempotent: a retried batch repeats what was done before it.
 *
 * @param <T> what the work is done on (a case event, a trigger)
 */
public final class StreamBatch<T> {
  private final String name;
  private final Function<DynamodbStreamRecord, T> read;
  private final Function<T, String> correlation;

  /**
   * @param name what the batch is, in log lines ("case events")
   * @param read a record into its work item, {@code null} to skip it; throwing makes the record the failing one
   * @param correlation the case a work item is about, for the failure's log line ({@code null} if none)
   */
  public StreamBatch(String name, Function<DynamodbStreamRecord, T> read, Function<T, String> correlation) {
    this.name = name;
    this.read = read;
    this.correlation = correlation;
  }

  /** What a batch came to: Lambda's answer, and what the work returned (when not null) for each part it finished. */
  public record Processed<S>(StreamsEventResponse response, List<S> results) {
    public boolean failed() {
      return !response.getBatchItemFailures().isEmpty();
    }
  }

  /** Record by record, in order, stopping at the first that fails. */
  public <S> Processed<S> inOrder(DynamodbEvent event, Function<T, S> work) {
    List<S> results = new ArrayList<>();
    for (DynamodbStreamRecord record : records(event)) {
      T item = null;
      try {
        item = read.apply(record);
        S result = item == null ? null : work.apply(item);
        if (result != null) {
          results.add(result);
        }
      } catch (RuntimeException e) {
        return new Processed<>(failedAt(record, item, e, "batch will be retried from this record"), results);
      }
    }
    return new Processed<>(new StreamsEventResponse(List.of()), results);
  }

  /**
   * The whole batch at once (few calls for many records, which is what keeps a stream reader up with a surge);
   * if that fails, record by record in order ({@link #inOrder}), so that the failing record is the one reported.
   * What the whole-batch pass did before failing is kept: the work is idempotent.
   */
  public <S> Processed<S> wholeThenInOrder(DynamodbEvent event, Function<List<T>, S> whole, Function<T, S> each) {
    try {
      return done(whole.apply(readAll(event)));
    } catch (RuntimeException e) {
      ObjectNode line = JsonLog.line("WARN", name + " batch taken record by record");
      line.put("error", e.getClass().getName());
      JsonLog.write(line);
      return inOrder(event, each);
    }
  }

  /**
   * The batch as one unit (a matching run over all its triggers): on a failure its first record is reported, so
   * Lambda retries the whole batch.
   */
  public <S> Processed<S> allOrNothing(DynamodbEvent event, Function<List<T>, S> whole) {
    try {
      return done(whole.apply(readAll(event)));
    } catch (RuntimeException e) {
      List<DynamodbStreamRecord> records = records(event);
      if (records.isEmpty()) {
        throw e;
      }
      return new Processed<>(failedAt(records.get(0), null, e, "the batch will be retried"), List.of());
    }
  }

  /** A batch done whole; a work that returns null (nothing to report) leaves no result. */
  private static <S> Processed<S> done(S result) {
    return new Processed<>(new StreamsEventResponse(List.of()), result == null ? List.of() : List.of(result));
  }

  private List<T> readAll(DynamodbEvent event) {
    List<T> items = new ArrayList<>();
    for (DynamodbStreamRecord record : records(event)) {
      T item = read.apply(record);
      if (item != null) {
        items.add(item);
      }
    }
    return items;
  }

  private StreamsEventResponse failedAt(DynamodbStreamRecord record, T item, RuntimeException e, String then) {
    String sequence = record.getDynamodb().getSequenceNumber();
    ObjectNode line = JsonLog.line("ERROR", name + " failed; " + then);
    line.put("sequenceNumber", sequence);
    String caseId = item == null ? null : correlation.apply(item);
    if (caseId != null) {
      line.put("correlationId", caseId);
    }
    line.put("error", e.getClass().getName() + ": " + e.getMessage());
    JsonLog.write(line);
    return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(sequence)));
  }

  private static List<DynamodbStreamRecord> records(DynamodbEvent event) {
    return event.getRecords() == null ? List.of() : event.getRecords();
  }
}
