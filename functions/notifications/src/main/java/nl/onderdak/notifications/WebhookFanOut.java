package nl.onderdak.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.chain.MatchView;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.core.support.Secrets;

/**
 * What a batch of case events becomes on the webhook queue: one message per (webhook, endpoint) for every endpoint
 * of every organisation a webhook is for ({@link Notifications}) that is subscribed to its type. The partners are
 * read once per batch and the batch's matches together, not one call per event: a surge's batches are full of
 * match events.
 *
 * <p>The message's {@code webhookId} is fixed by the event, the webhook type and the endpoint, so a batch the stream
 * delivers twice yields the same ids: receivers recognise the duplicate, as Standard Webhooks intends. Disabled
 * endpoints get their messages too: the deliverer parks them in the dead-letter queue, from where an operator
 * redrives them once the endpoint is enabled again.
 */
final class WebhookFanOut {
  private final PartnerStore partners;
  private final MatchStore matches;
  private final Notifications notifications;

  WebhookFanOut(PartnerStore partners, MatchStore matches) {
    this.partners = partners;
    this.matches = matches;
    this.notifications = new Notifications(matches);
  }

  /** The partners by id, read now. */
  Map<String, Partner> partnersNow() {
    Map<String, Partner> byId = new HashMap<>();
    partners.all().forEach(p -> byId.put(p.id(), p));
    return byId;
  }

  List<WebhookLog.Queued> of(List<CaseEvent> events) {
    return events.isEmpty() ? List.of() : of(events, partnersNow());
  }

  /** @param byId the partners, read once for a whole batch even when its records are worked one at a time */
  List<WebhookLog.Queued> of(List<CaseEvent> events, Map<String, Partner> byId) {
    if (events.isEmpty()) {
      return List.of();
    }
    var wanted = Notifications.matchesWanted(events);
    Map<String, MatchView> known = wanted.isEmpty() ? Map.of() : matches.matchViews(wanted);
    List<WebhookLog.Queued> webhooks = new ArrayList<>();
    for (CaseEvent event : events) {
      for (Notifications.Notice notice : notifications.of(event, byId, known)) {
        for (Partner p : notice.recipients()) {
          if (p.disabled()) {
            continue; // a disabled organisation is told nothing
          }
          for (Partner.Endpoint endpoint : p.endpoints()) {
            if (endpoint.events().contains(notice.type())) {
              webhooks.add(message(event, notice, p, endpoint));
            }
          }
        }
      }
    }
    return webhooks;
  }

  /** The reads of a batch, for SnapStart priming: the partners, and a match that does not exist. */
  void prime() {
    partners.all();
    matches.matchViews(List.of("M-0000000000000000"));
  }

  private static WebhookLog.Queued message(CaseEvent event, Notifications.Notice notice, Partner p,
      Partner.Endpoint endpoint) {
    String webhookId = "msg_" + Secrets.sha256Hex(event.eventKey() + "|" + notice.type() + "|" + endpoint.id())
        .substring(0, 32);
    ObjectNode message = Json.object().put("webhookId", webhookId).put("partnerId", p.id())
        .put("endpointId", endpoint.id()).put("type", notice.type()).put("timestamp", event.at().toString());
    message.set("data", notice.data());
    return new WebhookLog.Queued(p.id(), webhookId, endpoint.id(), notice.type(), event.at(), Json.write(message));
  }
}
