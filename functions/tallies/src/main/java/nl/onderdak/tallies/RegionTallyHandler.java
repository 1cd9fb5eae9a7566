package nl.onderdak.tallies;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.storage.DynamoDbClients;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.tally.RegionTallies;
import nl.onderdak.function.CaseEventRecords;
import nl.onderdak.function.JsonLog;

/**
 * Consumes the cases table's stream and keeps the per-region tallies. Only inserted event items
 * count; the case items' own changes are skipped (each change has its event). Each event is applied
 * once however often the stream delivers it.
 *
 * <p>On a failure it stops and reports that record (ReportBatchItemFailures): the records before it
 * are done, and Lambda retries from it, so events of one case are never applied out of order.
 */
public final class RegionTallyHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private final RegionTallies tallies;
  private final Clock clock;

  public RegionTallyHandler() {
    this(new RegionTallies(DynamoDbClients.fromEnv(), Tables.fromEnv()), Clock.systemUTC());
  }

  RegionTallyHandler(RegionTallies tallies, Clock clock) {
    this.tallies = tallies;
    this.clock = clock;
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    int applied = 0;
    int skipped = 0;
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    for (DynamodbStreamRecord record : event.getRecords()) {
      try {
        CaseEvent caseEvent = CaseEventRecords.caseEvent(record);
        if (caseEvent != null && tallies.apply(caseEvent, clock.instant())) {
          applied++;
        } else {
          skipped++;
        }
      } catch (RuntimeException e) {
        ObjectNode line = JsonLog.line("ERROR", "tally update failed; batch will be retried from this record");
        line.put("sequenceNumber", record.getDynamodb().getSequenceNumber());
        line.put("error", e.getClass().getName() + ": " + e.getMessage());
        JsonLog.write(line);
        failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
        break;
      }
    }
    ObjectNode line = JsonLog.line("INFO", "tally batch");
    line.put("records", event.getRecords().size()).put("applied", applied).put("skipped", skipped)
        .put("failed", failures.size());
    JsonLog.write(line);
    return new StreamsEventResponse(failures);
  }
}
