package nl.onderdak.function.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The batch rules every stream and queue handler relies on, without any store. */
@Tag("fast")
class BatchTest {
  /** A stream record whose sequence number is its work item ("skip" reads as nothing to do). */
  private static final StreamBatch<String> BATCH = new StreamBatch<>("test", r -> {
    String seq = r.getDynamodb().getSequenceNumber();
    if (seq.equals("unreadable")) {
      throw new IllegalArgumentException("unreadable record");
    }
    return seq.equals("skip") ? null : seq;
  }, item -> "case-" + item);

  private static DynamodbEvent stream(String... sequenceNumbers) {
    List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
    for (String seq : sequenceNumbers) {
      var record = new DynamodbEvent.DynamodbStreamRecord();
      record.setDynamodb(new StreamRecord().withSequenceNumber(seq));
      records.add(record);
    }
    var event = new DynamodbEvent();
    event.setRecords(records);
    return event;
  }

  private static List<String> failed(StreamsEventResponse response) {
    return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }

  @Test
  void inOrderStopsAtTheFirstFailingRecordAndReportsIt() {
    List<String> worked = new ArrayList<>();
    var processed = BATCH.inOrder(stream("1", "skip", "2", "3", "4"), item -> {
      if (item.equals("3")) {
        throw new IllegalStateException("store down");
      }
      worked.add(item);
      return item;
    });
    assertEquals(List.of("1", "2"), worked, "records after the failing one wait for the retry, in order");
    assertEquals(List.of("1", "2"), processed.results());
    assertEquals(List.of("3"), failed(processed.response()));
    assertTrue(processed.failed());
  }

  @Test
  void anUnreadableRecordIsTheFailingOne() {
    var processed = BATCH.inOrder(stream("1", "unreadable", "2"), item -> item);
    assertEquals(List.of("unreadable"), failed(processed.response()));
    assertEquals(List.of("1"), processed.results());
  }

  @Test
  void aWholeBatchThatFailsIsTakenRecordByRecord() {
    List<List<String>> wholes = new ArrayList<>();
    var processed = BATCH.wholeThenInOrder(stream("1", "2", "3"), items -> {
      wholes.add(items);
      throw new IllegalStateException("one of them fails");
    }, item -> {
      if (item.equals("2")) {
        throw new IllegalStateException("this one");
      }
      return item;
    });
    assertEquals(List.of(List.of("1", "2", "3")), wholes);
    assertEquals(List.of("2"), failed(processed.response()));
    assertEquals(List.of("1"), processed.results());

    var whole = BATCH.wholeThenInOrder(stream("1", "skip", "2"), items -> String.join("+", items), item -> "single");
    assertEquals(List.of("1+2"), whole.results(), "taken whole when nothing fails, the skipped record left out");
    assertTrue(failed(whole.response()).isEmpty());
  }

  @Test
  void allOrNothingReportsTheFirstRecordSoTheWholeBatchComesBack() {
    var processed = BATCH.allOrNothing(stream("7", "8"), items -> {
      throw new IllegalStateException("run failed");
    });
    assertEquals(List.of("7"), failed(processed.response()));
    var nothing = BATCH.allOrNothing(stream("7", "8"), items -> null);
    assertTrue(failed(nothing.response()).isEmpty(), "nothing to report is not a failure");
    assertTrue(nothing.results().isEmpty());
  }

  @Test
  void aQueueBatchReportsEveryMessageNotFinishedWithAndOnlyThose() {
    List<SQSEvent.SQSMessage> messages = new ArrayList<>();
    for (String body : List.of("done", "again", "throws", "done")) {
      var m = new SQSEvent.SQSMessage();
      m.setMessageId("id-" + messages.size());
      m.setBody(body);
      messages.add(m);
    }
    var event = new SQSEvent();
    event.setRecords(messages);
    SQSBatchResponse response = new QueueBatch("test", 3).process(event, m -> {
      if (m.getBody().equals("throws")) {
        throw new IllegalStateException("endpoint lookup failed");
      }
      return m.getBody().equals("done");
    });
    assertEquals(List.of("id-1", "id-2"), response.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
  }
}
