package nl.onderdak.notifications;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.Wiring;

/**
 * A partner's own webhooks, behind the partner-key authorizer:
 *
 * <pre>
 * GET  /partner/webhooks?limit=50      the most recent, newest first: type, state, attempts, last answer, payload
 * POST /partner/webhooks/{id}/replay   send one again, with its original webhook-id (receivers deduplicate by it)
 * </pre>
 *
 * A partner sees only its own: another partner's webhook id answers 404.
 */
public final class PartnerWebhooksHandler extends HttpHandler {
  private final PartnerStore partners;
  private final WebhookLog log;
  private final WebhookQueue queue;
  private final Clock clock;

  public PartnerWebhooksHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  @Override
  protected void primeStores() {
    log.recent("P-0000000000000000", 1);
  }

  PartnerWebhooksHandler(Wiring wiring) {
    this(wiring.partners(), wiring.webhookLog(), WebhookQueue.fromEnv(wiring), wiring.clock());
  }

  PartnerWebhooksHandler(PartnerStore partners, WebhookLog log, WebhookQueue queue, Clock clock) {
    this.partners = partners;
    this.log = log;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String partnerId = request.authorizerContext("partnerId");
    if (partnerId == null || partners.find(partnerId).map(p -> p.disabled()).orElse(true)) {
      throw new HttpProblem(403, "forbidden", "this route needs a partner API key");
    }
    return switch (request.routeKey()) {
      case "GET /partner/webhooks" -> list(partnerId, request);
      case "POST /partner/webhooks/{id}/replay" -> replay(partnerId, request.pathParameter("id"));
      default -> throw HttpProblem.notFound();
    };
  }

  private APIGatewayV2HTTPResponse list(String partnerId, HttpRequest request) {
    int limit = request.queryInt("limit", 50, 1, 500);
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("webhooks");
    for (WebhookLog.Entry w : log.recent(partnerId, limit)) {
      ObjectNode n = list.addObject().put("webhookId", w.webhookId()).put("type", w.type())
          .put("endpointId", w.endpointId()).put("eventAt", w.eventAt()).put("state", w.state());
      if (w.lastAnswer() != null) {
        n.put("lastAnswer", w.lastAnswer());
      }
      n.put("updatedAt", w.updatedAt()).put("attempts", w.attempts());
      n.set("data", Json.parse(w.message()).get("data"));
    }
    return HttpResponses.json(200, out);
  }

  private APIGatewayV2HTTPResponse replay(String partnerId, String webhookId) {
    if (webhookId == null || !webhookId.matches("msg_[0-9a-f]{32}")) {
      throw HttpProblem.notFound();
    }
    WebhookLog.Entry w = log.find(partnerId, webhookId).orElseThrow(HttpProblem::notFound);
    queue.send(List.of(w.message()));
    log.attempted(partnerId, webhookId, "replay_requested", (int) w.attempts(),
        w.lastAnswer() == null ? "none" : w.lastAnswer(), clock.instant());
    return HttpResponses.json(202, Json.object().put("webhookId", webhookId).put("state", "replay_requested"));
  }
}
