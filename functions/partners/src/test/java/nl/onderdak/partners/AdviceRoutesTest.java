package nl.onderdak.partners;

import static nl.onderdak.partners.PartnerCalls.call;
import static nl.onderdak.partners.PartnerCalls.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.Role;
import org.junit.jupiter.api.Test;

/** The advice role over the partner routes as Lambda runs them, against DynamoDB Local. */
class AdviceRoutesTest {

  @Test
  void theAdviceOrganisationSeesItsHouseholdAndRecordsAdviceOthersDoNot() {
    String advisor = PartnerCalls.partner("Advies Utrecht", List.of("advice"), List.of("PV26"));
    String other = PartnerCalls.partner("Advies Elders", List.of("advice"), List.of("PV26"));
    PartnerCalls.route("GM0315", advisor, Role.ADVICE);
    String guest = PartnerCalls.guest("PV26", "GM0315");
    Map<String, String> id = Map.of("id", guest);

    JsonNode seen = ok(call(advisor, "GET /partner/cases/{id}", id, null));
    assertTrue(seen.toString().contains("advice"), "it holds the advice role: " + seen);
    assertEquals(404, call(other, "GET /partner/cases/{id}", id, null).getStatusCode(),
        "an advice organisation not assigned sees nothing");

    var noKey = call(advisor, "POST /partner/cases/{id}/advice", id, "{\"reason\":\"housing\"}");
    assertEquals(400, noKey.getStatusCode(), "advice is retried with its Idempotency-Key");
    var missing = call(advisor, "POST /partner/cases/{id}/advice", id, "{\"text\":\"no topic\"}", "advice-0", Map.of());
    assertEquals(400, missing.getStatusCode());
    assertEquals("reason", Json.parse(missing.getBody()).get("errors").get(0).get("field").asText());
    String advice = "{\"reason\":\"housing\",\"text\":\"Explained the waiting list for social housing\"}";
    ok(call(advisor, "POST /partner/cases/{id}/advice", id, advice, "advice-1", Map.of()));
    ok(call(advisor, "POST /partner/cases/{id}/advice", id, advice, "advice-1", Map.of()));
    assertEquals(404, call(other, "POST /partner/cases/{id}/advice", id, "{\"reason\":\"work\"}", "advice-2", Map.of())
        .getStatusCode());

    JsonNode history = ok(call(advisor, "GET /partner/cases/{id}/history", id, null));
    JsonNode last = null;
    for (JsonNode e : history.path("events")) {
      last = e;
    }
    assertEquals(1, history.path("events").findValues("decision").stream().filter(d -> d.asText().equals("advised"))
        .count(), "the retry recorded nothing more");
    assertEquals("advice", last.path("step").asText(), history.toString());
    assertEquals("advised", last.path("decision").asText());
    assertEquals("housing", last.path("reason").asText());
    assertEquals("Explained the waiting list for social housing", last.path("text").asText(),
        "its holder reads the advice's words");
    assertEquals("open", ok(call(advisor, "GET /partner/cases/{id}", id, null)).path("status").asText(),
        "advice changes nothing else");
  }
}
