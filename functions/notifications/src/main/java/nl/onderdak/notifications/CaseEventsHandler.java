package nl.onderdak.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.core.storage.DynamoDbClients;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.tally.RegionTallies;
import nl.onderdak.core.support.Env;
import nl.onderdak.core.support.Secrets;
import nl.onderdak.function.CaseEventRecords;
import nl.onderdak.function.JsonLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The cases table's stream reader besides matching (AWS advises at most two readers per shard, so the
 * reactions that are not matching share this one): for each case event, in order,
 * <ol>
 *   <li>the region tallies are updated (each event counted once, {@link RegionTallies});
 *   <li>one message per (webhook, endpoint) goes on the webhook queue, for every partner endpoint
 *       subscribed to it.
 * </ol>
 * Both are idempotent, so a batch delivered twice changes nothing. The message's {@code webhookId} is derived
 * from the event and the endpoint, so a batch the stream delivers twice yields the same ids: receivers
 * recognise the duplicate, as Standard Webhooks intends.
 *
 * <p>A batch is first taken whole (tallies and webhook log in a few transactions, the queue ten messages at a
 * time). If that fails it is taken record by record: on a failure it reports that record
 * (ReportBatchItemFailures) and stops, so that the records after it are retried in order.
 */
public final class CaseEventsHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  static final String QUEUE_URL = "WEBHOOK_QUEUE_URL";
  private final RegionTallies tallies;
  private final PartnerStore partners;
  private final WebhookLog log;
  private final Notifications notifications;
  private final MatchStore matchStore;
  private final SqsClient sqs;
  private final String queueUrl;

  public CaseEventsHandler() {
    this(DynamoDbClients.fromEnv(), Tables.fromEnv(), SqsClients.fromEnv(), Env.require(QUEUE_URL));
  }

  CaseEventsHandler(DynamoDbClient dynamo, Tables tables, SqsClient sqs, String queueUrl) {
    this.tallies = new RegionTallies(dynamo, tables);
    this.partners = new PartnerStore(dynamo, tables.partners());
    this.log = new WebhookLog(dynamo, tables.partners());
    this.matchStore = new MatchStore(dynamo, tables);
    this.notifications = new Notifications(matchStore);
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    try {
      return wholeBatch(event);
    } catch (RuntimeException e) {
      // Something in the batch fails: take it record by record, so that the failing record is the one reported
      // and the records before it are done. Everything is idempotent, so what the whole-batch pass did is kept.
      ObjectNode line = JsonLog.line("WARN", "case events batch taken record by record");
      line.put("error", e.getClass().getName());
      JsonLog.write(line);
      return recordByRecord(event);
    }
  }

  /**
   * The whole batch at once: its tallies in as few transactions as fit, its webhooks logged together and queued
   * ten at a time. A surge's batches are mostly registrations; one call each per record made the reader, not the
   * store, the limit (the surge rehearsal measured it).
   */
  private StreamsEventResponse wholeBatch(DynamodbEvent event) {
    List<CaseEvent> events = new ArrayList<>();
    for (DynamodbStreamRecord record : event.getRecords()) {
      CaseEvent caseEvent = CaseEventRecords.caseEvent(record);
      if (caseEvent != null) {
        events.add(caseEvent);
      }
    }
    java.time.Instant now = java.time.Instant.now();
    List<CaseEvent> counted = tallies.applyAll(events, now);
    counted.forEach(e -> CaseEventLines.linesOf(e).forEach(JsonLog::write));
    java.util.Map<String, Partner> all = events.isEmpty() ? java.util.Map.of() : byId(partners.all());
    // The batch's matches in a few calls, not one each: a surge's batches are full of match events.
    var wanted = Notifications.matchesWanted(events);
    var known = wanted.isEmpty() ? java.util.Map.<String, java.util.Map<String,
        software.amazon.awssdk.services.dynamodb.model.AttributeValue>>of() : matchStore.matches(wanted);
    List<WebhookLog.Queued> webhooks = new ArrayList<>();
    for (CaseEvent caseEvent : events) {
      webhooks.addAll(webhooksOf(caseEvent, all, known));
    }
    // Logged before they are queued: a partner can list them, and replay them, from now on.
    log.queued(webhooks, now);
    send(webhooks);
    writeSummary(event, counted.size(), webhooks.size(), 0);
    return new StreamsEventResponse(List.of());
  }

  /** Record by record, in order, stopping at the first that fails. */
  private StreamsEventResponse recordByRecord(DynamodbEvent event) {
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    java.util.Map<String, Partner> all = null;
    int queued = 0;
    int counted = 0;
    for (DynamodbStreamRecord record : event.getRecords()) {
      try {
        CaseEvent caseEvent = CaseEventRecords.caseEvent(record);
        if (caseEvent == null) {
          continue;
        }
        if (tallies.apply(caseEvent, java.time.Instant.now())) {
          counted++;
          CaseEventLines.linesOf(caseEvent).forEach(JsonLog::write);
        }
        if (all == null) {
          all = byId(partners.all());
        }
        List<WebhookLog.Queued> webhooks = webhooksOf(caseEvent, all);
        log.queued(webhooks, java.time.Instant.now());
        send(webhooks);
        queued += webhooks.size();
      } catch (RuntimeException e) {
        ObjectNode line = JsonLog.line("ERROR", "case event failed; batch will be retried from this record");
        line.put("sequenceNumber", record.getDynamodb().getSequenceNumber());
        CaseEvent failed = failedEvent(record);
        if (failed != null) {
          line.put("correlationId", failed.caseId());
        }
        line.put("error", e.getClass().getName() + ": " + e.getMessage());
        JsonLog.write(line);
        failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
        break;
      }
    }
    writeSummary(event, counted, queued, failures.size());
    return new StreamsEventResponse(failures);
  }

  /** One message per (webhook, endpoint) for every partner endpoint subscribed to what the event becomes. */
  private List<WebhookLog.Queued> webhooksOf(CaseEvent caseEvent, java.util.Map<String, Partner> all) {
    return webhooksOf(caseEvent, all, java.util.Map.of());
  }

  private List<WebhookLog.Queued> webhooksOf(CaseEvent caseEvent, java.util.Map<String, Partner> all,
      java.util.Map<String, java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> known) {
    List<WebhookLog.Queued> webhooks = new ArrayList<>();
    for (Notifications.Notice notice : notifications.of(caseEvent, all, known)) {
      for (Partner p : notice.recipients()) {
        for (Partner.Endpoint endpoint : p.endpoints()) {
          if (!endpoint.events().contains(notice.type())) {
            continue;
          }
          // Disabled endpoints get their messages too: the deliverer parks them in the dead-letter
          // queue, from where an operator redrives them once the endpoint is enabled again. The id is fixed by the
          // event, the webhook type and the endpoint: a redelivered stream record yields the same ids.
          String webhookId = "msg_" + Secrets.sha256Hex(caseEvent.eventKey() + "|" + notice.type() + "|"
              + endpoint.id()).substring(0, 32);
          ObjectNode message = Json.object().put("webhookId", webhookId).put("partnerId", p.id())
              .put("endpointId", endpoint.id()).put("type", notice.type())
              .put("timestamp", caseEvent.at().toString());
          message.set("data", notice.data());
          webhooks.add(new WebhookLog.Queued(p.id(), webhookId, endpoint.id(), notice.type(), caseEvent.at(),
              Json.write(message)));
        }
      }
    }
    return webhooks;
  }

  private static java.util.Map<String, Partner> byId(List<Partner> partners) {
    java.util.Map<String, Partner> out = new java.util.HashMap<>();
    partners.forEach(p -> out.put(p.id(), p));
    return out;
  }

  private void send(List<WebhookLog.Queued> webhooks) {
    for (int i = 0; i < webhooks.size(); i += 10) {
      List<SendMessageBatchRequestEntry> chunk = new ArrayList<>();
      for (WebhookLog.Queued w : webhooks.subList(i, Math.min(webhooks.size(), i + 10))) {
        chunk.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(chunk.size())).messageBody(w.message())
            .build());
      }
      SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
      if (!sent.failed().isEmpty()) {
        throw new IllegalStateException("the webhook queue refused " + sent.failed().size() + " message(s): "
            + sent.failed().get(0).message());
      }
    }
  }

  private static void writeSummary(DynamodbEvent event, int counted, int queued, int failed) {
    ObjectNode line = JsonLog.line("INFO", "case events");
    line.put("records", event.getRecords().size()).put("counted", counted).put("webhooksQueued", queued)
        .put("failed", failed);
    JsonLog.write(line);
  }

  private static CaseEvent failedEvent(DynamodbStreamRecord record) {
    try {
      return CaseEventRecords.caseEvent(record);
    } catch (RuntimeException unreadable) {
      return null;
    }
  }
}
