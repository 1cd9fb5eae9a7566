package nl.onderdak.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.function.CaseEventRecords;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;
import nl.onderdak.function.batch.StreamBatch;

/**
 * The cases table's stream reader besides matching: each batch's case events go to {@link CaseEventReactions}
 * (tallies, log lines and metrics, webhooks). A batch is first taken whole; if that fails, record by record,
 * stopping at the failing record so that the records after it are retried in order ({@link StreamBatch}).
 */
public final class CaseEventsHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private static final StreamBatch<CaseEvent> BATCH =
      new StreamBatch<>("case events", CaseEventRecords::caseEvent, CaseEvent::caseId);
  private final CaseEventReactions reactions;

  public CaseEventsHandler() {
    this(Wiring.fromEnv());
    // SnapStart: the reads of a batch (the partners, a match that does not exist) and a log line, nothing written.
    nl.onderdak.function.Priming.register("CaseEventsHandler", reactions::prime);
  }

  CaseEventsHandler(Wiring wiring) {
    this(wiring, WebhookQueue.fromEnv(wiring));
  }

  CaseEventsHandler(Wiring wiring, WebhookQueue queue) {
    this.reactions = new CaseEventReactions(wiring.tallies(), new WebhookFanOut(wiring.partners(), wiring.matchStore()),
        wiring.webhookLog(), queue, wiring.retentionClock(), wiring.clock());
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    var processed = BATCH.wholeThenInOrder(event, reactions::react, reactions.oneAtATime());
    CaseEventReactions.Done done = CaseEventReactions.Done.sum(processed.results());
    ObjectNode line = JsonLog.line("INFO", "case events");
    line.put("records", event.getRecords().size()).put("counted", done.counted())
        .put("webhooksQueued", done.webhooksQueued()).put("failed", processed.failed() ? 1 : 0);
    JsonLog.write(line);
    return processed.response();
  }
}
