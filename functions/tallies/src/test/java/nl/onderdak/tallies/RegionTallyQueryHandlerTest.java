package nl.onderdak.tallies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.Test;

/** The operators' region figures, read from DynamoDB Local. */
class RegionTallyQueryHandlerTest {
  @Test
  void theAdminRouteListsEveryProvinceWithItsHeadlineFigures() throws Exception {
    RegionTallyQueryHandler query = Env.with(DynamoDbFixture.shared().functionEnvironment(),
        RegionTallyQueryHandler::new);
    APIGatewayV2HTTPEvent request = new APIGatewayV2HTTPEvent();
    request.setRouteKey("GET /admin/regions");
    APIGatewayV2HTTPResponse response = query.handleRequest(request, null);
    assertEquals(200, response.getStatusCode());
    JsonNode regions = Json.parse(response.getBody()).get("regions");
    assertEquals(12, regions.size());
    assertEquals("PV20", regions.get(0).get("region").asText());
    assertEquals("Limburg", regions.get(11).get("name").asText());
    for (JsonNode r : regions) {
      for (String headline : RegionTallyQueryHandler.HEADLINE) {
        assertTrue(r.get("counts").get(headline).isIntegralNumber(), r.toString());
      }
    }
  }
}
