package nl.onderdak.notifications;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.DynamoDbClients;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

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
  private final SqsClient sqs;
  private final String queueUrl;
  private final Clock clock;

  public PartnerWebhooksHandler() {
    this(DynamoDbClients.fromEnv(), Tables.fromEnv(), SqsClients.fromEnv(),
        Env.require(CaseEventsHandler.QUEUE_URL), Clock.systemUTC());
  }

  PartnerWebhooksHandler(DynamoDbClient dynamo, Tables tables, SqsClient sqs, String queueUrl, Clock clock) {
    this.partners = new PartnerStore(dynamo, tables.partners());
    this.log = new WebhookLog(dynamo, tables.partners());
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.clock = clock;
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String partnerId = request.authorizerContext("partnerId");
    if (partnerId == null || partners.find(partnerId).isEmpty()) {
      throw new HttpProblem(403, "forbidden", "this route needs a partner API key");
    }
    return switch (request.routeKey()) {
      case "GET /partner/webhooks" -> list(partnerId, request);
      case "POST /partner/webhooks/{id}/replay" -> replay(partnerId, request.pathParameter("id"));
      default -> throw HttpProblem.notFound();
    };
  }

  private APIGatewayV2HTTPResponse list(String partnerId, HttpRequest request) {
    int limit = 50;
    String asked = request.queryParameter("limit");
    if (asked != null) {
      try {
        limit = Integer.parseInt(asked);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 500) {
        throw new ValidationException(List.of(new FieldError("limit", FieldError.Codes.OUT_OF_RANGE,
            "a number from 1 to 500")));
      }
    }
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("webhooks");
    for (Map<String, AttributeValue> w : log.recent(partnerId, limit)) {
      ObjectNode n = list.addObject();
      for (String field : List.of("webhookId", "type", "endpointId", "eventAt", "state", "lastAnswer", "updatedAt")) {
        if (Attr.str(w, field) != null) {
          n.put(field, Attr.str(w, field));
        }
      }
      n.put("attempts", Attr.num(w, "attempts"));
      n.set("data", Json.parse(Attr.str(w, "message")).get("data"));
    }
    return HttpResponses.json(200, out);
  }

  private APIGatewayV2HTTPResponse replay(String partnerId, String webhookId) {
    if (webhookId == null || !webhookId.matches("msg_[0-9a-f]{32}")) {
      throw HttpProblem.notFound();
    }
    Map<String, AttributeValue> w = log.find(partnerId, webhookId).orElseThrow(HttpProblem::notFound);
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Attr.str(w, "message")));
    log.attempted(partnerId, webhookId, "replay_requested", (int) Attr.num(w, "attempts"),
        Attr.str(w, "lastAnswer") == null ? "none" : Attr.str(w, "lastAnswer"), clock.instant());
    return HttpResponses.json(202, Json.object().put("webhookId", webhookId).put("state", "replay_requested"));
  }
}
