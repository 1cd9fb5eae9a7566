package nl.onderdak.partners;

import static nl.onderdak.partners.PartnerCalls.DYNAMO;
import static nl.onderdak.partners.PartnerCalls.TABLES;
import static nl.onderdak.partners.PartnerCalls.call;
import static nl.onderdak.partners.PartnerCalls.created;
import static nl.onderdak.partners.PartnerCalls.guest;
import static nl.onderdak.partners.PartnerCalls.host;
import static nl.onderdak.partners.PartnerCalls.ok;
import static nl.onderdak.partners.PartnerCalls.partner;
import static nl.onderdak.partners.PartnerCalls.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An organisation's own work: its cases listed, filtered and paged; notes kept with the personal data; and a
 * case handed over, the role moving only when the receiver accepts.
 */
class ResponsibilityRoutesTest {
  private static String first;
  private static String second;
  private static String reviewer;

  @BeforeAll
  static void onboard() {
    first = partner("Aid organisation A", List.of("guest_support", "screening", "placement_review"), List.of("PV26"));
    second = partner("Aid organisation B", List.of("guest_support", "screening", "placement_review"), List.of("PV26"));
    reviewer = partner("Municipality C", List.of("placement_review"), List.of("PV26"));
  }

  @Test
  void anOrganisationListsItsCasesFilteredSortedAndPaged() {
    // Friesland: the only organisation onboarded there holds every role alone, so it gets every case by itself.
    String lister = partner("Fryslân Helpt", List.of("guest_support", "screening", "placement_review"), List.of("PV21"));
    List<String> guests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      guests.add(guest("PV21", "GM0080"));
    }
    String host = host("PV21", "GM0080");
    JsonNode all = ok(call(lister, "GET /partner/cases", Map.of(), null));
    List<String> ids = all.get("cases").findValuesAsText("id");
    assertEquals(4, ids.size(), all.toString());
    assertEquals(guests.get(0), ids.get(0), "longest waiting first");
    assertEquals(List.of(host), ok(call(lister, "GET /partner/cases", Map.of(), null, null, Map.of("role", "screening")))
        .get("cases").findValuesAsText("id"));
    assertEquals(guests, ok(call(lister, "GET /partner/cases", Map.of(), null, null, Map.of("status", "open")))
        .get("cases").findValuesAsText("id"));
    List<String> newest = ok(call(lister, "GET /partner/cases", Map.of(), null, null, Map.of("order", "newest")))
        .get("cases").findValuesAsText("id");
    assertEquals(host, newest.get(0));
    // What waits on it: the host's screening (the households are with the matcher).
    JsonNode waiting = ok(call(lister, "GET /partner/cases", Map.of(), null, null, Map.of("waitingDays", "0")));
    assertEquals(List.of(host), waiting.get("cases").findValuesAsText("id"));
    JsonNode row = waiting.get("cases").get(0);
    assertEquals("screening", row.get("waiting").get("step").asText());
    assertEquals(List.of("screening"), List.of(row.get("waiting").get("roles").get(0).asText()));
    assertTrue(row.get("lead").asBoolean(), "the screening organisation leads a host");
    assertEquals(0, ok(call(lister, "GET /partner/cases", Map.of(), null, null, Map.of("waitingDays", "3")))
        .get("cases").size(), "nothing has waited three days");
    // Pages of two, the cursor carrying on where the page stopped.
    JsonNode page1 = ok(call(lister, "GET /partner/cases", Map.of(), null, null, Map.of("limit", "2")));
    String cursor = page1.get("next").asText();
    JsonNode page2 = ok(call(lister, "GET /partner/cases", Map.of(), null, null, Map.of("limit", "2", "cursor", cursor)));
    List<String> paged = new ArrayList<>(page1.get("cases").findValuesAsText("id"));
    paged.addAll(page2.get("cases").findValuesAsText("id"));
    assertEquals(ids, paged);
    // A cursor is bound to the organisation it was given to, and a garbled one is refused by name.
    for (String bad : List.of("garbage", cursor)) {
      APIGatewayV2HTTPResponse r = call(bad.equals(cursor) ? first : lister, "GET /partner/cases", Map.of(), null, null,
          Map.of("cursor", bad));
      assertEquals(400, r.getStatusCode(), r.getBody());
      assertEquals(List.of("cursor"), Json.parse(r.getBody()).get("errors").findValuesAsText("field"));
    }
    JsonNode wrong = Json.parse(call(lister, "GET /partner/cases", Map.of(), null, null,
        Map.of("role", "cook", "waitingDays", "-1", "order", "random", "limit", "500")).getBody());
    assertEquals(List.of("role", "waitingDays", "order"), wrong.get("errors").findValuesAsText("field"));
  }

  @Test
  void notesAreKeptWithThePersonalDataSeenByTheResponsibleAndNeverDuplicatedByARetry() {
    route("GM0311", first, Role.GUEST_SUPPORT, Role.PLACEMENT_REVIEW);
    String guest = guest("PV26", "GM0311");
    Map<String, String> onGuest = Map.of("id", guest);
    JsonNode before = ok(call(first, "GET /partner/cases/{id}/notes", onGuest, null));
    assertEquals("We have a small dog.", before.get("notes").get(0).get("text").asText(), "the household's own notes");
    assertEquals("registrant", before.get("notes").get(0).get("author").asText());
    assertEquals(400, call(first, "POST /partner/cases/{id}/notes", onGuest, "{\"text\":\"called, no answer\"}")
        .getStatusCode(), "a note is sent with an Idempotency-Key");
    String key = "note-" + UUID.randomUUID();
    JsonNode note = created(call(first, "POST /partner/cases/{id}/notes", onGuest,
        "{\"text\":\"called, no answer; try again Friday\"}", key, Map.of()));
    APIGatewayV2HTTPResponse retry = call(first, "POST /partner/cases/{id}/notes", onGuest,
        "{\"text\":\"called, no answer; try again Friday\"}", key, Map.of());
    assertEquals(200, retry.getStatusCode(), "a retry writes nothing new");
    assertEquals(note.get("noteId"), Json.parse(retry.getBody()).get("noteId"));
    assertEquals(422, call(first, "POST /partner/cases/{id}/notes", onGuest, "{\"text\":\"something else\"}", key,
        Map.of()).getStatusCode());
    JsonNode after = ok(call(first, "GET /partner/cases/{id}/notes", onGuest, null));
    assertEquals(2, after.get("notes").size());
    assertEquals("partner:" + first, after.get("notes").get(1).get("author").asText());
    assertEquals(404, call(second, "GET /partner/cases/{id}/notes", onGuest, null).getStatusCode());
    assertFalse(PartnerRoutesTest.caseCollection(guest).contains("Friday"), "notes are never on the case");
    assertTrue(reads(guest).stream().anyMatch(r -> "notes".equals(r.get("what").s())), "reading notes is on record");
  }

  @Test
  void aCaseHandedOverStaysWithTheSenderUntilTheReceiverAccepts() {
    route("GM0312", first, Role.GUEST_SUPPORT);
    route("GM0312", reviewer, Role.PLACEMENT_REVIEW);
    String guest = guest("PV26", "GM0312");
    Map<String, String> onGuest = Map.of("id", guest);
    assertEquals(200, call(first, "GET /partner/cases/{id}", onGuest, null).getStatusCode());
    assertEquals(404, call(second, "GET /partner/cases/{id}", onGuest, null).getStatusCode());

    JsonNode wrongTo = Json.parse(call(first, "POST /partner/cases/{id}/handover", onGuest,
        "{\"role\":\"guest_support\",\"to\":\"" + reviewer + "\",\"reason\":\"capacity\"}").getBody());
    assertEquals(List.of("to"), wrongTo.get("errors").findValuesAsText("field"), "the receiver must hold the role");
    assertEquals(403, call(first, "POST /partner/cases/{id}/handover", onGuest,
        "{\"role\":\"placement_review\",\"to\":\"" + second + "\",\"reason\":\"capacity\"}").getStatusCode(),
        "only the holder of a role hands it over");
    String handover = created(call(first, "POST /partner/cases/{id}/handover", onGuest,
        "{\"role\":\"guest_support\",\"to\":\"" + second + "\",\"reason\":\"language\"}")).get("id").asText();
    assertEquals(409, call(first, "POST /partner/cases/{id}/handover", onGuest,
        "{\"role\":\"guest_support\",\"to\":\"" + second + "\",\"reason\":\"capacity\"}").getStatusCode(),
        "one pending handover per role");
    // Until it accepts, the sender is responsible and the receiver sees only the request.
    assertEquals(404, call(second, "GET /partner/cases/{id}", onGuest, null).getStatusCode());
    assertEquals(200, call(first, "GET /partner/cases/{id}", onGuest, null).getStatusCode());
    JsonNode asked = ok(call(second, "GET /partner/queue", Map.of(), null)).get("handoversToDecide");
    assertTrue(asked.findValuesAsText("handoverId").contains(handover), asked.toString());
    assertEquals(403, call(first, "POST /partner/cases/{id}/handovers/{handoverId}",
        Map.of("id", guest, "handoverId", handover), "{\"decision\":\"accept\"}").getStatusCode(),
        "the sender does not accept its own handover");
    assertEquals("accepted", ok(call(second, "POST /partner/cases/{id}/handovers/{handoverId}",
        Map.of("id", guest, "handoverId", handover), "{\"decision\":\"accept\"}")).get("status").asText());
    assertEquals(200, call(second, "GET /partner/cases/{id}", onGuest, null).getStatusCode());
    assertEquals(404, call(first, "GET /partner/cases/{id}", onGuest, null).getStatusCode());
    assertEquals("accepted", ok(call(second, "POST /partner/cases/{id}/handovers/{handoverId}",
        Map.of("id", guest, "handoverId", handover), "{\"decision\":\"accept\"}")).get("status").asText(),
        "said twice: the same answer");
    JsonNode history = ok(call(second, "GET /partner/cases/{id}/history", onGuest, null));
    List<String> types = history.get("events").findValuesAsText("type");
    assertEquals(List.of("registered", "handover_requested", "assigned"), types);
    assertEquals(second, history.get("events").get(2).get("assigned").get("guest_support").get("partnerId").asText());
    assertEquals("handover", history.get("events").get(2).get("assigned").get("guest_support").get("how").asText());

    // Refused: the sender stays responsible.
    String back = created(call(second, "POST /partner/cases/{id}/handover", onGuest,
        "{\"role\":\"guest_support\",\"to\":\"" + first + "\",\"reason\":\"region\"}")).get("id").asText();
    assertEquals(List.of("reason"), Json.parse(call(first, "POST /partner/cases/{id}/handovers/{handoverId}",
        Map.of("id", guest, "handoverId", back), "{\"decision\":\"refuse\"}").getBody()).get("errors")
        .findValuesAsText("field"));
    assertEquals("refused", ok(call(first, "POST /partner/cases/{id}/handovers/{handoverId}",
        Map.of("id", guest, "handoverId", back), "{\"decision\":\"refuse\",\"reason\":\"capacity\"}"))
        .get("status").asText());
    assertEquals(200, call(second, "GET /partner/cases/{id}", onGuest, null).getStatusCode());
    assertEquals(404, call(first, "GET /partner/cases/{id}", onGuest, null).getStatusCode());
    assertNull(ok(call(second, "GET /partner/cases/{id}", onGuest, null)).get("handoversPending"));
    assertNotEquals(handover, back);
  }

  @Test
  void aTerminalMoveCancelsTheHandoversStillAsked() {
    route("GM0314", first, Role.GUEST_SUPPORT, Role.PLACEMENT_REVIEW);
    String guest = guest("PV26", "GM0314");
    String handover = created(call(first, "POST /partner/cases/{id}/handover", Map.of("id", guest),
        "{\"role\":\"guest_support\",\"to\":\"" + second + "\",\"reason\":\"capacity\"}")).get("id").asText();
    assertTrue(ok(call(second, "GET /partner/queue", Map.of(), null)).toString().contains(handover));
    ok(call(first, "POST /partner/cases/{id}/withdraw", Map.of("id", guest), "{\"reason\":\"no_longer_needed\"}"));
    assertFalse(ok(call(second, "GET /partner/queue", Map.of(), null)).toString().contains(handover),
        "the receiver is no longer asked");
    APIGatewayV2HTTPResponse late = call(second, "POST /partner/cases/{id}/handovers/{handoverId}",
        Map.of("id", guest, "handoverId", handover), "{\"decision\":\"accept\"}");
    assertEquals(409, late.getStatusCode(), late.getBody());
    assertEquals(404, call(second, "GET /partner/cases/{id}", Map.of("id", guest), null).getStatusCode());
  }

  static List<Map<String, AttributeValue>> reads(String caseId) {
    return DYNAMO.queryPaginator(b -> b.tableName(TABLES.cases())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CASE#" + caseId), ":r", AttributeValue.fromS("READ#"))))
        .items().stream().toList();
  }
}
