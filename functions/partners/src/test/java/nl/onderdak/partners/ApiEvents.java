package nl.onderdak.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.json.Json;

/** API Gateway's events for this module's routes, as it builds them; no store behind them (the fast tier uses it). */
final class ApiEvents {
  private ApiEvents() {}

  static APIGatewayV2HTTPEvent event(String routeKey, Map<String, String> path, String body) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRouteKey(routeKey);
    event.setPathParameters(path.isEmpty() ? null : path);
    event.setHeaders(body == null ? Map.of() : Map.of("content-type", "application/json"));
    event.setBody(body);
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
        .withRequestId("req-" + UUID.randomUUID()).build());
    return event;
  }

  /** As an operator's IAM-signed request arrives. */
  static APIGatewayV2HTTPEvent asOperator(APIGatewayV2HTTPEvent event) {
    event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
        .withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
            .withUserArn("arn:aws:iam::123456789012:user/operator").build()).build());
    return event;
  }

  /** As a partner's request arrives after the key authorizer said who it is. */
  static APIGatewayV2HTTPEvent asPartner(APIGatewayV2HTTPEvent event, String partnerId) {
    event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
        .withLambda(new HashMap<>(Map.of("partnerId", partnerId))).build());
    return event;
  }

  static JsonNode created(APIGatewayV2HTTPResponse r) {
    assertEquals(201, r.getStatusCode(), r.getBody());
    return Json.parse(r.getBody());
  }

  static JsonNode ok(APIGatewayV2HTTPResponse r) {
    assertEquals(200, r.getStatusCode(), r.getBody());
    return Json.parse(r.getBody());
  }
}
