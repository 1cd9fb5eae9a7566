package nl.onderdak.local;

import static nl.onderdak.infra.template.SamTemplate.map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Secrets;
import nl.onderdak.infra.dynamodb.EmbeddedDynamoDb;
import nl.onderdak.infra.dynamodb.TableProvisioner;
import nl.onderdak.infra.template.SamTemplate;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The whole stack of {@code template.yaml} on one machine, without Docker or an AWS account:
 * DynamoDB Local in this JVM (also served on a port for the AWS CLI and NoSQL Workbench), the
 * template's tables created in it, every HTTP route served on localhost, every DynamoDB stream
 * mapping polled, and the same handler classes invoked with the same event types as in AWS.
 * Nothing here names a route, table or function: all of it is read from the template.
 *
 * <p>Settings, from the environment: {@code PORT} (3000), {@code DYNAMODB_PORT} (8000),
 * {@code ONDERDAK_DATA_DIR} (unset: in memory), {@code ONDERDAK_ADMIN_TOKEN} (unset: a new random one),
 * {@code ONDERDAK_PARAMETERS} (template parameters, {@code Name=value,Name=value}), {@code ONDERDAK_CLOCK_SPEED}
 * (schedules this many times faster than real time; 1), {@code ONDERDAK_SCALE_TIME} ({@code true}: the functions'
 * own clock runs that fast too).
 */
public final class LocalRuntime implements AutoCloseable {

  /**
   * What to start.
   *
   * @param clockSpeed how much faster than real time the schedules fire ({@code rate(5 minutes)} at 60 fires
   *     every 5 s): with the waits set by template parameters scaled alike, a month of the process fits in
   *     minutes (the surge rehearsal's clock). 1 = real time.
   * @param faults faults to inject for a rehearsal; {@link Faults#NONE} otherwise
   * @param timeOrigin when set, the functions' own clock runs {@code clockSpeed} times faster from this instant on
   *     ({@link nl.onderdak.function.ScaledClock}): check-ins, agreed ends, expiries come in seconds; null: the
   *     functions read the wall clock and only the schedules run fast
   */
  public record Config(Path template, int httpPort, int dynamoDbPort, Path dataDir, String adminToken,
      Map<String, String> parameters, double clockSpeed, Faults faults, java.time.Instant timeOrigin) {
    public Config(Path template, int httpPort, int dynamoDbPort, Path dataDir, String adminToken,
        Map<String, String> parameters, double clockSpeed, Faults faults) {
      this(template, httpPort, dynamoDbPort, dataDir, adminToken, parameters, clockSpeed, faults, null);
    }

    public Config(Path template, int httpPort, int dynamoDbPort, Path dataDir, String adminToken) {
      this(template, httpPort, dynamoDbPort, dataDir, adminToken, Map.of(), 1, Faults.NONE);
    }

    public Config(Path template, int httpPort, int dynamoDbPort, Path dataDir, String adminToken,
        Map<String, String> parameters) {
      this(template, httpPort, dynamoDbPort, dataDir, adminToken, parameters, 1, Faults.NONE);
    }

    /** The same, with template parameters set (as {@code sam deploy --parameter-overrides} would). */
    public Config withParameters(Map<String, String> overrides) {
      return new Config(template, httpPort, dynamoDbPort, dataDir, adminToken, Map.copyOf(overrides), clockSpeed,
          faults, timeOrigin);
    }

    /** The same, with one more template parameter set (the others kept). */
    public Config withParameter(String name, String value) {
      Map<String, String> merged = new LinkedHashMap<>(parameters);
      merged.put(name, value);
      return new Config(template, httpPort, dynamoDbPort, dataDir, adminToken, Map.copyOf(merged), clockSpeed, faults,
          timeOrigin);
    }

    /** The same, with schedules running this much faster than real time. */
    public Config withClockSpeed(double speed) {
      if (!(speed >= 1)) {
        throw new IllegalArgumentException("clock speed must be at least 1, not " + speed);
      }
      return new Config(template, httpPort, dynamoDbPort, dataDir, adminToken, parameters, speed, faults, timeOrigin);
    }

    /** The same, with these faults injected. */
    public Config withFaults(Faults injected) {
      return new Config(template, httpPort, dynamoDbPort, dataDir, adminToken, parameters, clockSpeed, injected,
          timeOrigin);
    }

    /** The same on these ports (a restarted runtime keeps its addresses, as a deployed API does). */
    public Config withPorts(int http, int dynamoDb) {
      return new Config(template, http, dynamoDb, dataDir, adminToken, parameters, clockSpeed, faults, timeOrigin);
    }

    /**
     * The same, with the functions' clock running {@code clockSpeed} times faster from now on (the schedules too).
     * A runtime restarted with this config goes on from the same origin.
     */
    public Config withScaledTime() {
      return withScaledTime(java.time.Instant.now());
    }

    /** The same, from a given origin (the instant at which the functions' clock and the wall agree). */
    public Config withScaledTime(java.time.Instant origin) {
      return new Config(template, httpPort, dynamoDbPort, dataDir, adminToken, parameters, clockSpeed, faults,
          origin);
    }

    public static Config fromEnvironment() {
      String dataDir = System.getenv("ONDERDAK_DATA_DIR");
      String token = System.getenv("ONDERDAK_ADMIN_TOKEN");
      Map<String, String> parameters = new LinkedHashMap<>();
      String overrides = System.getenv("ONDERDAK_PARAMETERS");
      if (overrides != null && !overrides.isBlank()) {
        for (String pair : overrides.split(",")) {
          String[] kv = pair.split("=", 2);
          parameters.put(kv[0].strip(), kv.length > 1 ? kv[1].strip() : "");
        }
      }
      return new Config(SamTemplate.locateFile(),
          intFromEnv("PORT", 3000),
          intFromEnv("DYNAMODB_PORT", 8000),
          dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir),
          token == null || token.isBlank() ? Secrets.newToken() : token,
          parameters, doubleFromEnv("ONDERDAK_CLOCK_SPEED", 1), Faults.NONE,
          "true".equalsIgnoreCase(System.getenv("ONDERDAK_SCALE_TIME")) ? timeOriginFromEnv() : null);
    }

    /** {@code ONDERDAK_TIME_ORIGIN} (an ISO-8601 instant, e.g. a rehearsal's) when set, else now. */
    private static java.time.Instant timeOriginFromEnv() {
      String origin = System.getenv("ONDERDAK_TIME_ORIGIN");
      return origin == null || origin.isBlank() ? java.time.Instant.now() : java.time.Instant.parse(origin.strip());
    }

    private static double doubleFromEnv(String name, double fallback) {
      String value = System.getenv(name);
      return value == null || value.isBlank() ? fallback : Double.parseDouble(value.strip());
    }

    private static int intFromEnv(String name, int fallback) {
      String value = System.getenv(name);
      return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
  }

  private final Config config;
  private final EmbeddedDynamoDb dynamo;
  private final HttpGateway gateway;
  private final List<StreamPoller> pollers;
  private final FailureDestinations failures;
  private final DynamoDbStreamsClient streams;

  private LocalRuntime(Config config, EmbeddedDynamoDb dynamo, HttpGateway gateway, List<StreamPoller> pollers,
      FailureDestinations failures, DynamoDbStreamsClient streams, EmbeddedSqs sqs, List<SqsPoller> sqsPollers,
      List<ScheduleTrigger> schedules) {
    this.schedules = schedules;
    this.sqs = sqs;
    this.sqsPollers = sqsPollers;
    this.config = config;
    this.dynamo = dynamo;
    this.gateway = gateway;
    this.pollers = pollers;
    this.failures = failures;
    this.streams = streams;
  }

  private LocalMetrics metrics;
  private OpsConsole console;
  /** Samples the queues' depths every few seconds, as SQS publishes them to CloudWatch. */
  private final java.util.concurrent.ScheduledExecutorService queueSampler =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "queue-metrics");
        t.setDaemon(true);
        return t;
      });
  private Map<String, LocalFunction> functions;

  /** What the operator page shows, as JSON (tests compare it with what they did). */
  public com.fasterxml.jackson.databind.node.ObjectNode opsData() {
    return console.data();
  }

  /** How many times each function of the template was invoked so far, by logical id. */
  public Map<String, Long> invocations() {
    Map<String, Long> out = new LinkedHashMap<>();
    functions.forEach((name, f) -> out.put(name, f.invocations()));
    return out;
  }

  private final EmbeddedSqs sqs;
  private final List<SqsPoller> sqsPollers;
  private final List<ScheduleTrigger> schedules;

  /**
   * Every schedule stops firing (as an operator disables the rules), the functions' clock running on: a rehearsal
   * that winds down stops the clocks' work so that the chain can come to rest.
   */
  public void pauseSchedules() {
    schedules.forEach(ScheduleTrigger::pause);
  }

  /** Runs a scheduled function now, as its schedule would (tests and rehearsals need not wait). */
  public Object fireSchedule(String name) throws Exception {
    for (ScheduleTrigger s : schedules) {
      if (s.name().equals(name)) {
        return s.fire();
      }
    }
    throw new IllegalArgumentException("no schedule " + name);
  }

  public static LocalRuntime start(Config config) throws Exception {
    SamTemplate template = SamTemplate.load(config.template());
    EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(config.dynamoDbPort(), config.dataDir());
    EmbeddedSqs sqs = null;
    try {
      Map<String, TableDescription> tables = new TableProvisioner(template, dynamo.client()).provision();
      sqs = EmbeddedSqs.start(template);
      Map<String, String> attributes = new LinkedHashMap<>(sqs.attributes());
      tables.forEach((logicalId, table) -> {
        if (table.latestStreamArn() != null) {
          attributes.put(logicalId + ".StreamArn", table.latestStreamArn());
        }
        attributes.put(logicalId + ".Arn", table.tableArn());
      });
      Intrinsics intrinsics = new Intrinsics(template, attributes, config.parameters());
      FailureDestinations failures = new FailureDestinations(config.dataDir());
      StreamCheckpoints checkpoints = new StreamCheckpoints(config.dataDir());
      DynamoDbStreamsClient streams = dynamo.streamsClient();

      List<HttpGateway.Route> routes = new ArrayList<>();
      List<StreamPoller> pollers = new ArrayList<>();
      List<SqsPoller> sqsPollers = new ArrayList<>();
      List<ScheduleTrigger> schedules = new ArrayList<>();
      // IAM: each function's calls held to its policies in the template (IamGuard, LocalIam).
      Map<String, String> tableArns = new LinkedHashMap<>();
      Map<String, String> hashKeys = new LinkedHashMap<>();
      tables.values().forEach(t -> {
        tableArns.put(t.tableName(), t.tableArn());
        t.keySchema().stream().filter(k -> k.keyTypeAsString().equals("HASH"))
            .forEach(k -> hashKeys.put(t.tableName(), k.attributeName()));
      });
      Map<String, String> queueArnsByName = new LinkedHashMap<>();
      Map<String, String> queueArnsByUrl = new LinkedHashMap<>();
      Map<String, String> sqsAttributes = sqs.attributes();
      for (Map.Entry<String, String> q : sqs.urls().entrySet()) {
        String arn = sqsAttributes.get(q.getKey() + ".Arn");
        queueArnsByName.put(intrinsics.resolve(Map.of("Fn::GetAtt", List.of(q.getKey(), "QueueName"))), arn);
        queueArnsByUrl.put(q.getValue(), arn);
      }
      LocalIam.register(LocalIam.read(template, intrinsics, tableArns, queueArnsByName));
      IamGuard.Resources resources = new IamGuard.Resources(tableArns, hashKeys, queueArnsByUrl);
      Map<String, LocalFunction> functions = new LinkedHashMap<>();
      for (SamTemplate.Function fn : template.functions()) {
        IamGuard.register(fn.logicalId(), resources);
        Map<String, String> env = environment(fn, intrinsics, dynamo, sqs);
        if (config.timeOrigin() != null && config.clockSpeed() > 1) {
          // The functions' own clock runs as fast as the schedules (ScaledClock reads these two).
          env.put(nl.onderdak.function.ScaledClock.SPEED, Double.toString(config.clockSpeed()));
          env.put(nl.onderdak.function.ScaledClock.ORIGIN, config.timeOrigin().toString());
        }
        functions.put(fn.logicalId(), new LocalFunction(fn, env));
      }
      for (SamTemplate.Function fn : template.functions()) {
        LocalFunction function = functions.get(fn.logicalId());
        for (SamTemplate.Event event : fn.events().values()) {
          switch (event.type()) {
            case "HttpApi" -> {
              requireInput(function, APIGatewayV2HTTPEvent.class, event);
              Object authName = map(event.properties().get("Auth")).get("Authorizer");
              boolean iam = "AWS_IAM".equals(authName);
              HttpGateway.Authorizer authorizer = authName == null || iam ? null
                  : lambdaAuthorizer(template, event, authName.toString(), functions);
              routes.add(new HttpGateway.Route(event.string("Method", "ANY").toUpperCase(),
                  event.string("Path", "/"), function, iam, authorizer));
            }
            case "DynamoDB" -> {
              requireInput(function, DynamodbEvent.class, event);
              pollers.add(new StreamPoller(fn.logicalId() + "." + event.name(),
                  intrinsics.resolve(event.properties().get("Stream")), streams, function,
                  streamSettings(event, template), failures, checkpoints, config.faults()));
            }
            case "SQS" -> {
              requireInput(function, SQSEvent.class, event);
              Object queue = SamTemplate.list(map(event.properties().get("Queue")).get("Fn::GetAtt")).get(0);
              sqsPollers.add(new SqsPoller(fn.logicalId() + "." + event.name(), sqs.client(),
                  sqs.urlOf(queue.toString()), intrinsics.resolve(event.properties().get("Queue")), function,
                  event.integer("BatchSize", 10),
                  SamTemplate.list(event.properties().get("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
                  sqsPollers(event)));
            }
            case "Schedule" -> {
              requireInput(function, Map.class, event);
              schedules.add(new ScheduleTrigger(fn.logicalId() + "." + event.name(), function,
                  event.string("Schedule", ""), config.clockSpeed()));
            }
            default -> throw new IllegalStateException(fn.logicalId() + "." + event.name()
                + ": the local runtime does not run events of type " + event.type());
          }
        }
      }
      if (config.dataDir() != null) {
        restoreWebhooks(template, intrinsics, dynamo, sqs);
      }
      HttpGateway gateway = new HttpGateway(config.httpPort(), routes, config.adminToken());
      // The local CloudWatch: the metrics the handlers print as EMF, collected as CloudWatch would, and those AWS
      // publishes itself for the gateway, the functions, the stream readers and the queues; the template's alarms
      // evaluated on them.
      LocalMetrics metrics = new LocalMetrics();
      LogTap.add(metrics);
      functions.forEach((logicalId, f) -> f.publishTo(metrics, intrinsics.resolve(Map.of("Ref", logicalId))));
      String apiId = httpApi(template, intrinsics);
      if (apiId != null) {
        gateway.publishTo(metrics, apiId);
      }
      Map<String, String> queueNames = new LinkedHashMap<>();
      sqs.urls().keySet().forEach(id -> queueNames.put(id, intrinsics.resolve(Map.of("Fn::GetAtt", List.of(id, "QueueName")))));
      FailureDestinations failed = failures;
      OpsConsole console = new OpsConsole(new OpsConsole.Sources(gateway, functions, pollers, sqs.client(), sqs.urls(),
          queueNames, failed::messages, metrics, LocalAlarms.of(template, intrinsics), config.adminToken()));
      gateway.mount("/ops", console::handle);
      pollers.forEach(StreamPoller::start);
      sqsPollers.forEach(SqsPoller::start);
      schedules.forEach(ScheduleTrigger::start);
      LocalRuntime runtime = new LocalRuntime(config, dynamo, gateway, pollers, failures, streams, sqs, sqsPollers,
          schedules);
      runtime.metrics = metrics;
      runtime.console = console;
      runtime.functions = functions;
      runtime.queueSampler.scheduleWithFixedDelay(() -> {
        try {
          console.sampleQueues();
        } catch (RuntimeException stopping) {
          // The queues are closing, or will be asked again in a few seconds.
        }
      }, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
      return runtime;
    } catch (Exception | Error e) {
      if (sqs != null) {
        sqs.close();
      }
      dynamo.close();
      throw e;
    }
  }

  /** With a data folder: the webhooks the log says are owed go back on the in-memory queues ({@link WebhookRecovery}). */
  private static void restoreWebhooks(SamTemplate template, Intrinsics intrinsics, EmbeddedDynamoDb dynamo,
      EmbeddedSqs sqs) {
    for (SamTemplate.Function fn : template.functions()) {
      Map<String, String> env = environment(fn, intrinsics, dynamo, sqs);
      String queue = env.get("WEBHOOK_QUEUE_URL");
      String deadLetters = env.get("WEBHOOK_DLQ_URL");
      if (queue != null && deadLetters != null && env.get(Tables.PARTNERS) != null) {
        WebhookRecovery.Restored restored = WebhookRecovery.restore(
            new nl.onderdak.core.partners.DynamoWebhookLog(dynamo.client(), env.get(Tables.PARTNERS)),
            new nl.onderdak.notifications.SqsWebhookQueue(sqs.client(), queue, deadLetters));
        if (restored.owed() + restored.deadLettered() > 0) {
          System.out.println(Json.write(Json.object().put("level", "INFO")
              .put("message", "webhooks restored from the webhook log after a restart")
              .put("owed", restored.owed()).put("deadLettered", restored.deadLettered())));
        }
        return;
      }
    }
  }

  /** The id of the one HTTP API the routes belong to (the gateway serves one), or null without routes. */
  private static String httpApi(SamTemplate template, Intrinsics intrinsics) {
    java.util.TreeSet<String> apis = new java.util.TreeSet<>();
    for (SamTemplate.Function fn : template.functions()) {
      for (SamTemplate.Event event : fn.events().values()) {
        if (event.type().equals("HttpApi") && event.properties().get("ApiId") != null) {
          apis.add(intrinsics.resolve(event.properties().get("ApiId")));
        }
      }
    }
    if (apis.size() > 1) {
      throw new IllegalStateException("the local runtime serves one HTTP API, the template has " + apis);
    }
    return apis.isEmpty() ? null : apis.first();
  }

  /** The HTTP API's Lambda authorizer of this name, from the API's {@code Auth.Authorizers}. */
  private static HttpGateway.Authorizer lambdaAuthorizer(SamTemplate template, SamTemplate.Event event, String name,
      Map<String, LocalFunction> functions) {
    Object apiRef = map(event.properties().get("ApiId")).get("Ref");
    if (apiRef == null) {
      throw new IllegalStateException(event.name() + ": a route with an authorizer needs ApiId: !Ref <HttpApi>");
    }
    Map<String, Object> config = map(map(map(template.resource(apiRef.toString()).properties().get("Auth"))
        .get("Authorizers")).get(name));
    List<Object> getAtt = SamTemplate.list(map(config.get("FunctionArn")).get("Fn::GetAtt"));
    if (getAtt.isEmpty() || !functions.containsKey(getAtt.get(0).toString())) {
      throw new IllegalStateException("authorizer " + name + ": FunctionArn must be !GetAtt <Function>.Arn of this template");
    }
    LocalFunction function = functions.get(getAtt.get(0).toString());
    requireInputType(function, APIGatewayV2CustomAuthorizerEvent.class, "authorizer " + name);
    List<String> headers = new ArrayList<>();
    SamTemplate.list(map(config.get("Identity")).get("Headers")).forEach(h -> headers.add(h.toString()));
    return new HttpGateway.Authorizer(name, function, headers);
  }

  private static void requireInputType(LocalFunction function, Class<?> eventType, String what) {
    if (!function.inputType().isAssignableFrom(eventType)) {
      throw new IllegalStateException(what + " delivers " + eventType.getSimpleName() + " but "
          + function.name() + " takes " + function.inputType().getSimpleName());
    }
  }

  private static void requireInput(LocalFunction function, Class<?> eventType, SamTemplate.Event event) {
    if (!function.inputType().isAssignableFrom(eventType)) {
      throw new IllegalStateException(function.name() + "." + event.name() + " (" + event.type() + ") delivers "
          + eventType.getSimpleName() + " but the handler takes " + function.inputType().getSimpleName());
    }
  }

  /** The function's variables as the template gives them, plus what Lambda sets and the local endpoint. */
  private static Map<String, String> environment(SamTemplate.Function fn, Intrinsics intrinsics,
      EmbeddedDynamoDb dynamo, EmbeddedSqs sqs) {
    Map<String, String> env = new LinkedHashMap<>();
    fn.environment().forEach((k, v) -> env.put(k, intrinsics.resolve(v)));
    env.put("AWS_REGION", Intrinsics.REGION);
    env.put("AWS_LAMBDA_FUNCTION_NAME", fn.logicalId());
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(fn.memoryMb()));
    env.put("DYNAMODB_ENDPOINT", dynamo.endpoint().toString());
    env.put("SQS_ENDPOINT", sqs.endpoint().toString());
    // Tells functions they run on a laptop: webhooks may then go to http://localhost, and only there.
    env.put("ONDERDAK_LOCAL_RUNTIME", "true");
    // Which function the calls of its AWS clients are for: IamGuard holds them to its policies.
    env.put(nl.onderdak.function.Wiring.LOCAL_FUNCTION, fn.logicalId());
    return env;
  }

  private static StreamPoller.Settings streamSettings(SamTemplate.Event event, SamTemplate template) {
    List<Object> responseTypes = SamTemplate.list(event.properties().get("FunctionResponseTypes"));
    Map<String, Object> onFailure = map(map(event.properties().get("DestinationConfig")).get("OnFailure"));
    String queue = null;
    Object destination = onFailure.get("Destination");
    if (destination != null) {
      // The destination is a queue's ARN ({Fn::GetAtt: [Queue, Arn]}); locally it is named by the queue.
      Object getAtt = map(destination).get("Fn::GetAtt");
      queue = template.physicalName(SamTemplate.list(getAtt).get(0).toString());
    }
    return new StreamPoller.Settings(
        event.integer("BatchSize", 100),
        event.string("StartingPosition", "LATEST"),
        event.integer("MaximumBatchingWindowInSeconds", 0),
        responseTypes.contains("ReportBatchItemFailures"),
        event.bool("BisectBatchOnFunctionError", false),
        event.integer("MaximumRetryAttempts", -1),
        queue,
        event.integer("ParallelizationFactor", 1),
        hashKeyOf(template, event));
  }

  /** Lambda's first five pollers of an SQS mapping, or its {@code ScalingConfig.MaximumConcurrency} if lower. */
  private static int sqsPollers(SamTemplate.Event event) {
    Object maximum = map(event.properties().get("ScalingConfig")).get("MaximumConcurrency");
    return maximum == null ? SqsPoller.POLLERS : Math.min(SqsPoller.POLLERS, Integer.parseInt(maximum.toString()));
  }

  /** The partition key of the table whose stream the event reads ({@code Stream: !GetAtt Table.StreamArn}). */
  private static String hashKeyOf(SamTemplate template, SamTemplate.Event event) {
    List<Object> getAtt = SamTemplate.list(map(event.properties().get("Stream")).get("Fn::GetAtt"));
    if (getAtt.isEmpty()) {
      return null;
    }
    for (Object key : SamTemplate.list(template.resource(getAtt.get(0).toString()).properties().get("KeySchema"))) {
      if ("HASH".equals(map(key).get("KeyType"))) {
        return map(key).get("AttributeName").toString();
      }
    }
    return null;
  }

  /** A function's variables as this runtime gives them: the template's, resolved, and the local endpoints. */
  public Map<String, String> environment(String logicalId) {
    LocalFunction f = functions.get(logicalId);
    if (f == null) {
      throw new IllegalArgumentException("no function " + logicalId + " in the template");
    }
    return f.environment();
  }

  public int httpPort() {
    return gateway.port();
  }

  public int dynamoDbPort() {
    return dynamo.port();
  }

  public String adminToken() {
    return config.adminToken();
  }

  public EmbeddedDynamoDb dynamoDb() {
    return dynamo;
  }

  /** Messages an on-failure destination received, by queue name. */
  public List<String> failedBatches(String queueName) {
    return failures.messages(queueName);
  }

  List<HttpGateway.Route> routes() {
    return gateway.routes();
  }

  List<StreamPoller> pollers() {
    return pollers;
  }

  /** The local SQS engine's client, for tests and tools that look into the queues. */
  public software.amazon.awssdk.services.sqs.SqsClient sqsClient() {
    return sqs.client();
  }

  /** A queue's URL by its logical id in the template. */
  public String queueUrl(String logicalId) {
    return sqs.urlOf(logicalId);
  }

  @Override
  public void close() {
    LogTap.remove(metrics);
    queueSampler.shutdownNow();
    schedules.forEach(ScheduleTrigger::close);
    sqsPollers.forEach(SqsPoller::close);
    pollers.forEach(StreamPoller::close);
    gateway.close();
    streams.close();
    sqs.close();
    dynamo.close();
  }

  public static void main(String[] args) throws Exception {
    Config config = Config.fromEnvironment();
    LocalRuntime runtime = start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println(Json.write(Json.object().put("level", "INFO").put("message", "stopping")));
      runtime.close();
      stopped.countDown();
    }, "local-runtime-stop"));
    String base = "http://localhost:" + runtime.httpPort();
    StringBuilder banner = new StringBuilder()
        .append("\nOnderdak local runtime is up.\n")
        .append("  API:            ").append(base).append('\n')
        .append(runtime.routes().stream().anyMatch(r -> r.path().equals("/") && r.method().equals("GET"))
            ? "  In a browser:   " + base + "/\n" : "")
        .append("  DynamoDB Local: http://localhost:").append(runtime.dynamoDbPort())
        .append(config.dataDir() == null ? "  (in memory)" : "  (data in " + config.dataDir().toAbsolutePath() + ")")
        .append('\n')
        .append("  Operator page:  ").append(base).append("/ops#token=").append(config.adminToken()).append('\n')
        .append("  Admin token:    ").append(config.adminToken())
        .append("\n                  (send as 'Authorization: Bearer <token>' to routes marked AWS_IAM)\n")
        .append("  Routes:\n");
    for (HttpGateway.Route route : runtime.routes()) {
      banner.append("    ").append(String.format("%-7s", route.method())).append(route.path())
          .append(route.iamAuth() ? "   [admin]" : route.authorizer() != null ? "   [" + route.authorizer().name() + "]" : "").append("  -> ").append(route.function().name()).append('\n');
    }
    banner.append("  Stream mappings:\n");
    for (StreamPoller poller : runtime.pollers()) {
      banner.append("    ").append(poller.name()).append('\n');
    }
    for (ScheduleTrigger s : runtime.schedules) {
      banner.append("    ").append(s.name()).append("  (every ").append(s.every()).append(")\n");
    }
    for (SqsPoller poller : runtime.sqsPollers) {
      banner.append("    ").append(poller.name()).append("  (SQS)\n");
    }
    banner.append("Press Ctrl-C to stop.\n");
    System.out.println(banner);
    if ("true".equalsIgnoreCase(System.getenv("ONDERDAK_DEMO"))) {
      // Demo data through the runtime's own API, so that /ops has something to show.
      Thread demo = new Thread(() -> {
        try {
          DemoData.Summary done = new DemoData(base, config.adminToken(), 2022).load(240, 200);
          System.out.println("\nDemo data loaded: " + done + "\n  See it at " + base + "/ops#token=" + config.adminToken());
        } catch (Exception e) {
          System.out.println("Demo data failed: " + e.getMessage());
        }
      }, "demo-data");
      demo.setDaemon(true);
      demo.start();
    }
    stopped.await();
    // DynamoDB Local leaves non-daemon threads behind; end the JVM explicitly.
    Runtime.getRuntime().halt(0);
  }
}
