package nl.onderdak.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.DynamoWebhookLog;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.infra.template.SamTemplate;
import nl.onderdak.local.LocalRuntime;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cold start, per function: a fresh JVM per run that constructs the function's handler as Lambda's Java runtime
 * would and serves its first real event, against DynamoDB Local and the local queues (the local runtime, started
 * here, gives each function its template environment and holds the data the events are about). Each round starts
 * a hello-world JVM too, with the same options, so that every figure is also given as a ratio to it: the machine's
 * speed divides out. Prints, per function, the medians over the rounds of
 *
 * <ul>
 *   <li><b>init</b>: loading the handler class and running its constructor (what SnapStart snapshots);
 *   <li><b>first</b>: serving the first event (what a restored snapshot still pays without priming);
 *   <li><b>total</b>: the child process from spawn to exit, JVM start included;
 * </ul>
 *
 * and the jar's size and the classes loaded. Each child runs the function's jar ({@code CodeUri/target/function.jar})
 * with Lambda's JVM options for the runtime ({@code -XX:+UseSerialGC -Xshare:auto}, the heap from the memory size,
 * and the template's {@code JAVA_TOOL_OPTIONS}); events are read with Lambda's own event serialization.
 *
 * <pre>mvn -q -B -DskipTests package &amp;&amp; java -cp infra/bench/target/onderdak-bench.jar nl.onderdak.bench.ColdStart [rounds 5]</pre>
 *
 * <p>Run it from the repository's root. It uses only the template, the handlers' public no-argument constructors and
 * their HTTP routes, so the same class measures an older build (point {@code -Dcoldstart.root} at its checkout).
 */
public final class ColdStart {
  private static final String ADMIN = "cold-start-bench";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ColdStart() {}

  /** What one function is sent: its event class, and the event of round {@code i}. */
  private record Scenario(String eventClass, Function<Integer, ObjectNode> event) {}

  /** One child's figures. */
  private record Run(double init, double prime, double first, double second, double total, int classes,
      String answer) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path root = Path.of(System.getProperty("coldstart.root", "."));
    Path template = root.resolve("template.yaml");
    SamTemplate sam = SamTemplate.load(template);
    Path work = Files.createTempDirectory("coldstart");
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Config(template, freePort(), freePort(), null, ADMIN)
        .withParameter("FormMinFillSeconds", "0"));
    try {
      String base = "http://localhost:" + runtime.httpPort();
      Seed seed = seed(base, 2 * rounds, "http://localhost:" + receiver.getAddress().getPort() + "/hook", runtime);
      Map<String, Scenario> scenarios = scenarios(seed, runtime);
      Path probe = probeClasses();
      // Lambda's event serialization, and the Joda-Time its stream-event reader asks the function's class loader for.
      String serialization = jarOf(com.amazonaws.services.lambda.runtime.serialization.PojoSerializer.class)
          + File.pathSeparator + jarOf(org.joda.time.DateTime.class);
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      Map<String, List<Run>> primed = new LinkedHashMap<>();
      List<Double> hello = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        hello.add(hello(probe, sam));
        for (SamTemplate.Function fn : sam.functions()) {
          Scenario s = scenarios.get(fn.logicalId());
          if (s == null) {
            throw new IllegalStateException(fn.logicalId() + ": no cold-start scenario (add one to ColdStart)");
          }
          for (boolean prime : primes(root, fn)) {
            // Each round and mode its own household and host: no first event repeats an earlier one.
            int index = prime ? rounds + round : round;
            Path event = work.resolve(fn.logicalId() + "-" + index + ".json");
            Files.writeString(event, Json.write(s.event().apply(index)));
            Run r = child(fn, root, probe, serialization, s.eventClass(), event, runtime.environment(fn.logicalId()),
                prime);
            (prime ? primed : runs).computeIfAbsent(fn.logicalId(), k -> new ArrayList<>()).add(r);
            System.err.printf("round %d %-28s %s init %7.1f ms  prime %6.1f ms  first %7.1f ms  total %7.1f ms  %s%n",
                round + 1, fn.logicalId(), prime ? "primed  " : "unprimed", r.init(), r.prime(), r.first(), r.total(),
                r.answer());
          }
        }
      }
      report(sam, root, runs, primed, hello, rounds);
    } finally {
      runtime.close();
      receiver.stop(0);
    }
    Runtime.getRuntime().halt(0);
  }

  // --- the data the events are about ------------------------------------------------------------------------------

  /** One organisation holding every role in Utrecht (so it is responsible for everything there), and per round a
   * household and a host of its own, so that no round's first event is a repeat of another's. */
  private record Seed(String partnerId, String apiKey, List<String> guests, List<String> guestTokens,
      List<String> hosts, List<String> webhookMessages, List<String> formTickets) {}

  private static Seed seed(String base, int rounds, String hook, LocalRuntime runtime) throws Exception {
    JsonNode partner = Json.parse(send("POST", base + "/admin/partners", ADMIN, """
        {"name":"Cold start","roles":["screening","guest_support","placement_review","care_provider",
         "housing_provider"],"regions":["PV26"]}"""));
    String partnerId = partner.get("partnerId").asText();
    send("POST", base + "/admin/partners/" + partnerId + "/endpoints", ADMIN,
        "{\"url\":\"" + hook + "\",\"events\":[\"case.assigned\",\"host.screening_requested\"]}");
    List<String> guests = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      JsonNode g = Json.parse(send("POST", base + "/registrations/guests", null, guestBody()));
      guests.add(g.get("id").asText());
      tokens.add(g.get("statusToken").asText());
      hosts.add(Json.parse(send("POST", base + "/registrations/hosts", null, hostBody())).get("id").asText());
    }
    // The public form's tickets for the registrations the rounds time: one for a household, one for a host, each.
    List<String> formTickets = new ArrayList<>();
    for (int i = 0; i < 2 * rounds; i++) {
      formTickets.add(Json.parse(send("POST", base + "/registrations/tickets", null, "")).get("ticket").asText());
    }
    Thread.sleep(3000); // the stream functions' own work on the seed settles before anything is timed
    WebhookLog log = new DynamoWebhookLog(runtime.dynamoDb().client(), runtime.environment("PartnerApiFunction")
        .get(Tables.PARTNERS));
    List<String> messages = log.recent(partnerId, 100).stream().map(WebhookLog.Entry::message).toList();
    if (messages.isEmpty()) {
      throw new IllegalStateException("the seed made no webhook to deliver");
    }
    return new Seed(partnerId, partner.get("apiKey").asText(), guests, tokens, hosts, messages, formTickets);
  }

  private static String guestBody() {
    return """
        {"contact":{"name":"Cold start","email":"cold.%s@example.org"},"preferredLanguage":"uk","adults":2,
         "children":[{"age":6}],"stepFreeAccessNeeded":false,"languages":["uk","en"],"smoker":false,
         "preferredRegions":["PV26"],"acceptsOtherRegions":false,"neededFrom":"%s","consentToShare":true}
        """.formatted(UUID.randomUUID(), LocalDate.now().plusDays(7));
  }

  private static String hostBody() {
    return """
        {"contact":{"name":"Cold start","email":"host.%s@example.org"},"preferredLanguage":"nl",
         "address":{"street":"Oudegracht","houseNumber":"12","postcode":"3511 AB","city":"Utrecht","province":"PV26"},
         "beds":2,"rooms":1,"separateRoom":true,"childrenWelcome":true,"petsWelcome":true,"stepFreeAccess":true,
         "smokingInHome":false,"languages":["nl","en"],"availableFrom":"%s","availableUntil":"%s","consentToShare":true}
        """.formatted(UUID.randomUUID(), LocalDate.now(), LocalDate.now().plusMonths(3));
  }

  // --- the events, in the shapes AWS sends -------------------------------------------------------------------------

  private static Map<String, Scenario> scenarios(Seed seed, LocalRuntime runtime) {
    String http = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";
    String stream = "com.amazonaws.services.lambda.runtime.events.DynamodbEvent";
    Map<String, Scenario> s = new LinkedHashMap<>();
    s.put("RegisterGuestFunction", new Scenario(http, i -> withTicket(api("POST", "/registrations/guests", Map.of(),
        Map.of(), guestBody(), null, null), seed.formTickets().get(2 * i))));
    s.put("RegisterHostFunction", new Scenario(http, i -> withTicket(api("POST", "/registrations/hosts", Map.of(),
        Map.of(), hostBody(), null, null), seed.formTickets().get(2 * i + 1))));
    s.put("FormTicketFunction", new Scenario(http, i -> api("POST", "/registrations/tickets", Map.of(), Map.of(),
        null, null, null)));
    s.put("RegistrationStatusFunction", new Scenario(http, i -> api("GET", "/registrations/{id}",
        Map.of("id", seed.guests().get(i)), Map.of("token", seed.guestTokens().get(i)), null, null, null)));
    // A correction that changes nothing (the same date again): the whole path, with no write.
    s.put("RegistrationDetailsFunction", new Scenario(http, i -> api("POST", "/registrations/{id}/details",
        Map.of("id", seed.guests().get(i)), Map.of("token", seed.guestTokens().get(i)),
        "{\"neededFrom\":\"" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "\"}", null, null)));
    s.put("CaseEventsFunction", new Scenario(stream, i -> streamEvent(runtime, seed.guests().get(i))));
    s.put("MatchingFunction", new Scenario(stream, i -> streamEvent(runtime, seed.guests().get(i))));
    s.put("WebhookDeliveryFunction", new Scenario("com.amazonaws.services.lambda.runtime.events.SQSEvent",
        i -> sqsEvent(seed.webhookMessages().get(i % seed.webhookMessages().size()))));
    s.put("PartnerWebhooksFunction", new Scenario(http, i -> api("GET", "/partner/webhooks", Map.of(), Map.of(),
        null, seed.partnerId(), null)));
    s.put("RegionTallyQueryFunction", new Scenario(http, i -> api("GET", "/admin/regions", Map.of(), Map.of(), null,
        null, "operator")));
    s.put("MatchingQueryFunction", new Scenario(http, i -> api("GET", "/admin/matching/{region}",
        Map.of("region", "PV26"), Map.of(), null, null, "operator")));
    s.put("ScreeningDecisionFunction", new Scenario(http, i -> api("POST", "/admin/hosts/{id}/screening",
        Map.of("id", seed.hosts().get(i)), Map.of(), "{\"decision\":\"approved\",\"reason\":\"intake_completed\"}",
        null, "operator")));
    s.put("RoutingAdminFunction", new Scenario(http, i -> api("GET", "/admin/routing", Map.of(), Map.of(), null,
        null, "operator")));
    s.put("OperationsAdminFunction", new Scenario(http, i -> api("GET", "/admin/picture", Map.of(), Map.of(), null,
        null, "operator")));
    s.put("SubjectRightsFunction", new Scenario(http, i -> api("GET", "/admin/cases/{id}/export",
        Map.of("id", seed.guests().get(i)), Map.of(), null, null, "operator")));
    s.put("RegionSnapshotFunction", new Scenario("java.util.Map", i -> scheduled()));
    s.put("ProposalExpiryFunction", new Scenario("java.util.Map", i -> scheduled()));
    s.put("PartnerAuthorizerFunction", new Scenario(
        "com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent",
        i -> authorizerEvent(seed.apiKey())));
    s.put("PartnerAdminFunction", new Scenario(http, i -> api("GET", "/admin/partners", Map.of(), Map.of(), null,
        null, "operator")));
    s.put("PartnerApiFunction", new Scenario(http, i -> api("GET", "/partner/cases/{id}",
        Map.of("id", seed.guests().get(i)), Map.of(), null, seed.partnerId(), null)));
    s.put("WebFormFunction", new Scenario(http, i -> api("GET", "/", Map.of(), Map.of(), null, null, null)));
    return s;
  }

  /** An HTTP API (payload 2.0) event as API Gateway sends it. */
  private static ObjectNode withTicket(ObjectNode event, String ticket) {
    ((ObjectNode) event.get("headers")).put("form-ticket", ticket);
    return event;
  }

  private static ObjectNode api(String method, String path, Map<String, String> pathParameters,
      Map<String, String> query, String body, String partnerId, String iamUser) {
    String raw = path;
    for (var p : pathParameters.entrySet()) {
      raw = raw.replace("{" + p.getKey() + "}", p.getValue());
    }
    ObjectNode e = Json.object().put("version", "2.0").put("routeKey", method + " " + path).put("rawPath", raw);
    StringBuilder qs = new StringBuilder();
    query.forEach((k, v) -> qs.append(qs.isEmpty() ? "" : "&").append(k).append('=').append(v));
    e.put("rawQueryString", qs.toString());
    ObjectNode headers = e.putObject("headers").put("accept", "application/json").put("user-agent", "cold-start");
    if (body != null) {
      headers.put("content-type", "application/json").put("idempotency-key", UUID.randomUUID().toString());
    }
    if (!query.isEmpty()) {
      ObjectNode q = e.putObject("queryStringParameters");
      query.forEach(q::put);
    }
    if (!pathParameters.isEmpty()) {
      ObjectNode p = e.putObject("pathParameters");
      pathParameters.forEach(p::put);
    }
    ObjectNode ctx = e.putObject("requestContext").put("accountId", "123456789012").put("apiId", "coldstart")
        .put("domainName", "coldstart.example").put("requestId", UUID.randomUUID().toString())
        .put("routeKey", method + " " + path).put("stage", "$default").put("time", Instant.now().toString())
        .put("timeEpoch", System.currentTimeMillis());
    ctx.putObject("http").put("method", method).put("path", raw).put("protocol", "HTTP/1.1")
        .put("sourceIp", "192.0.2.1").put("userAgent", "cold-start");
    if (partnerId != null) {
      ctx.putObject("authorizer").putObject("lambda").put("partnerId", partnerId);
    } else if (iamUser != null) {
      ctx.putObject("authorizer").putObject("iam").put("accountId", "123456789012")
          .put("userArn", "arn:aws:iam::123456789012:user/" + iamUser).put("userId", "AIDA" + iamUser.toUpperCase());
    }
    if (body != null) {
      e.put("body", body);
    }
    e.put("isBase64Encoded", false);
    return e;
  }

  /** The stream record of a case's first event (its registration), as DynamoDB Streams delivers it. */
  private static ObjectNode streamEvent(LocalRuntime runtime, String caseId) {
    String table = runtime.environment("CaseEventsFunction").get(Tables.CASES);
    Map<String, AttributeValue> item = runtime.dynamoDb().client().getItem(b -> b.tableName(table)
        .key(Attr.key(CaseEvent.partitionKey(caseId), "EVENT#000001")).consistentRead(true)).item();
    if (item == null || item.isEmpty()) {
      throw new IllegalStateException("no first event of " + caseId);
    }
    ObjectNode e = Json.object();
    ObjectNode r = e.putArray("Records").addObject().put("eventID", UUID.randomUUID().toString())
        .put("eventName", "INSERT").put("eventVersion", "1.1").put("eventSource", "aws:dynamodb")
        .put("awsRegion", "eu-west-1")
        .put("eventSourceARN", "arn:aws:dynamodb:eu-west-1:123456789012:table/" + table + "/stream/coldstart");
    ObjectNode d = r.putObject("dynamodb").put("ApproximateCreationDateTime", Instant.now().getEpochSecond())
        .put("SequenceNumber", Long.toString(System.nanoTime())).put("SizeBytes", 1000)
        .put("StreamViewType", "NEW_AND_OLD_IMAGES");
    ObjectNode keys = d.putObject("Keys");
    keys.set("pk", dynamoJson(item.get("pk")));
    keys.set("sk", dynamoJson(item.get("sk")));
    ObjectNode image = d.putObject("NewImage");
    item.forEach((k, v) -> image.set(k, dynamoJson(v)));
    return e;
  }

  /** An attribute in DynamoDB's JSON (what a stream record carries). */
  private static ObjectNode dynamoJson(AttributeValue v) {
    ObjectNode out = Json.object();
    if (v.s() != null) {
      out.put("S", v.s());
    } else if (v.n() != null) {
      out.put("N", v.n());
    } else if (v.bool() != null) {
      out.put("BOOL", v.bool());
    } else if (Boolean.TRUE.equals(v.nul())) {
      out.put("NULL", true);
    } else if (v.hasM()) {
      ObjectNode m = out.putObject("M");
      v.m().forEach((k, x) -> m.set(k, dynamoJson(x)));
    } else if (v.hasL()) {
      ArrayNode l = out.putArray("L");
      v.l().forEach(x -> l.add(dynamoJson(x)));
    } else if (v.hasSs()) {
      ArrayNode l = out.putArray("SS");
      v.ss().forEach(l::add);
    } else if (v.hasNs()) {
      ArrayNode l = out.putArray("NS");
      v.ns().forEach(l::add);
    } else {
      throw new IllegalArgumentException("an attribute type the bench does not write: " + v);
    }
    return out;
  }

  private static ObjectNode sqsEvent(String body) {
    ObjectNode e = Json.object();
    ObjectNode m = e.putArray("Records").addObject().put("messageId", UUID.randomUUID().toString())
        .put("receiptHandle", "coldstart-" + UUID.randomUUID()).put("body", body).put("md5OfBody", "")
        .put("eventSource", "aws:sqs").put("eventSourceARN", "arn:aws:sqs:eu-west-1:123456789012:webhooks")
        .put("awsRegion", "eu-west-1");
    m.putObject("attributes").put("ApproximateReceiveCount", "1").put("SentTimestamp",
        Long.toString(System.currentTimeMillis()));
    m.putObject("messageAttributes");
    return e;
  }

  private static ObjectNode scheduled() {
    ObjectNode e = Json.object().put("version", "0").put("id", UUID.randomUUID().toString())
        .put("detail-type", "Scheduled Event").put("source", "aws.events").put("account", "123456789012")
        .put("time", Instant.now().toString()).put("region", "eu-west-1");
    e.putArray("resources").add("arn:aws:events:eu-west-1:123456789012:rule/coldstart");
    e.putObject("detail");
    return e;
  }

  private static ObjectNode authorizerEvent(String apiKey) {
    ObjectNode e = Json.object().put("version", "2.0").put("type", "REQUEST")
        .put("routeArn", "arn:aws:execute-api:eu-west-1:123456789012:coldstart/$default/GET/partner/me")
        .put("routeKey", "GET /partner/me").put("rawPath", "/partner/me").put("rawQueryString", "");
    e.putArray("identitySource").add("Bearer " + apiKey);
    e.putObject("headers").put("authorization", "Bearer " + apiKey);
    ObjectNode ctx = e.putObject("requestContext").put("accountId", "123456789012").put("apiId", "coldstart")
        .put("requestId", UUID.randomUUID().toString()).put("routeKey", "GET /partner/me").put("stage", "$default");
    ctx.putObject("http").put("method", "GET").put("path", "/partner/me").put("sourceIp", "192.0.2.1");
    return e;
  }

  // --- the children ------------------------------------------------------------------------------------------------

  /** Lambda's options for a JVM of this memory size, and the template's JAVA_TOOL_OPTIONS (through the environment). */
  private static List<String> jvm(int memoryMb) {
    return List.of(javaBinary(), "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx" + (memoryMb * 85 / 100) + "m");
  }

  private static double hello(Path probe, SamTemplate sam) throws Exception {
    List<String> command = new ArrayList<>(jvm(1024));
    command.addAll(List.of("-cp", probe.toString(), "nl.onderdak.bench.probe.ColdStartProbe", "--hello"));
    Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", javaToolOptions(sam));
    long start = System.nanoTime();
    ObjectNode figures = spawn(command, env);
    if (figures == null) {
      throw new IllegalStateException("the hello-world JVM printed nothing");
    }
    return (System.nanoTime() - start) / 1_000_000.0;
  }

  private static String javaToolOptions(SamTemplate sam) {
    Object options = sam.functions().get(0).environment().get("JAVA_TOOL_OPTIONS");
    return options == null ? "" : options.toString();
  }

  /** Unprimed always; primed too when the build has SnapStart priming. */
  private static List<Boolean> primes(Path root, SamTemplate.Function fn) throws Exception {
    try (var jar = new java.util.zip.ZipFile(jarOf(root, fn).toFile())) {
      return jar.getEntry("nl/onderdak/function/Priming.class") == null ? List.of(false) : List.of(false, true);
    }
  }

  private static Run child(SamTemplate.Function fn, Path root, Path probe, String serialization, String eventClass,
      Path event, Map<String, String> env, boolean prime) throws Exception {
    Path jar = jarOf(root, fn);
    List<String> command = new ArrayList<>(jvm(fn.memoryMb()));
    command.addAll(List.of("-cp", jar + File.pathSeparator + probe + File.pathSeparator + serialization,
        "nl.onderdak.bench.probe.ColdStartProbe", fn.handler().split("::")[0], eventClass, event.toString(),
        prime ? "prime" : "unprimed"));
    long start = System.nanoTime();
    ObjectNode f = spawn(command, env);
    double total = (System.nanoTime() - start) / 1_000_000.0;
    if (f == null) {
      throw new IllegalStateException(fn.logicalId() + ": the probe printed no figures");
    }
    String answer = f.path("answer").asText();
    if (answer.startsWith("status=4") || answer.startsWith("status=5") || answer.equals("failures=1")
        || answer.equals("authorized=false")) {
      throw new IllegalStateException(fn.logicalId() + ": the first event was not served (" + answer + ")");
    }
    return new Run(f.get("initMs").asDouble(), f.get("primeMs").asDouble(), f.get("firstMs").asDouble(),
        f.get("secondMs").asDouble(), total, f.get("classes").asInt(), answer);
  }

  private static ObjectNode spawn(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    ObjectNode figures = null;
    List<String> tail = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("COLDSTART ")) {
          figures = (ObjectNode) Json.parse(line.substring("COLDSTART ".length()));
        } else if (line.contains("\"priming failed")) {
          throw new IllegalStateException(String.join(" ", command.subList(command.size() - 4, command.size()))
              + ": a prime failed, so the figures would not be a primed snapshot's: " + line);
        } else {
          tail.add(line);
          if (tail.size() > 20) {
            tail.remove(0);
          }
        }
      }
    }
    int exit = p.waitFor();
    if (exit != 0 || figures == null) {
      throw new IllegalStateException(String.join(" ", command.subList(command.size() - 3, command.size()))
          + " exited " + exit + ":\n" + String.join("\n", tail));
    }
    return figures;
  }

  private static Path jarOf(Path root, SamTemplate.Function fn) {
    Path jar = root.resolve(fn.codeUri()).resolve("target/function.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build with mvn -q -B -DskipTests package first");
    }
    return jar;
  }

  /** Only the probe's own classes, so that each child loads the product from the function's jar alone. */
  private static Path probeClasses() throws Exception {
    Path dir = Files.createTempDirectory("coldstart-probe");
    String name = "nl/onderdak/bench/probe/ColdStartProbe.class";
    try (var in = ColdStart.class.getClassLoader().getResourceAsStream(name)) {
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      Files.write(target, in.readAllBytes());
    }
    return dir;
  }

  /** The jar a class was loaded from (a library on the bench's manifest classpath). */
  private static Path jarOf(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String send(String method, String url, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
        .header("idempotency-key", UUID.randomUUID().toString())
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (url.contains("/registrations/guests") || url.contains("/registrations/hosts")) {
      String base = url.substring(0, url.indexOf("/registrations/"));
      b.header("form-ticket", Json.parse(send("POST", base + "/registrations/tickets", null, "")).get("ticket").asText());
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  // --- the report ----------------------------------------------------------------------------------------------------

  private static void report(SamTemplate sam, Path root, Map<String, List<Run>> runs, Map<String, List<Run>> primed,
      List<Double> hello, int rounds) throws Exception {
    double h = median(hello);
    System.out.printf("%nCold start, median of %d rounds; hello-world JVM %.0f ms (same options, same rounds)%n%n",
        rounds, h);
    System.out.println("| function | jar MiB | classes | init ms | first event ms | total ms | init ×hello"
        + " | first ×hello | total ×hello | prime ms | first after a primed snapshot ms | ×hello |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (SamTemplate.Function fn : sam.functions()) {
      List<Run> r = runs.get(fn.logicalId());
      double init = median(r.stream().map(Run::init).toList());
      double first = median(r.stream().map(Run::first).toList());
      double total = median(r.stream().map(Run::total).toList());
      double classes = median(r.stream().map(x -> (double) x.classes()).toList());
      List<Run> p = primed.get(fn.logicalId());
      String primedColumns = p == null ? "– | – | –" : String.format("%.0f | %.0f | %.2f",
          median(p.stream().map(Run::prime).toList()), median(p.stream().map(Run::first).toList()),
          median(p.stream().map(Run::first).toList()) / h);
      System.out.printf("| %s | %.1f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %s |%n", fn.logicalId(),
          Files.size(jarOf(root, fn)) / 1048576.0, classes, init, first, total, init / h, first / h, total / h,
          primedColumns);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
