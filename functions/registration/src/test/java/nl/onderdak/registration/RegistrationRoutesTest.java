package nl.onderdak.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registration routes as Lambda runs them: handlers built by their no-argument constructor with
 * the environment the template gives them, fed API Gateway HTTP API events loaded from JSON
 * fixtures, storing into DynamoDB Local.
 */
class RegistrationRoutesTest {
  private static RegisterGuestHandler guests;
  private static RegisterHostHandler hosts;
  private static RegistrationStatusHandler status;
  private static FormTicketHandler tickets;
  private static RegisterGuestHandler patientGuests;
  private static FormTicketHandler patientTickets;

  @BeforeAll
  static void initLikeLambda() throws Exception {
    // As the tests' runtimes run: a ticket is good at once (FormMinFillSeconds=0); the patient pair waits 2 s.
    Map<String, String> env = new HashMap<>(DynamoDbFixture.shared().functionEnvironment());
    env.put("FORM_MIN_FILL_SECONDS", "0");
    Map<String, String> patient = new HashMap<>(env);
    patient.put("FORM_MIN_FILL_SECONDS", "2");
    tickets = Env.with(env, FormTicketHandler::new);
    patientTickets = Env.with(patient, FormTicketHandler::new);
    patientGuests = Env.with(patient, RegisterGuestHandler::new);
    guests = Env.with(env, RegisterGuestHandler::new);
    tables = Env.with(env, nl.onderdak.core.storage.Tables::fromEnv);
    hosts = Env.with(env, RegisterHostHandler::new);
    status = Env.with(env, RegistrationStatusHandler::new);
  }

  /** The guest fixture with a contact and idempotency key of its own. */
  private static APIGatewayV2HTTPEvent guestEvent() {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/register-guest.json");
    event.setHeaders(new HashMap<>(event.getHeaders()));
    event.getHeaders().put("idempotency-key", UUID.randomUUID().toString());
    event.getHeaders().put("form-ticket", ticket(tickets));
    event.setBody(event.getBody().replace("REPLACED-BY-TEST", "olena." + UUID.randomUUID() + "@example.org"));
    return event;
  }

  private static String ticket(FormTicketHandler from) {
    APIGatewayV2HTTPEvent ask = EventLoader.loadApiGatewayHttpEvent("events/registration-status.json");
    ask.setRouteKey("POST /registrations/tickets");
    ask.setHeaders(new HashMap<>());
    ask.setQueryStringParameters(null);
    ask.setPathParameters(null);
    APIGatewayV2HTTPResponse r = from.handleRequest(ask, null);
    assertEquals(201, r.getStatusCode(), r.getBody());
    return body(r).get("ticket").asText();
  }

  private static String problemCode(APIGatewayV2HTTPResponse r, String field) {
    assertEquals(400, r.getStatusCode(), r.getBody());
    JsonNode error = body(r).get("errors").get(0);
    assertEquals(field, error.get("field").asText());
    return error.get("code").asText();
  }

  @Test
  void aRegistrationWithoutAValidUnspentTicketIsRefusedAndNothingIsWritten() {
    APIGatewayV2HTTPEvent none = guestEvent();
    none.getHeaders().remove("form-ticket");
    assertEquals("missing", problemCode(guests.handleRequest(none, null), "Form-Ticket"));
    APIGatewayV2HTTPEvent forged = guestEvent();
    forged.getHeaders().put("form-ticket", "made-up");
    assertEquals("invalid", problemCode(guests.handleRequest(forged, null), "Form-Ticket"));
    // A ticket is spent once: a second registration (another person, another key) with it is refused.
    APIGatewayV2HTTPEvent first = guestEvent();
    assertEquals(201, guests.handleRequest(first, null).getStatusCode());
    APIGatewayV2HTTPEvent second = guestEvent();
    second.getHeaders().put("form-ticket", first.getHeaders().get("form-ticket"));
    assertEquals("invalid", problemCode(guests.handleRequest(second, null), "Form-Ticket"));
    // ...but the first registration's own retry still gets its first answer.
    assertEquals(201, guests.handleRequest(first, null).getStatusCode());
    // The refused ones left nothing: their contacts are free for a proper registration.
    second.getHeaders().put("form-ticket", ticket(tickets));
    JsonNode stored = body(guests.handleRequest(second, null));
    assertEquals(nl.onderdak.core.model.GuestStatus.OPEN, find(stored.get("id").asText()).status(),
        "not linked to a refused attempt");
  }

  @Test
  void aFormSentFasterThanAPersonCouldFillItIsAskedToWait() throws Exception {
    APIGatewayV2HTTPEvent hasty = guestEvent();
    hasty.getHeaders().put("form-ticket", ticket(patientTickets));
    APIGatewayV2HTTPResponse early = patientGuests.handleRequest(hasty, null);
    assertEquals("too_early", problemCode(early, "Form-Ticket"));
    Thread.sleep(2_100);
    assertEquals(201, patientGuests.handleRequest(hasty, null).getStatusCode(), "the same ticket, later");
  }

  @Test
  void aFilledHiddenFieldIsAnsweredAsAnyOtherButHeldOutOfMatching() {
    APIGatewayV2HTTPEvent person = guestEvent();
    APIGatewayV2HTTPEvent bot = guestEvent();
    ObjectNode trapped = (ObjectNode) Json.parse(bot.getBody());
    trapped.put("website", "http://spam.example");
    bot.setBody(Json.write(trapped));
    APIGatewayV2HTTPResponse a = guests.handleRequest(person, null);
    APIGatewayV2HTTPResponse b = guests.handleRequest(bot, null);
    assertEquals(a.getStatusCode(), b.getStatusCode());
    assertEquals(a.getHeaders().keySet(), b.getHeaders().keySet());
    assertEquals(fieldNames(body(a)), fieldNames(body(b)));
    assertEquals(body(a).get("status"), body(b).get("status"));
    var held = DynamoDbFixture.shared().client().getItem(r -> r.tableName(tables().cases()).key(
        nl.onderdak.core.storage.Attr.key(nl.onderdak.core.events.CaseEvent.partitionKey(body(b).get("id").asText()), "CASE"))).item();
    assertEquals("form_honeypot", nl.onderdak.core.chain.Quarantine.reason(held));
    assertTrue(held.get("poolKey").s().startsWith("quarantine#guest#"), "out of the open pool: " + held.get("poolKey"));
    var free = DynamoDbFixture.shared().client().getItem(r -> r.tableName(tables().cases()).key(
        nl.onderdak.core.storage.Attr.key(nl.onderdak.core.events.CaseEvent.partitionKey(body(a).get("id").asText()), "CASE"))).item();
    assertEquals(null, nl.onderdak.core.chain.Quarantine.reason(free));
    assertTrue(free.get("poolKey").s().startsWith("guest#open#"));
  }

  private static nl.onderdak.core.storage.Tables tables;

  private static nl.onderdak.core.storage.Tables tables() {
    return tables;
  }

  private static nl.onderdak.core.storage.CaseRecord find(String id) {
    return new nl.onderdak.core.storage.CaseStore(DynamoDbFixture.shared().client(), tables()).find(id).orElseThrow();
  }

  private static APIGatewayV2HTTPEvent statusEvent(String id, String token) {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/registration-status.json");
    event.setPathParameters(Map.of("id", id));
    event.setQueryStringParameters(token == null ? null : Map.of("token", token));
    return event;
  }

  private static JsonNode body(APIGatewayV2HTTPResponse response) {
    return Json.parse(response.getBody());
  }

  private static APIGatewayV2HTTPEvent withBody(String contentType, String body) {
    APIGatewayV2HTTPEvent event = guestEvent();
    if (contentType == null) {
      event.getHeaders().remove("content-type");
    } else {
      event.getHeaders().put("content-type", contentType);
    }
    event.setBody(body);
    return event;
  }

  @Test
  void registersAGuestAndLetsThemReadTheirStatus() {
    APIGatewayV2HTTPResponse created = guests.handleRequest(guestEvent(), null);
    assertEquals(201, created.getStatusCode(), created.getBody());
    JsonNode answer = body(created);
    String id = answer.get("id").asText();
    String token = answer.get("statusToken").asText();
    assertTrue(id.matches("G-[0-9A-Z]{16}"), id);
    assertEquals("open", answer.get("status").asText());
    assertEquals("/registrations/" + id, created.getHeaders().get("location"));
    assertEquals("no-store", created.getHeaders().get("cache-control"));

    APIGatewayV2HTTPResponse read = status.handleRequest(statusEvent(id, token), null);
    assertEquals(200, read.getStatusCode(), read.getBody());
    assertEquals("open", body(read).get("status").asText());
    assertEquals(id, body(read).get("id").asText());
  }

  @Test
  void aSecondRegistrationOfSomeonesContactAnswersExactlyAsAFirstOne() throws Exception {
    // A stranger registers with an email someone registered before: the answers must not tell them apart.
    APIGatewayV2HTTPEvent first = guestEvent();
    APIGatewayV2HTTPEvent second = guestEvent();
    second.setBody(first.getBody());
    APIGatewayV2HTTPResponse a = guests.handleRequest(first, null);
    APIGatewayV2HTTPResponse b = guests.handleRequest(second, null);
    JsonNode answerA = body(a);
    JsonNode answerB = body(b);
    assertEquals(a.getStatusCode(), b.getStatusCode());
    assertEquals(a.getHeaders().keySet(), b.getHeaders().keySet());
    assertEquals(fieldNames(answerA), fieldNames(answerB));
    assertEquals(answerA.get("status"), answerB.get("status"));
    JsonNode readA = body(status.handleRequest(statusEvent(answerA.get("id").asText(),
        answerA.get("statusToken").asText()), null));
    JsonNode readB = body(status.handleRequest(statusEvent(answerB.get("id").asText(),
        answerB.get("statusToken").asText()), null));
    assertEquals(fieldNames(readA), fieldNames(readB));
    assertEquals("open", readA.get("status").asText());
    assertEquals("open", readB.get("status").asText(), "the hold is the responsible organisation's to see");
    assertEquals(readA.get("step"), readB.get("step"), "and so is the duplicate check: both are matching");
    assertEquals("matching", readB.get("step").asText());
    // Inside, it is held as a likely duplicate, for the organisation responsible to resolve.
    assertEquals(nl.onderdak.core.model.GuestStatus.ON_HOLD, new nl.onderdak.core.storage.CaseStore(
        DynamoDbFixture.shared().client(), Env.with(DynamoDbFixture.shared().functionEnvironment(),
            nl.onderdak.core.storage.Tables::fromEnv)).find(answerB.get("id").asText()).orElseThrow().status());
  }

  private static java.util.Set<String> fieldNames(JsonNode n) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void theWrongTokenLooksExactlyLikeAnUnknownId() {
    JsonNode answer = body(hosts.handleRequest(hostEvent(), null));
    String id = answer.get("id").asText();
    APIGatewayV2HTTPResponse wrongToken = status.handleRequest(statusEvent(id, "not-the-token"), null);
    APIGatewayV2HTTPResponse noToken = status.handleRequest(statusEvent(id, null), null);
    APIGatewayV2HTTPResponse unknown = status.handleRequest(statusEvent("H-0000000000000000", "x"), null);
    APIGatewayV2HTTPResponse malformed = status.handleRequest(statusEvent("nonsense", "x"), null);
    for (APIGatewayV2HTTPResponse r : List.of(wrongToken, noToken, unknown, malformed)) {
      assertEquals(404, r.getStatusCode());
      ObjectNode b = (ObjectNode) body(r);
      b.remove("requestId");
      assertEquals(Json.parse("{\"status\":404,\"code\":\"not_found\",\"title\":\"Not found\",\"detail\":\"nothing here\"}"), b);
    }
  }

  @Test
  void aBrowserOpeningTheStatusLinkGetsAPageThatRevealsNothingByItself() {
    JsonNode answer = body(hosts.handleRequest(hostEvent(), null));
    String id = answer.get("id").asText();
    String browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    APIGatewayV2HTTPEvent real = statusEvent(id, answer.get("statusToken").asText());
    APIGatewayV2HTTPEvent forged = statusEvent(id, "not-the-token");
    for (APIGatewayV2HTTPEvent e : List.of(real, forged)) {
      e.setHeaders(new HashMap<>(Map.of("accept", browserAccept)));
    }
    APIGatewayV2HTTPResponse page = status.handleRequest(real, null);
    APIGatewayV2HTTPResponse forgedPage = status.handleRequest(forged, null);
    assertEquals(200, page.getStatusCode());
    assertTrue(page.getHeaders().get("content-type").startsWith("text/html"));
    assertTrue(page.getBody().contains("/assets/form.js"), "the page asks for the status itself, in the person's language");
    // The same page whatever the token: whether an id exists is only told to who holds its token.
    assertEquals(page.getBody(), forgedPage.getBody());
    assertEquals("no-referrer", page.getHeaders().get("referrer-policy"), "the token must not leak onwards");
    assertTrue(page.getHeaders().get("content-security-policy").contains("script-src 'self'"));
  }

  private static APIGatewayV2HTTPEvent hostEvent() {
    APIGatewayV2HTTPEvent event = guestEvent();
    event.setRouteKey("POST /registrations/hosts");
    event.setBody(Json.write(nl.onderdak.core.SampleBodies.home("PV26", null).put("petsWelcome", false)));
    return event;
  }

  @Test
  void aRetryWithTheSameKeyGetsTheFirstAnswer() {
    APIGatewayV2HTTPEvent event = guestEvent();
    APIGatewayV2HTTPResponse first = guests.handleRequest(event, null);
    APIGatewayV2HTTPResponse retry = guests.handleRequest(event, null);
    assertEquals(201, retry.getStatusCode());
    assertEquals(body(first), body(retry));
    assertEquals("true", retry.getHeaders().get("idempotent-replayed"));
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() {
    APIGatewayV2HTTPEvent event = guestEvent();
    assertEquals(201, guests.handleRequest(event, null).getStatusCode());
    event.setBody(event.getBody().replace("\"adults\":2", "\"adults\":3"));
    APIGatewayV2HTTPResponse reused = guests.handleRequest(event, null);
    assertEquals(422, reused.getStatusCode());
    assertEquals("idempotency_key_reused", body(reused).get("code").asText());
  }

  @Test
  void aMalformedIdempotencyKeyIsNamed() {
    APIGatewayV2HTTPEvent event = guestEvent();
    event.getHeaders().put("idempotency-key", "has spaces in it");
    APIGatewayV2HTTPResponse r = guests.handleRequest(event, null);
    assertEquals(400, r.getStatusCode());
    assertEquals("Idempotency-Key", body(r).get("errors").get(0).get("field").asText());
  }

  @Test
  void invalidFieldsAre400WithEveryFieldNamed() {
    ObjectNode bad = (ObjectNode) Json.parse(guestEvent().getBody());
    bad.put("adults", "many");
    bad.put("unexpected", true);
    bad.put("neededFrom", "tomorrow");
    APIGatewayV2HTTPResponse r = guests.handleRequest(withBody("application/json", Json.write(bad)), null);
    assertEquals(400, r.getStatusCode());
    assertEquals("application/problem+json", r.getHeaders().get("content-type"));
    JsonNode problem = body(r);
    assertEquals("validation_failed", problem.get("code").asText());
    Map<String, String> fields = new HashMap<>();
    problem.get("errors").forEach(e -> fields.put(e.get("field").asText(), e.get("code").asText()));
    assertEquals(Map.of("adults", "wrong_type", "unexpected", "unknown_field", "neededFrom", "invalid_format"), fields);
  }

  @Test
  void aBodyThatIsNotJsonIs415() {
    assertEquals(415, guests.handleRequest(withBody("text/plain", "adults=2"), null).getStatusCode());
    assertEquals(415, guests.handleRequest(withBody(null, "{}"), null).getStatusCode());
    assertEquals(415, guests.handleRequest(withBody("application/x-www-form-urlencoded", "a=b"), null).getStatusCode());
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String huge = "{\"notes\":\"" + "x".repeat(20_000) + "\"}";
    APIGatewayV2HTTPResponse r = guests.handleRequest(withBody("application/json", huge), null);
    assertEquals(413, r.getStatusCode());
    assertEquals("body_too_large", body(r).get("code").asText());
  }

  @Test
  void aBase64EncodedBodyIsReadLikeAnyOther() {
    APIGatewayV2HTTPEvent event = guestEvent();
    event.setBody(Base64.getEncoder().encodeToString(event.getBody().getBytes(StandardCharsets.UTF_8)));
    event.setIsBase64Encoded(true);
    assertEquals(201, guests.handleRequest(event, null).getStatusCode());
  }

  @Test
  void nothingAClientSendsIsAnswered500() {
    List<String> bodies = List.of("", "{", "null", "[]", "123", "\"text\"", "{\"adults\":1e400}",
        "{\"adults\":99999999999999999999999}", "{\"contact\":[]}", "{\"children\":[1,2,3]}",
        "{\"children\":{\"age\":1}}", "{\"contact\":{\"name\":\"a\\u0000b\",\"email\":\"a@b.nl\"}}",
        "[".repeat(5000), "{\"preferredRegions\":[null]}", "{\"neededFrom\":\"+999999999-01-01\"}",
        "{\"pets\":[\"dog\",\"dog\"]}", "{} {}");
    for (String b : bodies) {
      APIGatewayV2HTTPResponse r = guests.handleRequest(withBody("application/json", b), null);
      assertEquals(4, r.getStatusCode() / 100, "body " + b.substring(0, Math.min(40, b.length())) + " -> " + r.getBody());
      assertNotNull(body(r).get("code"));
    }
    APIGatewayV2HTTPEvent notBase64 = guestEvent();
    notBase64.setIsBase64Encoded(true);
    notBase64.setBody("%%% not base64 %%%");
    assertEquals(400, guests.handleRequest(notBase64, null).getStatusCode());
  }

  @Test
  void hostsAndGuestsGetDifferentIdsAndStatuses() {
    JsonNode host = body(hosts.handleRequest(hostEvent(), null));
    JsonNode guest = body(guests.handleRequest(guestEvent(), null));
    assertTrue(host.get("id").asText().startsWith("H-"));
    assertEquals("screening", host.get("status").asText());
    assertNotEquals(host.get("statusToken"), guest.get("statusToken"));
  }
}
