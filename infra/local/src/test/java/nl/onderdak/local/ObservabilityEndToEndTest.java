package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import nl.onderdak.core.SampleBodies;
import nl.onderdak.core.json.Json;
import nl.onderdak.function.Emf;
import nl.onderdak.function.Metric;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Observability, proven on the whole chain: every function of the template runs (demo data through the
 * API, plus the routes and schedules the demo does not touch), and everything they print is checked:
 * never personal data, EMF that is valid and names only catalogued metrics, every catalogued metric
 * emitted, a correlation id that follows a case across functions, and figures on the operator page that
 * agree with the metrics and with what was done.
 */
class ObservabilityEndToEndTest {
  private static final String ADMIN = "observability-admin";
  // Personal data the test itself sends, besides the demo's (names, emails, streets): none may be logged.
  private static final String NAME = "Olena Testpersoon";
  private static final String EMAIL = "olena.testpersoon@example.org";
  private static final String PHONE = "06 9876 5432";
  private static final String STREET = "Testgracht";
  private static final String CITY = "Proefdorp";
  private static final String POSTCODE = "9999 ZZ";
  private static final String NOTES = "allergic to penicillin";
  private static final List<String> PERSONAL = List.of(NAME, EMAIL, "0698765432", "+31698765432", "698765432",
      STREET, CITY, POSTCODE, NOTES, "Demo household", "Demo host", "demo.example.org", "Demostraat");

  private static final List<String> lines = new CopyOnWriteArrayList<>();
  private static final Consumer<String> capture = lines::add;
  private static final ByteArrayOutputStream errors = new ByteArrayOutputStream();
  private static PrintStream originalErr;
  private static LocalRuntime runtime;
  private static HttpClient http;
  private static String base;
  private static DemoData.Summary demo;
  private static final List<String> secrets = new ArrayList<>();
  private static String testGuest;
  private static com.sun.net.httpserver.HttpServer receiver;

  @BeforeAll
  static void runEverything() throws Exception {
    originalErr = System.err;
    System.setErr(new PrintStream(new TeeStream(originalErr, errors), true, StandardCharsets.UTF_8));
    LogTap.add(capture);
    runtime = LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null, ADMIN)));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    base = "http://localhost:" + runtime.httpPort();

    demo = new DemoData(base, ADMIN, 7).load(40, 36);

    // A partner of our own in Zeeland, with an endpoint, before its household registers.
    JsonNode partner = Json.parse(send("POST", "/admin/partners", ADMIN, "application/json",
        "{\"name\":\"Zeeland Welcome\",\"roles\":[\"placement_review\",\"guest_support\"],\"regions\":[\"PV29\"]}", 201));
    String key = partner.get("apiKey").asText();
    secrets.add(key);
    // The demo's consortium supports Zeeland too: a routing rule gives Zeeland Welcome the province's households.
    ObjectNode routing = (ObjectNode) Json.parse(send("GET", "/admin/routing", ADMIN, null, null, 200));
    routing.remove("holders");
    for (String role : List.of("guest_support", "placement_review")) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) routing.get("rules")).addObject().put("programme", "host_family")
          .put("role", role).put("region", "PV29").put("partnerId", partner.get("partnerId").asText());
    }
    send("PUT", "/admin/routing", ADMIN, "application/json", Json.write(routing), 200);
    send("GET", "/admin/unassigned", ADMIN, null, null, 200);
    receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("localhost", 0), 8);
    receiver.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    send("POST", "/admin/partners/" + partner.get("partnerId").asText() + "/endpoints", ADMIN, "application/json",
        "{\"url\":\"http://localhost:" + receiver.getAddress().getPort() + "/hook\",\"events\":[\"match.proposed\"]}", 201);

    // The public routes with personal data of our own: a registration, its status (JSON and page), a refusal.
    ObjectNode guestBody = SampleBodies.household("PV29").put("neededFrom", LocalDate.now().plusDays(5).toString())
        .put("notes", NOTES);
    guestBody.putObject("contact").put("name", NAME).put("email", EMAIL).put("phone", PHONE);
    JsonNode guest = Json.parse(send("POST", "/registrations/guests", null, "application/json", Json.write(guestBody),
        201));
    testGuest = guest.get("id").asText();
    secrets.add(guest.get("statusToken").asText());
    send("GET", guest.get("statusUrl").asText(), null, null, null, 200);
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + guest.get("statusUrl").asText()))
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    // The household corrects its contact and date on its page: the words are personal data, the logs name fields.
    send("POST", guest.get("statusUrl").asText().replace("?token=", "/details?token="), null, "application/json",
        "{\"contact\":{\"name\":\"" + NAME + " K.\",\"email\":\"" + EMAIL + "\",\"phone\":\"" + PHONE + "\"},"
            + "\"neededFrom\":\"" + LocalDate.now().plusDays(6) + "\"}", 200);
    send("POST", "/registrations/guests", null, "application/json",
        "{\"contact\":{\"name\":\"" + NAME + "\",\"email\":\"not-an-email " + EMAIL + "\"},\"adults\":\"" + STREET + "\"}", 400);
    ObjectNode hostBody = SampleBodies.home("PV29", "GM0687").put("notes", NOTES)
        .put("availableUntil", LocalDate.now().plusMonths(4).toString());
    hostBody.putObject("contact").put("name", NAME + " host").put("phone", PHONE);
    hostBody.putObject("address").put("street", STREET).put("houseNumber", "7").put("postcode", POSTCODE)
        .put("city", CITY).put("municipality", "GM0687").put("province", "PV29");
    hostBody.putArray("languages").add("uk").add("nl");
    JsonNode host = Json.parse(send("POST", "/registrations/hosts", null, "application/json", Json.write(hostBody),
        201));
    send("GET", "/", null, null, null, 200);
    send("GET", "/assets/form.js", null, null, null, 200);

    // Operators: screening (a reason that names someone: free text must stay out of the logs), the regional
    // views, targets (a file refused, naming line and column).
    send("POST", "/admin/hosts/" + host.get("id").asText() + "/screening", ADMIN, "application/json",
        "{\"decision\":\"approved\",\"reason\":\"intake_completed\",\"text\":\"intake with " + NAME + " done\"}", 200);
    send("GET", "/admin/regions", ADMIN, null, null, 200);
    send("GET", "/admin/matching/PV27", ADMIN, null, null, 200);
    send("GET", "/admin/picture", ADMIN, null, null, 200);
    send("GET", "/admin/targets", ADMIN, null, null, 200);
    send("GET", "/admin/quarantine?region=PV27", ADMIN, null, null, 200);
    send("POST", "/admin/quarantine", ADMIN, "application/json", "{\"registeredFrom\":\"" + NAME + "\"}", 400);
    String refused = send("PUT", "/admin/targets", ADMIN, "text/csv", "region,year,homes\nPV99,2026,x\n", 400);
    assertTrue(refused.contains("lines[2].region") && refused.contains("lines[2].homes"), refused);

    // The partner is told of the proposal, lists its webhooks and replays one, reads the case, and the
    // household withdraws (a reason in its own words).
    JsonNode listed = awaitDelivered(key);
    send("POST", "/partner/webhooks/" + listed.get(0).get("webhookId").asText() + "/replay", key, "application/json", "{}", 202);
    send("GET", "/partner/cases/" + testGuest, key, null, null, 200);
    // A note in the organisation's own words, and the case's notes and history read back: text stays out of the logs.
    sendWithKey("/partner/cases/" + testGuest + "/notes", key, "{\"text\":\"Spoke to " + NAME + " on " + PHONE
        + "\"}", "note-" + testGuest);
    send("GET", "/partner/cases/" + testGuest + "/notes", key, null, null, 200);
    send("GET", "/partner/cases", key, null, null, 200);
    send("POST", "/partner/cases/" + testGuest + "/withdraw", key, "application/json",
        "{\"reason\":\"found_own_place\",\"text\":\"" + NAME + " found a place with family\"}", 200);
    // The person asks for what is held on them, then for its erasure: the export carries it all, no log line does.
    String export = send("GET", "/admin/cases/" + testGuest + "/export", ADMIN, null, null, 200);
    assertTrue(export.contains(EMAIL) && export.contains("found a place with family"), "the export holds it all");
    send("POST", "/admin/cases/" + testGuest + "/erasure", ADMIN, "application/json",
        "{\"reason\":\"subject_request\"}", 200);

    runtime.fireSchedule("ProposalExpiryFunction.Every5Minutes");
    runtime.fireSchedule("RegionSnapshotFunction.Every15Minutes");
    runtime.fireSchedule("StayWatchFunction.Hourly");
    awaitQuiet();
  }

  private static void sendWithKey(String path, String bearer, String body, String idempotencyKey) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + bearer).header("content-type", "application/json")
        .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
  }

  @AfterAll
  static void stop() {
    LogTap.remove(capture);
    if (receiver != null) {
      receiver.stop(0);
    }
    if (runtime != null) {
      runtime.close();
    }
    System.setErr(originalErr);
  }

  @Test
  void everyFunctionOfTheTemplateRan() {
    Set<String> idle = new TreeSet<>();
    runtime.invocations().forEach((name, count) -> {
      if (count == 0) {
        idle.add(name);
      }
    });
    assertEquals(Set.of(), idle, "functions this test never ran, so it proves nothing about their logs");
  }

  @Test
  void noPersonalDataOrSecretInAnyLogLine() {
    List<String> all = new ArrayList<>(lines);
    all.add(errors.toString(StandardCharsets.UTF_8));
    assertTrue(all.size() > 500, "expected the whole chain's log, got " + all.size() + " lines");
    List<String> leaks = new ArrayList<>();
    for (String line : all) {
      for (String personal : PERSONAL) {
        if (line.contains(personal)) {
          leaks.add(personal + " in: " + line.substring(0, Math.min(300, line.length())));
        }
      }
      for (String secret : secrets) {
        if (line.contains(secret)) {
          leaks.add("a secret in: " + line.substring(0, Math.min(300, line.length())));
        }
      }
    }
    assertEquals(List.of(), leaks);
  }

  @Test
  void everyMetricLineIsValidEmfOfTheCatalogue() throws Exception {
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(
        ObservabilityEndToEndTest.class.getResourceAsStream("/emf.schema.json"));
    Map<String, Metric> catalogue = new HashMap<>();
    for (Metric m : Metric.values()) {
      catalogue.put(m.metricName, m);
    }
    Set<String> seen = new HashSet<>();
    int emfLines = 0;
    for (String line : lines) {
      if (!line.contains("\"_aws\"")) {
        continue;
      }
      emfLines++;
      JsonNode root = Json.parse(line);
      Set<ValidationMessage> problems = schema.validate(root);
      assertTrue(problems.isEmpty(), problems + " in " + line);
      for (JsonNode directive : root.get("_aws").get("CloudWatchMetrics")) {
        assertEquals(Emf.NAMESPACE, directive.get("Namespace").asText());
        for (JsonNode set : directive.get("Dimensions")) {
          for (JsonNode dimension : set) {
            assertTrue(root.path(dimension.asText()).isTextual(), "dimension " + dimension + " missing in " + line);
          }
        }
        for (JsonNode metric : directive.get("Metrics")) {
          Metric known = catalogue.get(metric.get("Name").asText());
          if (known == null) {
            fail("not in the catalogue: " + metric + " in " + line);
          }
          assertTrue(root.get(known.metricName).isNumber(), "no value for " + known.metricName + " in " + line);
          assertEquals(known.unit.wire, metric.get("Unit").asText());
          List<String> dimensions = new ArrayList<>();
          directive.get("Dimensions").get(0).forEach(d -> dimensions.add(d.asText()));
          assertEquals(known.dimensions, dimensions, known.metricName);
          seen.add(known.metricName);
        }
      }
    }
    assertTrue(emfLines > 100, "expected many metric lines, got " + emfLines);
    Set<String> never = new TreeSet<>(catalogue.keySet());
    never.removeAll(seen);
    // A disabled endpoint needs a 410: WebhooksEndToEndTest proves that one is emitted (and the alarm fires).
    never.removeAll(Set.of(Metric.PARTNER_ENDPOINTS_DISABLED.metricName));
    assertEquals(Set.of(), never, "catalogued metrics no code path of this run emitted");
  }

  @Test
  void theCorrelationIdFollowsACaseAcrossFunctions() {
    String placed = null;
    for (String line : lines) {
      if (line.contains("\"message\":\"case event\"") && line.contains("\"toStatus\":\"placed\"")
          && line.contains("\"kind\":\"guest\"")) {
        placed = Json.parse(line).get("correlationId").asText();
        break;
      }
    }
    assertTrue(placed != null, "the demo placed nobody");
    Set<String> messages = new TreeSet<>();
    Set<String> statuses = new TreeSet<>();
    for (String line : lines) {
      if (line.startsWith("{") && line.contains(placed)) {
        JsonNode n = Json.parse(line);
        if (placed.equals(n.path("correlationId").asText())) {
          messages.add(n.path("message").asText());
          if (n.has("toStatus")) {
            statuses.add(n.get("toStatus").asText());
          }
        }
      }
    }
    // Registration function, case events reader, webhook deliverer: one id from registration to placement.
    assertTrue(messages.containsAll(Set.of("registration stored", "case event", "webhook attempt")), messages.toString());
    assertTrue(statuses.containsAll(Set.of("open", "proposed", "matched", "placed")), statuses.toString());
  }

  @Test
  void theOperatorPageAgreesWithWhatWasDoneAndWithTheMetrics() throws Exception {
    JsonNode ops = runtime.opsData();
    // The page draws the picture from the operators' route, as an operator reads it in AWS.
    JsonNode picture = Json.parse(send("GET", "/admin/picture", ADMIN, null, null, 200));
    JsonNode funnel = picture.get("funnel");
    assertEquals(demo.households() + 1, funnel.get("householdsRegistered").asLong());
    assertEquals(demo.hosts() + 1, funnel.get("hostsRegistered").asLong());
    assertEquals(demo.approved() + 1, funnel.get("hostsApproved").asLong());
    assertEquals(demo.placed(), funnel.get("placements").asLong());
    assertEquals(demo.placed() - demo.ended(), funnel.get("activePlacements").asLong());
    assertEquals(funnel.get("householdsRegistered").asDouble(), sum(ops, "Registrations", "Kind", "guest"));
    assertEquals(funnel.get("placements").asDouble(), sum(ops, "Placements", null, null));
    assertEquals(funnel.get("proposals").asDouble(), sum(ops, "Proposals", null, null));
    assertEquals((double) demo.declined(), sum(ops, "Declines", null, null));
    // Targets loaded by the demo, realised counted per province.
    long withTargets = 0;
    for (JsonNode p : picture.get("provinces")) {
      if (!p.get("targets").get("households").isNull()) {
        withTargets++;
      }
    }
    assertEquals(12, withTargets);
    Set<String> states = new TreeSet<>();
    ops.get("alarms").forEach(a -> states.add(a.get("name").asText() + "=" + a.get("state").asText()));
    templateAlarms().forEach(a -> assertTrue(states.contains(a + "=OK"), states.toString()));
    // The chain as the operators' route gives it: the consortium's organisations, and no case unassigned.
    JsonNode chain = Json.parse(send("GET", "/admin/chain", ADMIN, null, null, 200));
    assertEquals(0, chain.get("unassigned").asLong());
    long held = 0;
    for (JsonNode o : chain.get("organisations")) {
      held += o.get("held").asLong();
    }
    assertTrue(held >= demo.households(), "the organisations hold the open cases: " + chain);
  }

  private static Set<String> templateAlarms() {
    Set<String> alarms = new TreeSet<>();
    SamTemplate.load(SamTemplate.locateFile()).resourcesOfType("AWS::CloudWatch::Alarm")
        .forEach(r -> alarms.add(r.logicalId()));
    return alarms;
  }

  @Test
  void everyAlarmOfTheTemplateIsEvaluatedLocallyAndWatchesSomethingEmitted() {
    SamTemplate template = SamTemplate.load(SamTemplate.locateFile());
    template.resourcesOfType("AWS::CloudWatch::Alarm").forEach(r -> {
      Object namespace = r.properties().get("Namespace");
      if (Emf.NAMESPACE.equals(namespace)) {
        String name = r.properties().get("MetricName").toString();
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"_aws\"") && l.contains("\"Name\":\"" + name + "\""))
            || name.equals(Metric.PARTNER_ENDPOINTS_DISABLED.metricName), name + " is never emitted");
      }
    });
    // Each one evaluated on data: the metrics AWS publishes itself are put locally too, so none lacks data.
    Set<String> evaluated = new TreeSet<>();
    runtime.opsData().get("alarms").forEach(a -> {
      evaluated.add(a.get("name").asText());
      assertTrue(a.get("reason").asText().startsWith("latest ")
          || a.get("name").asText().equals("PartnerEndpointDisabledAlarm"), a.toString());
    });
    assertEquals(templateAlarms(), evaluated);
  }

  private static double sum(JsonNode ops, String metric, String dimension, String value) {
    double total = 0;
    for (JsonNode m : ops.get("metrics")) {
      if (m.get("name").asText().equals(metric)
          && (dimension == null || value.equals(m.get("dimensions").path(dimension).asText()))) {
        total += m.get("sum").asDouble();
      }
    }
    return total;
  }

  private static JsonNode awaitDelivered(String key) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode listed = Json.parse(send("GET", "/partner/webhooks", key, null, null, 200)).get("webhooks");
      if (listed.size() > 0 && "delivered".equals(listed.get(0).path("state").asText())) {
        return listed;
      }
      Thread.sleep(200);
    }
    fail("no webhook reached the test partner");
    return null;
  }

  private static void awaitQuiet() throws Exception {
    long last = -1;
    for (int i = 0; i < 100; i++) {
      long now = runtime.invocations().values().stream().mapToLong(Long::longValue).sum();
      if (now == last) {
        return;
      }
      last = now;
      Thread.sleep(1500);
    }
  }

  private static String send(String method, String path, String bearer, String contentType, String body, int expected)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (contentType != null) {
      request.header("content-type", contentType);
    }
    if ("POST".equals(method) && path.startsWith("/registrations/")) {
      request.header(FormTicket.HEADER, FormTicket.fetch(http, base));
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
    assertFalse(response.body() == null);
    return response.body();
  }

  /** Writes to two streams: the terminal still shows standard error, the test reads it too. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
