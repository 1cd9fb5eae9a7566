package nl.onderdak.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.InMemoryPartnerStore;
import nl.onderdak.core.partners.InMemoryWebhookLog;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /partner/webhooks} and {@code POST /partner/webhooks/{id}/replay} as API Gateway calls them, on the
 * fast tier: an organisation sees its own webhooks and what became of them, replays one, and nobody else's.
 */
@Tag("fast")
class PartnerWebhooksHandlerTest {
  private static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");
  private final PartnerStore partners = new InMemoryPartnerStore();
  private final WebhookLog log = new InMemoryWebhookLog();
  private final InMemoryWebhookQueue queue = new InMemoryWebhookQueue();
  private final PartnerWebhooksHandler handler = new PartnerWebhooksHandler(partners, log, queue, Clock.systemUTC());

  private String partner(String name) {
    return partners.create(name, Set.of(Role.GUEST_SUPPORT), Set.of("PV26"), AT).partner().id();
  }

  private static String webhookId(int i) {
    return "msg_" + String.format("%032x", i);
  }

  private void logged(String partnerId, int i, String state) {
    String body = Json.write(Json.object().put("webhookId", webhookId(i)).put("partnerId", partnerId)
        .put("endpointId", "E-1").put("type", "case.assigned").put("timestamp", AT.plusSeconds(i).toString())
        .set("data", Json.object().put("caseId", "G-" + i)));
    log.queued(partnerId, webhookId(i), "E-1", "case.assigned", AT.plusSeconds(i), body, AT);
    if (state != null) {
      log.attempted(partnerId, webhookId(i), state, 2, "status 500", AT.plusSeconds(60));
    }
  }

  private APIGatewayV2HTTPResponse call(String partnerId, String routeKey, String id, Map<String, String> query) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRouteKey(routeKey);
    event.setPathParameters(id == null ? null : Map.of("id", id));
    event.setQueryStringParameters(query);
    event.setHeaders(Map.of());
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("req-1")
        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
            .withLambda(new HashMap<>(Map.of("partnerId", partnerId))).build()).build());
    return handler.handleRequest(event, null);
  }

  @Test
  void anOrganisationListsItsOwnWebhooksNewestFirstWithWhatBecameOfThem() {
    String mine = partner("Mine");
    String theirs = partner("Theirs");
    logged(mine, 1, null);
    logged(mine, 2, "retrying");
    logged(theirs, 3, null);
    APIGatewayV2HTTPResponse r = call(mine, "GET /partner/webhooks", null, Map.of("limit", "10"));
    assertEquals(200, r.getStatusCode(), r.getBody());
    JsonNode list = Json.parse(r.getBody()).get("webhooks");
    assertEquals(2, list.size());
    assertEquals(webhookId(2), list.get(0).get("webhookId").asText());
    assertEquals("retrying", list.get(0).get("state").asText());
    assertEquals(2, list.get(0).get("attempts").asInt());
    assertEquals("status 500", list.get(0).get("lastAnswer").asText());
    assertEquals("G-2", list.get(0).get("data").get("caseId").asText());
    assertEquals("queued", list.get(1).get("state").asText());
    assertEquals(400, call(mine, "GET /partner/webhooks", null, Map.of("limit", "0")).getStatusCode());
  }

  @Test
  void aReplayPutsTheWebhookBackOnTheQueueAsItWasAndOnlyForItsOwner() {
    String mine = partner("Mine");
    String theirs = partner("Theirs");
    logged(mine, 7, "dead_lettered");
    APIGatewayV2HTTPResponse r = call(mine, "POST /partner/webhooks/{id}/replay", webhookId(7), null);
    assertEquals(202, r.getStatusCode(), r.getBody());
    assertEquals(List.of(log.find(mine, webhookId(7)).orElseThrow().message()), queue.sent);
    assertEquals("replay_requested", log.find(mine, webhookId(7)).orElseThrow().state());
    assertEquals(404, call(theirs, "POST /partner/webhooks/{id}/replay", webhookId(7), null).getStatusCode(),
        "another organisation's webhook is not there for it");
    assertEquals(404, call(mine, "POST /partner/webhooks/{id}/replay", "msg_nonsense", null).getStatusCode());
    assertEquals(1, queue.sent.size());
    APIGatewayV2HTTPResponse stranger = call("P-NOBODY", "GET /partner/webhooks", null, null);
    assertEquals(403, stranger.getStatusCode());
    assertTrue(stranger.getBody().contains("forbidden"), stranger.getBody());
  }
}
