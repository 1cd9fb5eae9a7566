package nl.onderdak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.chain.RoutingStore;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A person's export and erasure as Lambda runs them, against DynamoDB Local: the export holds everything, the
 * erasure leaves nothing of the person in any table, and the case stays to be counted.
 */
class SubjectRightsTest {
  private static SubjectRightsHandler rights;
  private static ScreeningDecisionHandler screening;
  private static RegistrationService registrations;
  private static CaseStore cases;
  private static DynamoDbClient dynamo;
  private static Tables tables;

  @BeforeAll
  static void initLikeLambda() throws Exception {
    Map<String, String> env = DynamoDbFixture.shared().functionEnvironment();
    rights = Env.with(env, SubjectRightsHandler::new);
    screening = Env.with(env, ScreeningDecisionHandler::new);
    dynamo = DynamoDbFixture.shared().client();
    tables = Env.with(env, Tables::fromEnv);
    cases = new CaseStore(dynamo, tables);
    registrations = new RegistrationService(cases, Clock.systemUTC(), Duration.ofDays(30),
        new RoutingStore(dynamo, tables.partners())::read);
  }

  private static APIGatewayV2HTTPResponse call(String routeKey, String id, String body) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRouteKey(routeKey);
    event.setPathParameters(Map.of("id", id));
    event.setHeaders(body == null ? Map.of() : Map.of("content-type", "application/json"));
    event.setBody(body);
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("req-" + UUID.randomUUID())
        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
            .withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
                .withUserArn("arn:aws:iam::123456789012:user/dpo").build()).build())
        .build());
    String route = routeKey;
    return route.startsWith("POST /admin/hosts") ? screening.handleRequest(event, null) : rights.handleRequest(event, null);
  }

  @Test
  void anExportHoldsEverythingAndAnErasureLeavesNothingOfThePersonInAnyTable() {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    String name = "Marijke Proefpersoon " + unique;
    String email = "marijke." + unique + "@example.org";
    String street = "Geheimstraat" + unique;
    String note = "Ring twice, " + unique;
    String reasonText = "Marijke moved abroad " + unique;
    ObjectNode body = SampleBodies.home("PV20", null).put("notes", note);
    body.putObject("contact").put("name", name).put("email", email);
    ((ObjectNode) body.get("address")).put("street", street);
    String id = registrations.register(CaseKind.HOST, body, null).id();

    // Still in screening: an open case is not erased (its organisation ends it first).
    APIGatewayV2HTTPResponse open = call("POST /admin/cases/{id}/erasure", id, "{\"reason\":\"subject_request\"}");
    assertEquals(409, open.getStatusCode());
    assertEquals("case_open", Json.parse(open.getBody()).get("code").asText());
    assertEquals(200, call("POST /admin/hosts/{id}/screening", id,
        "{\"decision\":\"rejected\",\"reason\":\"other\",\"text\":\"" + reasonText + "\"}").getStatusCode());

    APIGatewayV2HTTPResponse exported = call("GET /admin/cases/{id}/export", id, null);
    assertEquals(200, exported.getStatusCode(), exported.getBody());
    String document = exported.getBody();
    for (String held : List.of(name, email, street, note, reasonText)) {
      assertTrue(document.contains(held), "the export lacks " + held);
    }
    JsonNode export = Json.parse(document);
    assertEquals("rejected", export.get("case").get("status").asText());
    assertTrue(export.get("history").size() >= 2, "registered, rejected");
    assertEquals(1, export.get("contactClaims").size());
    assertEquals(404, call("GET /admin/cases/{id}/export", "H-0000000000000000", null).getStatusCode());

    assertEquals(400, call("POST /admin/cases/{id}/erasure", id, "{\"reason\":\"because\"}").getStatusCode());
    APIGatewayV2HTTPResponse erased = call("POST /admin/cases/{id}/erasure", id, "{\"reason\":\"subject_request\"}");
    assertEquals(200, erased.getStatusCode(), erased.getBody());
    assertEquals(200, call("POST /admin/cases/{id}/erasure", id, "{\"reason\":\"subject_request\"}").getStatusCode(),
        "asked again: the same answer");

    // Nothing of the person anywhere: every item of every table.
    for (String table : List.of(tables.cases(), tables.personalData(), tables.idempotency(), tables.regionStats(),
        tables.partners())) {
      dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(item -> {
        String text = item.toString();
        for (String held : List.of(name, email, street, note, reasonText, unique)) {
          assertFalse(text.contains(held), held + " is still in " + table + ": " + item.get("sk"));
        }
      });
    }
    // The case stays, pseudonymous, to be counted; its erasure and the export are on its record.
    var after = cases.find(id).orElseThrow();
    assertEquals("rejected", after.status().wire());
    JsonNode history = Json.parse(call("GET /admin/cases/{id}/export", id, null).getBody());
    assertEquals("personal_data_erased", history.get("history").get(history.get("history").size() - 1)
        .get("eventType").asText());
    assertEquals(0, history.get("personalData").size());
    assertTrue(history.get("reads").findValuesAsText("what").contains("export"), "the export is on record");
    assertFalse(history.get("case").has("profile"), "what the registration said of the home is gone");
    // Every operator request is on the durable audit record: who, which route, on what, and how it ended.
    java.util.List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> audit =
        new java.util.ArrayList<>();
    dynamo.scanPaginator(b -> b.tableName(tables.audit())).items().forEach(i -> {
      if (i.get("target") != null && id.equals(i.get("target").m().get("id").s())) {
        audit.add(i);
      }
    });
    assertTrue(audit.stream().anyMatch(i -> "POST /admin/cases/{id}/erasure".equals(i.get("route").s())
        && "200".equals(i.get("status").n()) && "arn:aws:iam::123456789012:user/dpo".equals(i.get("actor").s())),
        audit.toString());
    assertTrue(audit.stream().anyMatch(i -> "POST /admin/cases/{id}/erasure".equals(i.get("route").s())
        && "409".equals(i.get("status").n())), "refusals too");
    assertTrue(audit.stream().allMatch(i -> i.get("requestId") != null && "finished".equals(i.get("state").s())));
    assertTrue(audit.stream().noneMatch(i -> i.toString().contains("subject_request")), "never the body");
  }
}
