package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The whole chain in the local runtime, over HTTP only: partners onboarded through the admin route,
 * households and hosts registered, screened, matched through the stream, reviewed, placed and ended
 * through the partner API; webhooks delivered to real HTTP receivers that verify them with the official
 * Standard Webhooks library; receivers that fail, throttle or are gone.
 *
 * <p>The retry schedule runs 100 times faster ({@code WebhookRetryScale=0.01}): the 5-minute wait
 * is 3 s. Proposals expire as soon as the expiry schedule runs ({@code ProposalReviewMinutes=0}); the
 * test runs it when it wants to.
 */
class WebhooksEndToEndTest {
  private static final String ADMIN = "webhook-admin";
  private static LocalRuntime runtime;
  private static HttpClient http;
  /** The key of the partner onboarded last. */
  private static String onboardedKey;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    runtime = LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null, ADMIN)
        .withParameters(Map.of("WebhookRetryScale", "0.01", "ProposalReviewMinutes", "0"))));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    base = "http://localhost:" + runtime.httpPort();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @Test
  void eachPartnerReceivesExactlyTheSignedEventsItSubscribedTo() throws Exception {
    try (WebhookReceiver reviewer = new WebhookReceiver(); WebhookReceiver onlyAccepted = new WebhookReceiver();
         WebhookReceiver elsewhere = new WebhookReceiver()) {
      Partner review = onboard("Fryslân Review", "[\"screening\",\"placement_review\"]", "PV21", reviewer,
          "[\"host.screening_requested\",\"match.proposed\",\"match.accepted\",\"match.introduced\","
          + "\"placement.confirmed\",\"placement.end_changed\",\"placement.ended\"]");
      onboard("Fryslân Support", "[\"guest_support\"]", "PV21", onlyAccepted, "[\"match.accepted\"]");
      onboard("Limburg", "[\"screening\",\"placement_review\"]", "PV31", elsewhere,
          "[\"host.screening_requested\",\"match.proposed\",\"match.accepted\"]");

      String guestId = register("guests", guestBody("PV21"));
      String hostId = register("hosts", hostBody("PV21"));
      awaitTypes(reviewer, List.of("host.screening_requested"));
      assertEquals(200, call("POST", "/partner/hosts/" + hostId + "/screening", review.key,
          "{\"decision\":\"approved\",\"reason\":\"intake_completed\"}").statusCode());
      JsonNode proposed = awaitTypes(reviewer, List.of("host.screening_requested", "match.proposed")).get(1);
      String matchId = proposed.get("data").get("matchId").asText();
      assertEquals(guestId, proposed.get("data").get("guestId").asText());
      assertTrue(proposed.get("data").get("score").asInt() > 0);
      assertTrue(!proposed.toString().contains("@example.org"), "payloads are thin: no personal details");

      assertEquals(200, call("POST", "/partner/matches/" + matchId + "/review", review.key, "{\"decision\":\"accept\"}")
          .statusCode());
      // A host family's stay has an agreed end: without one, or one shorter than the minimum stay, it is refused.
      LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
      HttpResponse<String> noEnd = call("POST", "/partner/matches/" + matchId + "/placement", review.key,
          "{\"moveInDate\":\"" + today + "\"}");
      assertEquals(400, noEnd.statusCode());
      assertEquals("agreedEndDate", Json.parse(noEnd.body()).get("errors").get(0).get("field").asText());
      assertEquals("missing", Json.parse(noEnd.body()).get("errors").get(0).get("code").asText());
      // The household and the host meet first: the placement waits for the introduction's go.
      assertEquals(409, call("POST", "/partner/matches/" + matchId + "/placement", review.key,
          "{\"moveInDate\":\"" + today + "\",\"agreedEndDate\":\"" + today.plusDays(30) + "\"}").statusCode());
      assertEquals(200, call("POST", "/partner/matches/" + matchId + "/introduction", review.key,
          "{\"outcome\":\"go\"}").statusCode());
      HttpResponse<String> tooShort = call("POST", "/partner/matches/" + matchId + "/placement", review.key,
          "{\"moveInDate\":\"" + today + "\",\"agreedEndDate\":\"" + today.plusDays(13) + "\"}");
      assertEquals("out_of_range", Json.parse(tooShort.body()).get("errors").get(0).get("code").asText());
      HttpResponse<String> placed = call("POST", "/partner/matches/" + matchId + "/placement", review.key,
          "{\"moveInDate\":\"" + today + "\",\"agreedEndDate\":\"" + today.plusDays(30) + "\"}");
      assertEquals(200, placed.statusCode(), placed.body());
      assertEquals(today.plusDays(30).toString(), Json.parse(placed.body()).path("agreedEndDate").asText(),
          placed.body());
      // The host agrees to two more weeks: an extension, with its reason, on record and told.
      HttpResponse<String> noReason = call("POST", "/partner/matches/" + matchId + "/stay", review.key,
          "{\"agreedEndDate\":\"" + today.plusDays(44) + "\"}");
      assertEquals("reason", Json.parse(noReason.body()).get("errors").get(0).get("field").asText());
      assertEquals(200, call("POST", "/partner/matches/" + matchId + "/stay", review.key,
          "{\"agreedEndDate\":\"" + today.plusDays(44) + "\",\"reason\":\"host_agreed\"}").statusCode());
      assertEquals(200, call("POST", "/partner/matches/" + matchId + "/end", review.key, "{\"reason\":\"own_home\"}")
          .statusCode());
      List<JsonNode> all = awaitTypes(reviewer, List.of("host.screening_requested", "match.proposed",
          "match.accepted", "match.introduced", "placement.confirmed", "placement.end_changed", "placement.ended"));
      assertEquals("go", all.get(3).get("data").get("outcome").asText());
      assertEquals(today.plusDays(30).toString(), all.get(4).get("data").get("agreedEndDate").asText());
      JsonNode extended = all.get(5);
      assertEquals(today.plusDays(44).toString(), extended.get("data").get("agreedEndDate").asText());
      assertEquals("extend", extended.get("data").get("decision").asText());
      assertEquals("host_agreed", extended.get("data").get("reason").asText());
      assertEquals("own_home", all.get(6).get("data").get("reason").asText());
      awaitTypes(onlyAccepted, List.of("match.accepted"));
      // Every delivery verified with the official library, and no one got what it did not ask for.
      for (WebhookReceiver r : List.of(reviewer, onlyAccepted)) {
        assertTrue(r.deliveries().stream().allMatch(WebhookReceiver.Delivery::verified), "a signature failed");
      }
      Thread.sleep(500);
      assertEquals(7, reviewer.deliveries().size(), types(reviewer).toString());
      assertEquals(List.of("match.accepted"), types(onlyAccepted));
      assertEquals(List.of(), types(elsewhere), "another province's partner hears nothing");
    }
  }

  @Test
  void failuresAreRetriedOnScheduleWithTheSameIdAndGoneDisablesTheEndpoint() throws Exception {
    try (WebhookReceiver flaky = new WebhookReceiver()) {
      // First a 500, then 429 asking for 5 minutes, then it works.
      int[] calls = {0};
      flaky.script(d -> switch (++calls[0]) {
        case 1 -> new WebhookReceiver.Answer(500, null);
        case 2 -> new WebhookReceiver.Answer(429, "300");
        default -> new WebhookReceiver.Answer(200, null);
      });
      Partner p = onboard("Drenthe Flaky", "[\"screening\"]", "PV22", flaky, "[\"host.screening_requested\"]");
      register("hosts", hostBody("PV22"));
      await(() -> flaky.deliveries().stream().anyMatch(d -> d.answered() == 200), Duration.ofSeconds(30));
      List<WebhookReceiver.Delivery> attempts = flaky.deliveries();
      assertEquals(3, attempts.size());
      assertEquals(1, attempts.stream().map(WebhookReceiver.Delivery::webhookId).distinct().count(),
          "every attempt carries the same webhook-id");
      assertTrue(attempts.stream().allMatch(WebhookReceiver.Delivery::verified));
      long honoured = attempts.get(2).receivedAtMillis() - attempts.get(1).receivedAtMillis();
      // Retry-After 300 s, scaled by 0.01: at least 3 s (the schedule alone would wait 5 min × 0.01 = 3 s too,
      // but the first retry, after 5 s × 0.01, comes at once).
      assertTrue(honoured >= 2500, "waited " + honoured + " ms after the 429");

      // Now the endpoint is gone: 410 disables it and parks the webhook in the dead-letter queue.
      flaky.script(d -> new WebhookReceiver.Answer(410, null));
      register("hosts", hostBody("PV22"));
      await(() -> endpointDisabled(p), Duration.ofSeconds(20));
      List<Message> parked = awaitDeadLetters(1);
      assertEquals("gone", parked.get(0).messageAttributes().get("reason").stringValue());
      assertEquals(4, flaky.deliveries().size(), "a gone endpoint is not called again");
      // Operators see it: the metric the alarm watches was emitted, and the operator page's alarm fires.
      JsonNode ops = runtime.opsData();
      assertTrue(metricSum(ops, "PartnerEndpointsDisabled", null) >= 1);
      assertTrue(metricSum(ops, "WebhookDeliveries", "retry") >= 2);
      assertTrue(metricSum(ops, "WebhookDeliveries", "endpoint_disabled") >= 1);
      boolean firing = false;
      for (JsonNode alarm : ops.get("alarms")) {
        firing |= alarm.get("name").asText().equals("PartnerEndpointDisabledAlarm")
            && alarm.get("state").asText().equals("ALARM");
      }
      assertTrue(firing, ops.get("alarms").toString());

      // The partner sees what became of its webhooks ...
      JsonNode listed = Json.parse(call("GET", "/partner/webhooks", p.key, null).body()).get("webhooks");
      assertEquals(2, listed.size());
      JsonNode gone = listed.get(0);
      JsonNode delivered = listed.get(1);
      assertEquals("dead_lettered", gone.get("state").asText());
      assertEquals("status 410", gone.get("lastAnswer").asText());
      assertEquals("delivered", delivered.get("state").asText());
      assertEquals(3, delivered.get("attempts").asInt());
      // ... and, once its endpoint is back on, asks for the lost one again: same id, verified.
      flaky.script(d -> new WebhookReceiver.Answer(200, null));
      assertEquals(200, call("POST", "/admin/partners/" + p.id + "/endpoints/" + p.endpointId + "/enable", ADMIN, null)
          .statusCode());
      String goneId = gone.get("webhookId").asText();
      try (WebhookReceiver other = new WebhookReceiver()) {
        Partner stranger = onboard("Someone Else", "[\"screening\"]", "PV22", other, "[\"match.accepted\"]");
        assertEquals(404, call("POST", "/partner/webhooks/" + goneId + "/replay", stranger.key, null).statusCode(),
            "another partner's webhook is not found");
      }
      assertEquals(202, call("POST", "/partner/webhooks/" + goneId + "/replay", p.key, null).statusCode());
      await(() -> flaky.deliveries().size() == 5, Duration.ofSeconds(20));
      WebhookReceiver.Delivery replayed = flaky.deliveries().get(4);
      assertEquals(goneId, replayed.webhookId());
      assertTrue(replayed.verified());
      await(() -> "delivered".equals(Json.parse(call0("GET", "/partner/webhooks", p.key)).get("webhooks").get(0)
          .get("state").asText()), Duration.ofSeconds(10));
    }
  }

  private static String call0(String method, String path, String bearer) {
    try {
      return call(method, path, bearer, null).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPartnerSystemThatIsDownGetsItsWebhooksWhenItIsBack() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      onboard("Zeeland Offline", "[\"screening\"]", "PV29", receiver, "[\"host.screening_requested\"]");
      receiver.down();
      String hostId = register("hosts", hostBody("PV29"));
      Thread.sleep(1500); // the first attempt (and its immediate retry) find nobody listening
      receiver.up();
      JsonNode received = awaitTypes(receiver, List.of("host.screening_requested")).get(0);
      assertEquals(hostId, received.get("data").get("hostId").asText());
      assertTrue(receiver.deliveries().get(0).verified());
      JsonNode log = Json.parse(call0("GET", "/partner/webhooks", onboardedKey)).get("webhooks").get(0);
      assertTrue(log.get("attempts").asInt() >= 2, "delivered on a retry: " + log);
    }
  }

  @Test
  void anExpiredProposalAndAWithdrawalAfterAcceptanceReachThePartners() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Partner p = onboard("Flevoland Team", "[\"screening\",\"placement_review\",\"guest_support\"]", "PV24",
          receiver, "[\"match.proposed\",\"match.expired\",\"match.accepted\",\"case.alert\"]");
      String guestId = register("guests", guestBody("PV24"));
      String firstHost = register("hosts", hostBody("PV24"));
      call("POST", "/partner/hosts/" + firstHost + "/screening", p.key, "{\"decision\":\"approved\"}");
      awaitTypes(receiver, List.of("match.proposed"));
      runtime.fireSchedule("ProposalExpiryFunction.Every5Minutes");
      JsonNode expired = awaitTypes(receiver, List.of("match.proposed", "match.expired")).get(1);
      assertEquals("review_time_ran_out", expired.get("data").get("reason").asText());

      // A second host: a new proposal (the expired pair is barred), accepted, then the household withdraws.
      String secondHost = register("hosts", hostBody("PV24"));
      call("POST", "/partner/hosts/" + secondHost + "/screening", p.key, "{\"decision\":\"approved\"}");
      JsonNode second = awaitTypes(receiver, List.of("match.proposed", "match.expired", "match.proposed")).get(2);
      assertEquals(secondHost, second.get("data").get("hostId").asText(), "never the barred pair again");
      String matchId = second.get("data").get("matchId").asText();
      assertEquals(200, call("POST", "/partner/matches/" + matchId + "/review", p.key, "{\"decision\":\"accept\"}")
          .statusCode());
      assertEquals(200, call("POST", "/partner/cases/" + guestId + "/withdraw", p.key,
          "{\"reason\":\"returned\",\"text\":\"returned to Ukraine\"}").statusCode());
      JsonNode alert = awaitTypes(receiver, List.of("match.proposed", "match.expired", "match.proposed",
          "match.accepted", "case.alert")).get(4);
      assertEquals("withdrawn_after_acceptance", alert.get("data").get("alert").asText());
      assertEquals(guestId, alert.get("data").get("caseId").asText());
      // The case has ended: the case-events reader gives its personal data its end, the retention period from now.
      String personal = nl.onderdak.infra.template.SamTemplate.load(nl.onderdak.infra.template.SamTemplate.locateFile())
          .physicalName("PersonalDataTable");
      await(() -> runtime.dynamoDb().client().getItem(b -> b.tableName(personal).key(java.util.Map.of(
          "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("CASE#" + guestId),
          "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("DETAILS")))).item()
          .containsKey("deleteAfter"), Duration.ofSeconds(10));
      assertTrue(receiver.deliveries().stream().allMatch(WebhookReceiver.Delivery::verified));
    }
  }

  @Test
  void theStaysClockTellsOfAnEndThatIsNearAndAlertsOnOneThatPassed() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Partner p = onboard("Zuid-Holland Team", "[\"screening\",\"placement_review\",\"guest_support\"]", "PV28",
          receiver, "[\"match.proposed\",\"stay.ending_soon\",\"case.alert\"]");
      LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
      // A stay agreed for the minimum two weeks: its end is near (StayEndingSoonDays, 14) from the start.
      String soon = placedMatch(p, receiver, "PV28", today, today.plusDays(14), 1);
      // A stay that began a month ago and whose agreed end passed yesterday, with nothing recorded since.
      String past = placedMatch(p, receiver, "PV28", today.minusDays(30), today.minusDays(1), 2);
      runtime.fireSchedule("StayWatchFunction.Hourly");
      List<JsonNode> told = awaitTypes(receiver, List.of("match.proposed", "match.proposed", "stay.ending_soon",
          "case.alert"));
      JsonNode ending = told.stream().filter(b -> b.get("type").asText().equals("stay.ending_soon")).findFirst()
          .orElseThrow();
      assertEquals(soon, ending.get("data").get("matchId").asText());
      assertEquals(today.plusDays(14).toString(), ending.get("data").get("agreedEndDate").asText());
      JsonNode alert = told.stream().filter(b -> b.get("type").asText().equals("case.alert")).findFirst().orElseThrow();
      assertEquals("stay_past_agreed_end", alert.get("data").get("alert").asText());
      assertEquals(past, alert.get("data").get("matchId").asText());
      // Once per agreed end: the clock again tells nobody anything new.
      runtime.fireSchedule("StayWatchFunction.Hourly");
      Thread.sleep(1_500);
      assertEquals(4, types(receiver).size(), types(receiver).toString());
      assertTrue(receiver.deliveries().stream().allMatch(WebhookReceiver.Delivery::verified));
    }
  }

  @Test
  void aDueCheckInReachesTheSupportOrganisationAndASafetyIncidentAlertsAndReplacesAtOnce() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Partner p = onboard("Flevoland Support", "[\"screening\",\"placement_review\",\"guest_support\"]", "PV30",
          receiver, "[\"match.proposed\",\"stay.checkin_due\",\"case.alert\"]");
      LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
      // Moved in three days ago: the first check-in (CheckInDays 3,14) is due.
      String matchId = placedMatch(p, receiver, "PV30", today.minusDays(3), today.plusDays(30), 1);
      runtime.fireSchedule("StayWatchFunction.Hourly");
      JsonNode due = awaitTypes(receiver, List.of("match.proposed", "stay.checkin_due")).get(1);
      assertEquals(matchId, due.get("data").get("matchId").asText());
      assertEquals(1, due.get("data").get("checkIn").asInt());
      JsonNode queue = Json.parse(call("GET", "/partner/queue", p.key, null).body());
      assertEquals(matchId, queue.get("checkInsDue").get(0).get("matchId").asText(), queue.toString());

      HttpResponse<String> noKey = call("POST", "/partner/matches/" + matchId + "/checkin", p.key, "{\"reason\":\"ok\"}");
      assertEquals(400, noKey.statusCode(), "a check-in is retried with its Idempotency-Key");
      assertEquals(200, checkIn(p, matchId, "visit-1", "{\"reason\":\"ok\"}").statusCode());
      assertEquals(200, checkIn(p, matchId, "visit-1", "{\"reason\":\"ok\"}").statusCode());
      assertEquals(1, Json.parse(call("GET", "/partner/cases/" + Json.parse(call("GET", "/partner/matches/" + matchId,
          p.key, null).body()).path("guestId").asText() + "/history", p.key, null).body()).path("events").findValues(
          "decision").stream().filter(d -> d.asText().equals("checkin")).count(), "the retry recorded nothing more");
      assertEquals(0, Json.parse(call("GET", "/partner/queue", p.key, null).body()).get("checkInsDue").size(),
          "recorded: no longer in the queue");
      HttpResponse<String> noSeverity = checkIn(p, matchId, "visit-2", "{\"reason\":\"incident_safety\"}");
      assertEquals(400, noSeverity.statusCode());
      assertEquals("severity", Json.parse(noSeverity.body()).get("errors").get(0).get("field").asText());
      HttpResponse<String> incident = checkIn(p, matchId, "visit-2",
          "{\"reason\":\"incident_safety\",\"severity\":\"high\",\"replace\":true,"
              + "\"text\":\"the host threatened the family\"}");
      assertEquals(200, incident.statusCode(), incident.body());
      JsonNode alert = awaitTypes(receiver, List.of("match.proposed", "stay.checkin_due", "case.alert")).get(2);
      assertEquals("incident", alert.get("data").get("alert").asText());
      assertEquals("safety", alert.get("data").get("category").asText());
      assertEquals("high", alert.get("data").get("severity").asText());
      assertTrue(alert.get("data").get("urgentReplacement").asBoolean());
      assertTrue(!alert.toString().contains("threatened"), "the words stay with the personal data");
      JsonNode match = Json.parse(call("GET", "/partner/matches/" + matchId, p.key, null).body());
      assertEquals("ended", match.path("status").asText(), match.toString());
      assertEquals("urgent_replacement", match.path("endReason").asText());
      String guestId = match.path("guestId").asText();
      String hostId = match.path("hostId").asText();
      assertEquals("open", Json.parse(call("GET", "/partner/cases/" + guestId, p.key, null).body()).path("status")
          .asText(), "the household is back in matching");
      assertEquals("screening", Json.parse(call("GET", "/partner/cases/" + hostId, p.key, null).body())
          .path("status").asText(), "the host is held from new matches until it is screened again");
      assertTrue(receiver.deliveries().stream().allMatch(WebhookReceiver.Delivery::verified));
    }
  }

  private static HttpResponse<String> checkIn(Partner p, String matchId, String key, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/partner/matches/" + matchId + "/checkin"))
        .header("Authorization", "Bearer " + p.key).header("content-type", "application/json")
        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A household and a host of the province matched, accepted and placed with these dates; the match's id. */
  private static String placedMatch(Partner p, WebhookReceiver receiver, String region, LocalDate moveIn,
      LocalDate agreedEnd, int nth) throws Exception {
    register("guests", guestBody(region));
    String hostId = register("hosts", hostBody(region));
    call("POST", "/partner/hosts/" + hostId + "/screening", p.key, "{\"decision\":\"approved\"}");
    await(() -> types(receiver).stream().filter("match.proposed"::equals).count() >= nth, Duration.ofSeconds(30));
    String matchId = receiver.deliveries().stream().filter(d -> d.answered() == 200).map(d -> Json.parse(d.body()))
        .filter(b -> b.get("type").asText().equals("match.proposed")
            && b.get("data").get("hostId").asText().equals(hostId))
        .findFirst().orElseThrow().get("data").get("matchId").asText();
    assertEquals(200, call("POST", "/partner/matches/" + matchId + "/review", p.key, "{\"decision\":\"accept\"}")
        .statusCode());
    assertEquals(200, call("POST", "/partner/matches/" + matchId + "/introduction", p.key, "{\"outcome\":\"go\"}")
        .statusCode());
    HttpResponse<String> placed = call("POST", "/partner/matches/" + matchId + "/placement", p.key,
        "{\"moveInDate\":\"" + moveIn + "\",\"agreedEndDate\":\"" + agreedEnd + "\"}");
    assertEquals(200, placed.statusCode(), placed.body());
    return matchId;
  }

  @Test
  void aHouseholdWithdrawsItselfWithItsStatusTokenAndItsOrganisationIsAlerted() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      onboard("Limburg Support", "[\"screening\",\"placement_review\",\"guest_support\"]", "PV31", receiver,
          "[\"case.alert\"]");
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/guests"))
          .header(FormTicket.HEADER, FormTicket.fetch(http, base)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(guestBody("PV31"))).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode registered = Json.parse(r.body());
      String id = registered.get("id").asText();
      String token = registered.get("statusToken").asText();
      String path = "/registrations/" + id + "/withdraw?token=";

      assertEquals(404, call("POST", path + "not-the-token", "-", "{\"reason\":\"found_own_place\"}").statusCode(),
          "a wrong token is an unknown id");
      HttpResponse<String> notOurs = call("POST", path + token, "-", "{\"reason\":\"unreachable\"}");
      assertEquals(400, notOurs.statusCode(), "an organisation's reason is not the registrant's to give");
      assertEquals("reason", Json.parse(notOurs.body()).get("errors").get(0).get("field").asText());
      HttpResponse<String> words = call("POST", path + token, "-",
          "{\"reason\":\"found_own_place\",\"text\":\"we moved to my sister\"}");
      assertEquals("text", Json.parse(words.body()).get("errors").get(0).get("field").asText(), "no words: a code");

      HttpResponse<String> withdrawn = call("POST", path + token, "-", "{\"reason\":\"found_own_place\"}");
      assertEquals(200, withdrawn.statusCode(), withdrawn.body());
      assertEquals("withdrawn", Json.parse(withdrawn.body()).get("status").asText());
      assertEquals(200, call("POST", path + token, "-", "{\"reason\":\"found_own_place\"}").statusCode(),
          "asked again: the same answer");
      JsonNode alert = awaitTypes(receiver, List.of("case.alert")).get(0);
      assertEquals("withdrawn", alert.get("data").get("alert").asText());
      assertEquals(id, alert.get("data").get("caseId").asText());
      JsonNode status = Json.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/" + id
          + "?token=" + token)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
      assertEquals("withdrawn", status.get("status").asText());
    }
  }

  /** A household's own page names the organisation that helps it, with the public contact operators set for it. */
  @Test
  void aHouseholdSeesTheOrganisationThatHelpsItOnItsOwnPage() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Partner p = onboard("Groningen Welkom", "[\"screening\",\"placement_review\",\"guest_support\"]", "PV20",
          receiver, "[\"case.alert\"]");
      HttpResponse<String> contact = call("PUT", "/admin/partners/" + p.id() + "/contact", ADMIN,
          "{\"phone\":\"073 123 4567\",\"website\":\"https://welkom.example/groningen\"}");
      assertEquals(200, contact.statusCode(), contact.body());
      assertEquals(400, call("PUT", "/admin/partners/" + p.id() + "/contact", ADMIN, "{\"website\":\"http://x\"}")
          .statusCode(), "a public website is https");
      String email = "olena." + UUID.randomUUID() + "@example.org";
      JsonNode registered = Json.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/guests"))
          .header(FormTicket.HEADER, FormTicket.fetch(http, base)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(LocalRuntimeEndToEndTest.guestBody("PV20")
              .replaceFirst("\"email\":\"[^\"]+\"", "\"email\":\"" + email + "\""))).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      String id = registered.get("id").asText();
      String page = "/registrations/" + id + "?token=" + registered.get("statusToken").asText();
      JsonNode status = Json.parse(http.send(HttpRequest.newBuilder(URI.create(base + page)).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertEquals("Groningen Welkom", status.path("organisation").path("name").asText(), status.toString());
      assertEquals("+31731234567", status.path("organisation").path("phone").asText());
      assertEquals("https://welkom.example/groningen", status.path("organisation").path("website").asText());
      assertTrue(!status.toString().contains(p.id()) && !status.toString().contains(p.key()),
          "the organisation as the public sees it: no id, no key");
    }
  }

  /**
   * A household corrects its contact and its date from its own page, with the registration's checks: on record for
   * its organisation, the duplicate check following the new contact and letting go of the old one.
   */
  @Test
  void aHouseholdCorrectsItsContactAndDateOnItsOwnPage() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Partner p = onboard("Drenthe Welkom", "[\"placement_review\",\"guest_support\"]", "PV22", receiver,
          "[\"case.alert\"]");
      String email = "olena." + UUID.randomUUID() + "@example.org";
      JsonNode registered = Json.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/guests"))
          .header(FormTicket.HEADER, FormTicket.fetch(http, base)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(withContact(LocalRuntimeEndToEndTest.guestBody("PV22"),
              "\"email\":\"" + email + "\""))).build(), HttpResponse.BodyHandlers.ofString()).body());
      String id = registered.get("id").asText();
      String details = "/registrations/" + id + "/details?token=" + registered.get("statusToken").asText();

      HttpResponse<String> bad = call("POST", details, "-", "{\"contact\":{\"name\":\"Olena\",\"email\":\"nope\"},"
          + "\"neededFrom\":\"2001-01-01\"}");
      assertEquals(400, bad.statusCode(), bad.body());
      assertEquals(java.util.Set.of("contact.email", "neededFrom"), ids(Json.parse(bad.body()).get("errors")
          .findValues("field")));
      assertEquals(400, call("POST", details, "-", "{}").statusCode(), "nothing to correct");
      assertEquals(404, call("POST", "/registrations/" + id + "/details?token=wrong", "-", "{\"neededFrom\":\""
          + LocalDate.now() + "\"}").statusCode(), "a wrong token is an unknown id");
      String phone = "+316" + String.format("%08d", Math.floorMod(UUID.randomUUID().getMostSignificantBits(),
          100_000_000L));
      String later = LocalDate.now(java.time.ZoneOffset.UTC).plusDays(10).toString();
      String correction = "{\"contact\":{\"name\":\"Olena K.\",\"email\":\"" + email + "\",\"phone\":\"" + phone
          + "\"},\"neededFrom\":\"" + later + "\"}";
      HttpResponse<String> corrected = call("POST", details, "-", correction);
      assertEquals(200, corrected.statusCode(), corrected.body());
      assertEquals(List.of("contact", "neededFrom"), texts(Json.parse(corrected.body()).get("corrected")));
      assertEquals(List.of(), texts(Json.parse(call("POST", details, "-", correction).body()).path("corrected")),
          "sent twice: nothing more");

      JsonNode seen = Json.parse(call("GET", "/partner/cases/" + id, p.key(), null).body());
      assertTrue(seen.toString().contains(phone) && seen.toString().contains(later), seen.toString());
      JsonNode history = Json.parse(call("GET", "/partner/cases/" + id + "/history", p.key(), null).body());
      assertTrue(history.get("events").findValuesAsText("reason").contains("contact_and_dates"), history.toString());
      // The duplicate check follows the corrected contact: the phone is this household's now ...
      String second = register("guests", withContact(LocalRuntimeEndToEndTest.guestBody("PV22"),
          "\"phone\":\"" + phone + "\""));
      assertEquals("on_hold", Json.parse(call("GET", "/partner/cases/" + second, p.key(), null).body()).path("status")
          .asText(), "a second registration with the corrected phone is held as a possible duplicate");
      // ... and an email it gave up is nobody's: a new registration with it is an ordinary one.
      assertEquals(200, call("POST", details, "-", "{\"contact\":{\"name\":\"Olena K.\",\"phone\":\"" + phone
          + "\"}}").statusCode());
      String third = register("guests", withContact(LocalRuntimeEndToEndTest.guestBody("PV22"),
          "\"email\":\"" + email + "\""));
      assertEquals("open", Json.parse(call("GET", "/partner/cases/" + third, p.key(), null).body()).path("status")
          .asText());
    }
  }

  /** The body with its contact's email replaced by these fields (an email, a phone). */
  private static String withContact(String body, String fields) {
    return body.replaceFirst("\"email\":\"[^\"]+\"", fields);
  }

  @Test
  void everyWithdrawalAlertsTheOrganisationsOnTheCaseAndAProposalsReviewers() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Partner p = onboard("Noord-Holland Team", "[\"screening\",\"placement_review\",\"guest_support\"]", "PV27",
          receiver, "[\"match.proposed\",\"case.alert\"]");
      // An open household withdraws: its organisation is alerted, though no match was involved.
      String early = register("guests", guestBody("PV27"));
      assertEquals(200, call("POST", "/partner/cases/" + early + "/withdraw", p.key,
          "{\"reason\":\"found_own_place\"}").statusCode());
      JsonNode first = awaitTypes(receiver, List.of("case.alert")).get(0);
      assertEquals("withdrawn", first.get("data").get("alert").asText());
      assertEquals("found_own_place", first.get("data").get("reason").asText());
      assertTrue(first.get("data").get("matchId") == null);

      // A host withdraws from a proposal: the proposal is cancelled, the household goes back, both told.
      String guestId = register("guests", guestBody("PV27"));
      String hostId = register("hosts", hostBody("PV27"));
      call("POST", "/partner/hosts/" + hostId + "/screening", p.key, "{\"decision\":\"approved\"}");
      String matchId = awaitTypes(receiver, List.of("case.alert", "match.proposed")).get(1).get("data").get("matchId")
          .asText();
      assertEquals(200, call("POST", "/partner/cases/" + hostId + "/withdraw", p.key,
          "{\"reason\":\"no_longer_available\"}").statusCode());
      JsonNode alert = awaitTypes(receiver, List.of("case.alert", "match.proposed", "case.alert")).get(2);
      assertEquals("withdrawn_during_proposal", alert.get("data").get("alert").asText());
      assertEquals(matchId, alert.get("data").get("matchId").asText());
      assertEquals("cancelled", alert.get("data").get("matchStatus").asText());
      JsonNode guest = Json.parse(call("GET", "/partner/cases/" + guestId, p.key, null).body());
      assertEquals("open", guest.path("status").asText(), "the household is back in the pool: " + guest);
    }
  }

  @Test
  void aDisabledOrganisationIsToldNothingAndItsKeyIsRefusedUntilItIsEnabled() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Partner p = onboard("Utrecht Leaving", "[\"screening\"]", "PV26", receiver, "[\"host.screening_requested\"]");
      register("hosts", hostBody("PV26"));
      awaitTypes(receiver, List.of("host.screening_requested"));
      assertEquals(200, call("POST", "/admin/partners/" + p.id + "/disable", ADMIN, "{\"reason\":\"under_review\"}")
          .statusCode());
      assertEquals(403, call("GET", "/partner/me", p.key, null).statusCode(), "its key stops at once");
      register("hosts", hostBody("PV26"));
      Thread.sleep(2_000);
      assertEquals(1, receiver.deliveries().size(), "a disabled organisation is told nothing");
      HttpResponse<String> delete = call("DELETE", "/admin/partners/" + p.id, ADMIN, null);
      assertEquals(409, delete.statusCode());
      assertEquals("holds_cases", Json.parse(delete.body()).get("code").asText(), "it still holds the host it was given");
      assertEquals(200, call("POST", "/admin/partners/" + p.id + "/enable", ADMIN, null).statusCode());
      assertEquals(200, call("GET", "/partner/me", p.key, null).statusCode());
    }
  }

  @Test
  void aBurstAnOperatorHoldsIsProposedToNoHostUntilReleased() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Partner p = onboard("Overijssel Team", "[\"screening\",\"placement_review\"]", "PV23", receiver,
          "[\"match.proposed\"]");
      java.time.Instant from = java.time.Instant.now();
      String first = register("guests", guestBody("PV23"));
      String second = register("guests", guestBody("PV23"));
      String until = java.time.Instant.now().plusMillis(1).toString();
      String window = "\"registeredFrom\":\"" + from + "\",\"registeredUntil\":\"" + until
          + "\",\"kind\":\"guest\",\"region\":\"PV23\"";

      // Bad requests name their field; nothing is held by them.
      JsonNode missing = Json.parse(call("POST", "/admin/quarantine", ADMIN, "{\"registeredUntil\":\"" + until
          + "\"}").body());
      assertEquals("registeredFrom", missing.get("errors").get(0).get("field").asText());
      HttpResponse<String> tooLong = call("POST", "/admin/quarantine", ADMIN, "{\"registeredFrom\":\"2026-01-01T00:00:00Z\","
          + "\"registeredUntil\":\"2026-02-01T00:00:00Z\",\"region\":\"PV99\"}");
      assertEquals(400, tooLong.statusCode());
      assertEquals(List.of("registeredUntil", "region"), fields(tooLong));

      JsonNode dry = Json.parse(call("POST", "/admin/quarantine", ADMIN, "{" + window + ",\"dryRun\":true}").body());
      assertEquals(2, dry.get("wouldHold").asInt(), dry.toString());
      JsonNode held = Json.parse(call("POST", "/admin/quarantine", ADMIN, "{" + window + "}").body());
      assertEquals(2, held.get("held").asInt(), held.toString());
      assertTrue(held.get("complete").asBoolean());
      assertEquals(java.util.Set.of(first, second), ids(held.get("caseIds")));
      JsonNode again = Json.parse(call("POST", "/admin/quarantine", ADMIN, "{" + window + "}").body());
      assertEquals(0, again.get("held").asInt(), "held already: the same request again changes nothing");
      JsonNode listed = Json.parse(call("GET", "/admin/quarantine?region=PV23", ADMIN, null).body());
      assertEquals(2, listed.get("byReason").get("operator_burst").asInt(), listed.toString());
      assertEquals(java.util.Set.of(first, second), ids(listed.get("cases").findValues("caseId")));

      // An approved host is proposed neither household while they are held ...
      String hostId = register("hosts", hostBody("PV23"));
      assertEquals(200, call("POST", "/partner/hosts/" + hostId + "/screening", p.key,
          "{\"decision\":\"approved\"}").statusCode());
      Thread.sleep(2_000);
      assertEquals(List.of(), types(receiver), "a held household is proposed to no host");
      // ... and is, once the operator releases it: the release starts a matching run of its own.
      JsonNode released = Json.parse(call("POST", "/admin/quarantine/release", ADMIN,
          "{\"caseIds\":[\"" + second + "\",\"G-0000000000000000\"]}").body());
      assertEquals(1, released.get("released").asInt(), released.toString());
      assertEquals(1, released.get("skipped").get("not_found").asInt());
      JsonNode proposed = awaitTypes(receiver, List.of("match.proposed")).get(0);
      assertEquals(second, proposed.get("data").get("guestId").asText());
      List<String> history = new java.util.ArrayList<>();
      Json.parse(call("GET", "/admin/cases/" + second + "/export", ADMIN, null).body()).get("history")
          .forEach(e -> history.add(e.path("eventType").asText()));
      assertEquals(List.of("registered", "quarantined", "released"), history.subList(0, 3), "each on the record");
      JsonNode rest = Json.parse(call("GET", "/admin/quarantine?region=PV23&kind=guest", ADMIN, null).body());
      assertEquals(java.util.Set.of(first), ids(rest.get("cases").findValues("caseId")));
    }
  }

  @Test
  void aRegistrationThatFilledTheHiddenFieldReachesNobodyUntilReleased() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      onboard("Gelderland Screening", "[\"screening\"]", "PV25", receiver,
          "[\"host.screening_requested\",\"case.assigned\"]");
      java.time.Instant from = java.time.Instant.now();
      String bot = register("hosts", hostBody("PV25").replaceFirst("\\{", "{\"website\":\"http://spam.example\","));
      String real = register("hosts", hostBody("PV25"));
      JsonNode told = awaitTypes(receiver, List.of("case.assigned", "host.screening_requested")).stream()
          .filter(b -> b.get("type").asText().equals("host.screening_requested")).findFirst().orElseThrow();
      assertEquals(real, told.get("data").get("hostId").asText());
      Thread.sleep(1_000);
      assertEquals(2, types(receiver).size(), "the held registration was told to nobody");
      JsonNode listed = Json.parse(call("GET", "/admin/quarantine?region=PV25&kind=host", ADMIN, null).body());
      assertEquals(1, listed.get("byReason").get("form_honeypot").asInt(), listed.toString());
      assertEquals(bot, listed.get("cases").get(0).get("caseId").asText());

      JsonNode released = Json.parse(call("POST", "/admin/quarantine/release", ADMIN, "{\"registeredFrom\":\"" + from
          + "\",\"registeredUntil\":\"" + java.time.Instant.now() + "\",\"reason\":\"form_honeypot\"}").body());
      assertEquals(1, released.get("released").asInt(), released.toString());
      List<JsonNode> all = awaitTypes(receiver, List.of("case.assigned", "host.screening_requested", "case.assigned",
          "host.screening_requested"));
      JsonNode late = all.stream().filter(b -> b.get("type").asText().equals("case.assigned")
          && b.get("data").get("caseId").asText().equals(bot)).findFirst().orElseThrow();
      assertEquals("release", late.get("data").get("how").asText());
      assertTrue(all.stream().anyMatch(b -> b.get("type").asText().equals("host.screening_requested")
          && b.get("data").get("hostId").asText().equals(bot)), "told once released, as at registration");
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static java.util.Set<String> ids(Iterable<JsonNode> values) {
    java.util.Set<String> out = new java.util.HashSet<>();
    values.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static List<String> fields(HttpResponse<String> r) {
    List<String> out = new java.util.ArrayList<>();
    Json.parse(r.body()).get("errors").forEach(e -> out.add(e.get("field").asText()));
    return out;
  }

  // ------------------------------------------------------------------ helpers

  private record Partner(String id, String key, String endpointId) {}

  private static Partner onboard(String name, String roles, String region, WebhookReceiver receiver, String events)
      throws Exception {
    HttpResponse<String> created = call("POST", "/admin/partners", ADMIN,
        "{\"name\":\"" + name + "\",\"roles\":" + roles + ",\"regions\":[\"" + region + "\"]}");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode partner = Json.parse(created.body());
    HttpResponse<String> endpoint = call("POST", "/admin/partners/" + partner.get("partnerId").asText() + "/endpoints",
        ADMIN, "{\"url\":\"" + receiver.url() + "\",\"events\":" + events + "}");
    assertEquals(201, endpoint.statusCode(), endpoint.body());
    receiver.secret(Json.parse(endpoint.body()).get("secret").asText());
    onboardedKey = partner.get("apiKey").asText();
    return new Partner(partner.get("partnerId").asText(), partner.get("apiKey").asText(),
        Json.parse(endpoint.body()).get("endpointId").asText());
  }

  private static boolean endpointDisabled(Partner p) {
    try {
      JsonNode all = Json.parse(call("GET", "/admin/partners", ADMIN, null).body()).get("partners");
      for (JsonNode partner : all) {
        if (partner.get("partnerId").asText().equals(p.id)) {
          return partner.get("endpoints").get(0).get("disabled").asBoolean();
        }
      }
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Message> awaitDeadLetters(int count) throws Exception {
    String dlq = runtime.queueUrl("WebhookDeadLetterQueue");
    java.util.List<Message> seen = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (seen.size() < count && System.nanoTime() < deadline) {
      seen.addAll(runtime.sqsClient().receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageAttributeNames("All")).messages());
    }
    assertEquals(count, seen.size(), "parked webhooks");
    return seen;
  }

  private static List<String> types(WebhookReceiver r) {
    return r.deliveries().stream().filter(d -> d.answered() == 200)
        .map(d -> Json.parse(d.body()).get("type").asText()).toList();
  }

  /**
   * Waits until the receiver has taken exactly these types (in any order: deliveries run in parallel,
   * and Standard Webhooks promises no order; receivers order by the payload's timestamp) and returns
   * the bodies, ordered by that timestamp.
   */
  private static List<JsonNode> awaitTypes(WebhookReceiver r, List<String> types) throws Exception {
    await(() -> types(r).size() >= types.size(), Duration.ofSeconds(30));
    assertEquals(types.stream().sorted().toList(), types(r).stream().sorted().toList());
    return r.deliveries().stream().filter(d -> d.answered() == 200).map(d -> Json.parse(d.body()))
        .sorted(java.util.Comparator.comparing(b -> java.time.Instant.parse(b.get("timestamp").asText()))).toList();
  }

  private static double metricSum(JsonNode ops, String name, String outcome) {
    double sum = 0;
    for (JsonNode m : ops.get("metrics")) {
      if (m.get("name").asText().equals(name)
          && (outcome == null || outcome.equals(m.get("dimensions").path("Outcome").asText()))) {
        sum += m.get("sum").asDouble();
      }
    }
    return sum;
  }

  private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(50);
    }
  }

  private static String register(String kind, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/" + kind))
        .header(FormTicket.HEADER, FormTicket.fetch(http, base))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return Json.parse(r.body()).get("id").asText();
  }

  private static HttpResponse<String> call(String method, String path, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer);
    if (body != null) {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String guestBody(String region) {
    return LocalRuntimeEndToEndTest.guestBody(region).replace("olena.", "olena." + UUID.randomUUID() + ".");
  }

  private static String hostBody(String region) {
    return LocalRuntimeEndToEndTest.hostBody(region);
  }
}
