package nl.onderdak.local;

import static nl.onderdak.infra.template.SamTemplate.list;
import static nl.onderdak.infra.template.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** template.yaml is the single source of truth: every function, route, table and mapping in it must be real. */
@Tag("fast")
class TemplateTest {
  private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::Region", "AWS::StackName", "AWS::AccountId",
      "AWS::Partition", "AWS::URLSuffix", "AWS::NoValue", "AWS::StackId");
  private final SamTemplate template = SamTemplate.locate();
  private final Path root = template.file().getParent();

  @Test
  void everyHandlerIsARealRequestHandlerForItsEvents() throws Exception {
    List<SamTemplate.Function> functions = template.functions();
    assertFalse(functions.isEmpty());
    for (SamTemplate.Function fn : functions) {
      String className = fn.handler().split("::")[0];
      Class<?> handler = Class.forName(className);
      assertTrue(RequestHandler.class.isAssignableFrom(handler), fn.logicalId() + ": not a RequestHandler");
      assertTrue(Modifier.isPublic(handler.getModifiers()) && !Modifier.isAbstract(handler.getModifiers()),
          fn.logicalId() + ": handler must be a public concrete class");
      assertNotNull(handler.getConstructor(), fn.logicalId() + ": Lambda needs a public no-argument constructor");
      Class<?> input = LocalFunction.inputType(handler);
      for (SamTemplate.Event event : fn.events().values()) {
        Class<?> expected = switch (event.type()) {
          case "HttpApi" -> APIGatewayV2HTTPEvent.class;
          case "DynamoDB" -> DynamodbEvent.class;
          case "SQS" -> com.amazonaws.services.lambda.runtime.events.SQSEvent.class;
          case "Schedule" -> Map.class;
          default -> throw new AssertionError(fn.logicalId() + ": no test knows event type " + event.type());
        };
        assertEquals(expected, input, fn.logicalId() + "." + event.name() + " delivers " + expected.getSimpleName());
      }
      // The handler's source lives in the module the function deploys (CodeUri), not somewhere else.
      Path source = root.resolve(fn.codeUri()).resolve("src/main/java").resolve(className.replace('.', '/') + ".java");
      assertTrue(Files.isRegularFile(source), fn.logicalId() + ": " + source + " not found under its CodeUri");
      assertTrue(Files.isRegularFile(root.resolve(fn.codeUri()).resolve("pom.xml")), fn.logicalId() + ": CodeUri is no module");
    }
  }

  @Test
  void everyHandlerInTheCodeIsDeployedByTheTemplate() throws Exception {
    // The other way round from the test above: a handler no function names is dead code, or a
    // function the template lost.
    Set<String> named = new HashSet<>();
    template.functions().forEach(fn -> named.add(fn.handler().split("::")[0]));
    List<String> orphans = new ArrayList<>();
    try (var files = Files.walk(root.resolve("functions"))) {
      for (Path file : files.filter(f -> f.toString().endsWith("Handler.java") && f.toString().contains("src/main/java"))
          .toList()) {
        String text = Files.readString(file);
        boolean handler = text.contains("implements RequestHandler<") || text.contains("extends HttpHandler");
        boolean concrete = !text.contains("abstract class");
        String className = root.resolve("functions").relativize(file).toString()
            .replaceFirst("^[^/]+/src/main/java/", "").replace(".java", "").replace('/', '.');
        if (handler && concrete && !named.contains(className)) {
          orphans.add(className);
        }
      }
    }
    assertEquals(List.of(), orphans, "handlers that no function in template.yaml deploys");
  }

  @Test
  void everyLambdaAuthorizerIsAFunctionThatTakesAuthorizerEvents() {
    int authorizers = 0;
    for (SamTemplate.Resource api : template.resources().values()) {
      if (!api.type().equals("AWS::Serverless::HttpApi")) {
        continue;
      }
      for (Object config : map(map(api.properties().get("Auth")).get("Authorizers")).values()) {
        Object target = SamTemplate.list(map(map(config).get("FunctionArn")).get("Fn::GetAtt")).get(0);
        SamTemplate.Function fn = template.functions().stream().filter(f -> f.logicalId().equals(target))
            .findFirst().orElseThrow(() -> new AssertionError("authorizer function " + target + " is not in the template"));
        try {
          assertEquals(com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent.class,
              LocalFunction.inputType(Class.forName(fn.handler().split("::")[0])), fn.logicalId());
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
        authorizers++;
      }
    }
    assertTrue(authorizers > 0, "the partner API needs its authorizer");
  }

  @Test
  void everyRouteIsUniqueAndServedByAnApiInTheTemplate() {
    Set<String> routes = new HashSet<>();
    for (SamTemplate.Function fn : template.functions()) {
      for (SamTemplate.Event event : fn.events().values()) {
        if (event.type().equals("HttpApi")) {
          String route = event.string("Method", "") + " " + event.string("Path", "");
          assertTrue(routes.add(route), "route twice: " + route);
          String api = map(event.properties().get("ApiId")).get("Ref").toString();
          assertEquals("AWS::Serverless::HttpApi", template.resource(api).type());
        }
      }
    }
    assertTrue(routes.containsAll(Set.of("POST /registrations/guests", "POST /registrations/hosts",
        "GET /registrations/{id}", "GET /admin/regions", "POST /admin/hosts/{id}/screening",
        "GET /admin/matching/{region}")), routes.toString());
  }

  @Test
  void everyTableTheCodeNamesIsATableOfTheTemplate() {
    Map<String, Object> globals = map(map(map(map(template.document().get("Globals")).get("Function"))
        .get("Environment")).get("Variables"));
    for (String variable : Tables.VARIABLES) {
      Object ref = map(globals.get(variable)).get("Ref");
      assertNotNull(ref, variable + " is not given to the functions as !Ref to a table");
      assertEquals("AWS::DynamoDB::Table", template.resource(ref.toString()).type(), variable);
    }
    // And no table sits in the template unused by the code.
    Set<Object> referenced = new HashSet<>();
    Tables.VARIABLES.forEach(v -> referenced.add(map(globals.get(v)).get("Ref")));
    for (SamTemplate.Resource table : template.tables()) {
      assertTrue(referenced.contains(table.logicalId()), table.logicalId() + " is defined but no code reads it");
    }
  }

  @Test
  void everyReferencePointsAtSomethingThatExists() {
    Set<String> names = new HashSet<>(template.resources().keySet());
    names.addAll(map(template.document().get("Parameters")).keySet());
    names.addAll(PSEUDO_PARAMETERS);
    List<String> dangling = new ArrayList<>();
    walk(template.document(), names, dangling);
    assertEquals(List.of(), dangling);
  }

  private static void walk(Object node, Set<String> names, List<String> dangling) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        if ("Ref".equals(k) && !names.contains(v.toString())) {
          dangling.add("Ref " + v);
        } else if ("Fn::GetAtt".equals(k) && !names.contains(list(v).get(0).toString())) {
          dangling.add("GetAtt " + v);
        } else if ("Fn::Sub".equals(k) && v instanceof String s) {
          java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\$\\{([^}.!]+)").matcher(s);
          while (matcher.find()) {
            if (!names.contains(matcher.group(1))) {
              dangling.add("Sub ${" + matcher.group(1) + "}");
            }
          }
        }
        walk(v, names, dangling);
      });
    } else if (node instanceof List<?> l) {
      l.forEach(v -> walk(v, names, dangling));
    }
  }

  @Test
  void everyStreamMappingHasARetryLimitAndSomewhereForFailuresToGo() {
    int mappings = 0;
    for (SamTemplate.Function fn : template.functions()) {
      for (SamTemplate.Event event : fn.events().values()) {
        if (!event.type().equals("DynamoDB")) {
          continue;
        }
        mappings++;
        String where = fn.logicalId() + "." + event.name();
        assertTrue(list(event.properties().get("FunctionResponseTypes")).contains("ReportBatchItemFailures"), where);
        assertEquals(true, event.properties().get("BisectBatchOnFunctionError"), where);
        int retries = event.integer("MaximumRetryAttempts", -1);
        assertTrue(retries >= 0 && retries <= 10, where + ": MaximumRetryAttempts must be set (one poison record "
            + "would otherwise block its shard for 24 hours)");
        Object destination = map(map(map(event.properties().get("DestinationConfig")).get("OnFailure")))
            .get("Destination");
        assertNotNull(destination, where + ": no on-failure destination");
        String queue = list(map(destination).get("Fn::GetAtt")).get(0).toString();
        assertEquals("AWS::SQS::Queue", template.resource(queue).type(), where);
        Object stream = map(event.properties().get("Stream")).get("Fn::GetAtt");
        String table = list(stream).get(0).toString();
        assertNotNull(map(template.resource(table).properties().get("StreamSpecification")).get("StreamViewType"),
            where + ": " + table + " has no stream");
      }
    }
    assertTrue(mappings > 0);
  }

  @Test
  void theTemplateIsValidAgainstTheOfficialSamSchema() throws Exception {
    Path schemaFile = root.resolve("../shared/schemas/sam.schema.json").normalize();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(Files.isRegularFile(schemaFile), "CI must have the SAM schema at " + schemaFile);
    }
    Assumptions.assumeTrue(Files.isRegularFile(schemaFile),
        "the SAM schema is not beside this checkout (expected " + schemaFile + "); CI provides it");
    JsonNode schemaNode = Json.mapper().readTree(schemaFile.toFile());
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schemaNode);
    JsonNode templateNode = Json.mapper().valueToTree(template.document());
    Set<ValidationMessage> errors = schema.validate(templateNode);
    if (!errors.isEmpty()) {
      fail("template.yaml does not match the SAM schema:\n" + String.join("\n",
          errors.stream().map(ValidationMessage::getMessage).limit(30).toList()));
    }
  }

  @Test
  void theSchemaCheckCatchesAMisspeltProperty() throws Exception {
    Path schemaFile = root.resolve("../shared/schemas/sam.schema.json").normalize();
    Assumptions.assumeTrue(Files.isRegularFile(schemaFile), "the SAM schema is not beside this checkout");
    JsonNode schemaNode = Json.mapper().readTree(schemaFile.toFile());
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schemaNode);
    com.fasterxml.jackson.databind.node.ObjectNode broken = Json.mapper().valueToTree(template.document());
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("Resources").get("RegisterGuestFunction")
        .get("Properties")).put("Handlr", "x");
    assertFalse(schema.validate(broken).isEmpty(), "a misspelt property must fail validation");
  }

  // ------------------------------------------------------------------ what protects the people in the tables

  /** The actions of the SAM policy templates the template uses on tables. */
  private static final Map<String, Set<String>> POLICY_TEMPLATES = Map.of(
      "DynamoDBCrudPolicy", Set.of("dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan",
          "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem",
          "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"),
      "DynamoDBReadPolicy", Set.of("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
          "dynamodb:DescribeTable"),
      "DynamoDBWritePolicy", Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"));

  @Test
  void theTablesKeysAndPoliciesProtectWhatTheyHold() {
    assertEquals(List.of(), safetyProblems(template));
  }

  /**
   * A flood on the public routes cannot take the capacity the chain runs on: the stream readers and webhook
   * delivery reserve theirs, each public function is capped, and at the defaults the account (1,000 by default)
   * keeps at least the 100 unreserved that Lambda demands.
   */
  @Test
  void theStreamAndWebhookFunctionsKeepCapacityAndThePublicOnesAreCapped() {
    Map<String, Object> parameters = map(template.document().get("Parameters"));
    int reserved = 0;
    for (SamTemplate.Function fn : template.functions()) {
      boolean isPublic = fn.events().values().stream().anyMatch(e -> e.type().equals("HttpApi")
          && map(e.properties().get("Auth")).get("Authorizer") == null);
      boolean mustReserve = isPublic || fn.events().values().stream()
          .anyMatch(e -> e.type().equals("DynamoDB") || e.type().equals("SQS"));
      Object setting = fn.properties().get("ReservedConcurrentExecutions");
      if (!mustReserve) {
        continue;
      }
      assertNotNull(setting, fn.logicalId() + " reserves no concurrency");
      List<Object> choice = list(map(setting).get("Fn::If"));
      assertEquals(3, choice.size(), fn.logicalId() + ": !If [condition, !Ref parameter, !Ref AWS::NoValue]");
      assertEquals("AWS::NoValue", map(choice.get(2)).get("Ref"), fn.logicalId() + ": 0 reserves none");
      String parameter = map(choice.get(1)).get("Ref").toString();
      int value = Integer.parseInt(map(parameters.get(parameter)).get("Default").toString());
      assertTrue(value > 0, parameter + " reserves something by default");
      reserved += value;
      for (SamTemplate.Event e : fn.events().values()) {
        Object maximum = map(e.properties().get("ScalingConfig")).get("MaximumConcurrency");
        if (e.type().equals("SQS")) {
          assertNotNull(maximum, fn.logicalId() + ": its queue's pollers are bounded");
          assertTrue(Integer.parseInt(maximum.toString()) <= value,
              fn.logicalId() + ": the pollers may not take more than the function may run");
        }
      }
    }
    assertTrue(reserved > 0 && reserved <= 900, "reserved at the defaults: " + reserved);
  }

  /** The registration status function's policies, as the template has them (a public function). */
  private static final String STATUS_POLICIES = "      Handler: nl.onderdak.registration.RegistrationStatusHandler"
      + "::handleRequest\n      ReservedConcurrentExecutions: !If [CapsPublicFunctions, !Ref PublicFunctionConcurrency, "
      + "!Ref AWS::NoValue]\n      Environment:\n        Variables:\n          EDGE_ORIGIN_SECRET: !Ref EdgeOriginSecret\n"
      + "      LoggingConfig:\n        LogGroup: !Ref RegistrationStatusFunctionLogs\n      Policies:\n"
      + "        - DynamoDBReadPolicy:\n            TableName: !Ref CasesTable\n";

  @Test
  void theSafetyCheckFindsEachWeakening() throws Exception {
    String text = Files.readString(template.file());
    Map<String, String> weakenings = Map.of(
        "a table without deletion protection", text.replaceFirst("      DeletionProtectionEnabled: true\n", ""),
        "personal data under the AWS managed key", text.replace("        KMSMasterKeyId: !Ref PersonalDataKey\n", ""),
        "the alarm topic under alias/aws/sns", text.replace("KmsMasterKeyId: !Ref AlarmTopicKey",
            "KmsMasterKeyId: alias/aws/sns"),
        "a key CloudWatch may not use", text.replace("              Service: cloudwatch.amazonaws.com",
            "              Service: sns.amazonaws.com"),
        "a public function that may scan personal data", text.replace(STATUS_POLICIES, STATUS_POLICIES
            + "        - DynamoDBReadPolicy:\n            TableName: !Ref PersonalDataTable\n"),
        "a function reading personal data the key does not name", text.replace(STATUS_POLICIES, STATUS_POLICIES
            + "        - Statement:\n            - Effect: Allow\n              Action: dynamodb:GetItem\n"
            + "              Resource: !GetAtt PersonalDataTable.Arn\n"));
    Path dir = Files.createTempDirectory("weakened");
    for (Map.Entry<String, String> w : weakenings.entrySet()) {
      assertFalse(w.getValue().equals(text), "the weakening did not apply: " + w.getKey());
      Path file = dir.resolve("template.yaml");
      Files.writeString(file, w.getValue());
      assertFalse(safetyProblems(SamTemplate.load(file)).isEmpty(), "not caught: " + w.getKey());
    }
  }

  /**
   * Every table has deletion protection; the personal-data and partners tables (as the functions' variables name
   * them) are under a rotated key of the template whose use is limited to the functions whose policies name the
   * table; every topic an alarm tells is under a key of the template that lets CloudWatch publish; no public
   * function (a route without an authorizer) may scan or delete personal data.
   */
  static List<String> safetyProblems(SamTemplate t) {
    List<String> problems = new ArrayList<>();
    for (SamTemplate.Resource table : t.resourcesOfType("AWS::DynamoDB::Table")) {
      if (!Boolean.TRUE.equals(table.properties().get("DeletionProtectionEnabled"))) {
        problems.add(table.logicalId() + " has no deletion protection");
      }
    }
    Map<String, Object> globals = map(map(map(t.document().get("Globals")).get("Function")).get("Environment"));
    Map<String, Object> variables = map(globals.get("Variables"));
    String personal = refOf(variables.get(Tables.PERSONAL_DATA));
    String partners = refOf(variables.get(Tables.PARTNERS));
    for (String table : List.of(personal, partners)) {
      Map<String, Object> sse = map(t.resource(table).properties().get("SSESpecification"));
      String key = refOf(sse.get("KMSMasterKeyId"));
      if (key == null || !t.resources().containsKey(key) || !t.resource(key).type().equals("AWS::KMS::Key")) {
        problems.add(table + " is not under a customer-managed key of the template");
        continue;
      }
      if (!Boolean.TRUE.equals(t.resource(key).properties().get("EnableKeyRotation"))) {
        problems.add(key + " is not rotated");
      }
      Set<String> named = new java.util.TreeSet<>();
      Set<String> users = new java.util.TreeSet<>();
      for (Object st : list(map(t.resource(key).properties().get("KeyPolicy")).get("Statement"))) {
        Map<String, Object> statement = map(st);
        Object arns = map(map(statement.get("Condition")).get("ArnLike")).get("aws:PrincipalArn");
        for (Object arn : list(arns)) {
          var m = java.util.regex.Pattern.compile("\\$\\{AWS::StackName}-(\\w+)Role-\\*").matcher(
              String.valueOf(map(arn).get("Fn::Sub")));
          if (m.find()) {
            named.add(m.group(1));
          }
        }
        if ("*".equals(map(statement.get("Principal")).get("AWS")) && arns == null) {
          problems.add(key + " lets any principal use it");
        }
      }
      for (SamTemplate.Function fn : t.functions()) {
        if (Json.write(Json.mapper().valueToTree(fn.properties().get("Policies"))).contains("\"" + table + "\"")) {
          users.add(fn.logicalId());
        }
      }
      if (!named.equals(users)) {
        problems.add(key + " names " + named + " but the functions with policies on " + table + " are " + users);
      }
    }
    for (SamTemplate.Resource alarm : t.resourcesOfType("AWS::CloudWatch::Alarm")) {
      for (Object action : list(alarm.properties().get("AlarmActions"))) {
        String topic = refOf(action);
        if (topic == null || !t.resource(topic).type().equals("AWS::SNS::Topic")) {
          continue;
        }
        String key = refOf(t.resource(topic).properties().get("KmsMasterKeyId"));
        if (key == null || !t.resources().containsKey(key)) {
          problems.add(topic + " (told by " + alarm.logicalId() + ") is not under a key of the template that "
              + "CloudWatch may use");
        } else if (!letsCloudWatchPublish(t.resource(key))) {
          problems.add(key + " (of " + topic + ") does not let CloudWatch alarms publish");
        }
      }
    }
    for (SamTemplate.Function fn : t.functions()) {
      boolean isPublic = fn.events().values().stream().anyMatch(e -> e.type().equals("HttpApi")
          && map(e.properties().get("Auth")).get("Authorizer") == null);
      if (isPublic) {
        Set<String> granted = actionsOn(fn, personal);
        for (String forbidden : List.of("dynamodb:Scan", "dynamodb:DeleteItem")) {
          if (granted.contains(forbidden) || granted.contains("dynamodb:*")) {
            problems.add("public " + fn.logicalId() + " may " + forbidden + " on " + personal);
          }
        }
      }
    }
    return problems;
  }

  private static boolean letsCloudWatchPublish(SamTemplate.Resource key) {
    for (Object st : list(map(key.properties().get("KeyPolicy")).get("Statement"))) {
      Map<String, Object> statement = map(st);
      Object service = map(statement.get("Principal")).get("Service");
      List<Object> services = service instanceof List<?> ? list(service) : service == null ? List.of() : List.of(service);
      Set<String> a = actions(statement.get("Action"));
      if ("Allow".equals(statement.get("Effect")) && services.contains("cloudwatch.amazonaws.com")
          && (a.contains("kms:Decrypt") || a.contains("kms:*"))
          && (a.contains("kms:GenerateDataKey*") || a.contains("kms:GenerateDataKey") || a.contains("kms:*"))) {
        return true;
      }
    }
    return false;
  }

  /** The DynamoDB actions a function's policies grant on a table (policy templates and statements). */
  private static Set<String> actionsOn(SamTemplate.Function fn, String table) {
    Set<String> out = new HashSet<>();
    for (Object p : list(fn.properties().get("Policies"))) {
      Map<String, Object> policy = map(p);
      policy.forEach((name, value) -> {
        if (POLICY_TEMPLATES.containsKey(name) && table.equals(refOf(map(value).get("TableName")))) {
          out.addAll(POLICY_TEMPLATES.get(name));
        }
      });
      for (Object st : list(policy.get("Statement"))) {
        Map<String, Object> statement = map(st);
        if (Json.write(Json.mapper().valueToTree(statement.get("Resource"))).contains("\"" + table)) {
          out.addAll(actions(statement.get("Action")));
        }
      }
    }
    return out;
  }

  private static Set<String> actions(Object action) {
    Set<String> out = new HashSet<>();
    (action instanceof List<?> ? list(action) : List.<Object>of(String.valueOf(action)))
        .forEach(x -> out.add(String.valueOf(x)));
    return out;
  }

  /** The logical id a {@code Ref} or {@code Fn::GetAtt} names, or null. */
  private static String refOf(Object value) {
    Map<String, Object> m = map(value);
    if (m.get("Ref") != null) {
      return m.get("Ref").toString();
    }
    if (m.get("Fn::GetAtt") != null) {
      return String.valueOf(list(m.get("Fn::GetAtt")).get(0));
    }
    return null;
  }
}
