package nl.onderdak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScreeningDecisionHandlerTest {
  private static ScreeningDecisionHandler handler;
  private static CaseStore cases;
  private static RegistrationService registrations;

  @BeforeAll
  static void initLikeLambda() throws Exception {
    Map<String, String> env = DynamoDbFixture.shared().functionEnvironment();
    handler = Env.with(env, ScreeningDecisionHandler::new);
    cases = new CaseStore(DynamoDbFixture.shared().client(), Env.with(env, Tables::fromEnv));
    registrations = new RegistrationService(cases, Clock.systemUTC(), Duration.ofDays(30),
        new nl.onderdak.core.chain.RoutingStore(DynamoDbFixture.shared().client(), Env.with(env, Tables::fromEnv).partners())::read);
  }

  private static String host() {
    return registrations.register(CaseKind.HOST, nl.onderdak.core.SampleBodies.home("PV20", null), null).id();
  }

  private static APIGatewayV2HTTPResponse decide(String id, String body) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRouteKey("POST /admin/hosts/{id}/screening");
    event.setPathParameters(Map.of("id", id));
    event.setHeaders(Map.of("content-type", "application/json"));
    event.setBody(body);
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
        .withRequestId("req-1")
        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
            .withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
                .withUserArn("arn:aws:iam::123456789012:user/coordinator").build()).build())
        .build());
    return handler.handleRequest(event, null);
  }

  @Test
  void anApprovalMakesTheHostMatchableOnce() {
    String id = host();
    APIGatewayV2HTTPResponse ok = decide(id, "{\"decision\":\"approved\",\"reason\":\"intake_completed\"}");
    assertEquals(200, ok.getStatusCode(), ok.getBody());
    assertEquals("approved", Json.parse(ok.getBody()).get("status").asText());
    assertEquals(HostStatus.APPROVED, cases.find(id).orElseThrow().status());
    long version = cases.find(id).orElseThrow().version();

    // The same decision again is answered alike (as on the partner route: one step serves both), and writes nothing.
    APIGatewayV2HTTPResponse same = decide(id, "{\"decision\":\"approved\"}");
    assertEquals(200, same.getStatusCode(), same.getBody());
    assertEquals("approved", Json.parse(same.getBody()).get("status").asText());
    assertEquals(version, cases.find(id).orElseThrow().version(), "said twice: nothing written");

    APIGatewayV2HTTPResponse again = decide(id, "{\"decision\":\"rejected\",\"reason\":\"no_separate_room\"}");
    assertEquals(409, again.getStatusCode());
    assertEquals("not_in_screening", Json.parse(again.getBody()).get("code").asText());
    assertEquals(HostStatus.APPROVED, cases.find(id).orElseThrow().status(), "the second decision changed nothing");
  }

  @Test
  void aBadDecisionNamesTheField() {
    String id = host();
    JsonNode problem = Json.parse(decide(id, "{\"decision\":\"maybe\",\"colour\":\"blue\"}").getBody());
    assertEquals("validation_failed", problem.get("code").asText());
    assertEquals(java.util.List.of("decision", "colour"), problem.get("errors").findValuesAsText("field"));
    // A rejection needs its reason code; free text is no reason (it goes in "text").
    JsonNode noReason = Json.parse(decide(id, "{\"decision\":\"rejected\",\"reason\":\"the room is too small\"}")
        .getBody());
    assertEquals(java.util.List.of("reason"), noReason.get("errors").findValuesAsText("field"));
    JsonNode otherNeedsText = Json.parse(decide(id, "{\"decision\":\"rejected\",\"reason\":\"other\"}").getBody());
    assertEquals(java.util.List.of("text"), otherNeedsText.get("errors").findValuesAsText("field"));
    assertEquals(HostStatus.SCREENING, cases.find(id).orElseThrow().status());
  }

  @Test
  void unknownHostsAndGuestsAre404() {
    assertEquals(404, decide("H-0000000000000000", "{\"decision\":\"approved\",\"reason\":\"x\"}").getStatusCode());
    assertEquals(404, decide("G-0000000000000000", "{\"decision\":\"approved\",\"reason\":\"x\"}").getStatusCode());
    assertEquals(404, decide("nonsense", "{\"decision\":\"approved\",\"reason\":\"x\"}").getStatusCode());
  }
}
