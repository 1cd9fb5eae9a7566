package nl.onderdak.infra.dynamodb;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import nl.onderdak.infra.template.SamTemplate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one place every storage test gets its DynamoDB from: an engine started once per test JVM
 * with the template's tables created in it. Which engine is chosen by {@code -Donderdak.dynamodb}:
 * {@code embedded} (DynamoDB Local in-process, the default) or {@code localstack} (the opt-in Maven
 * profile). Tests keep their data apart by using fresh ids, never by mocking the engine.
 */
public final class DynamoDbFixture {
  public static final String BACKEND_PROPERTY = "onderdak.dynamodb";
  private static DynamoDbFixture shared;

  private final URI endpoint;
  private final DynamoDbClient client;
  private final SamTemplate template;

  private DynamoDbFixture(URI endpoint) {
    this.endpoint = endpoint;
    this.client = EmbeddedDynamoDb.client(endpoint);
    this.template = SamTemplate.locate();
    new TableProvisioner(template, client).provision();
  }

  /**
   * The fixture of this JVM, started on first use. Throws {@link DynamoDbBackend.BackendUnavailableException}
   * when the chosen engine cannot run here; tests turn that into a skip with its message.
   */
  public static synchronized DynamoDbFixture shared() {
    if (shared == null) {
      shared = new DynamoDbFixture(startBackend(System.getProperty(BACKEND_PROPERTY, "embedded")));
    }
    return shared;
  }

  private static URI startBackend(String name) {
    if (name.equals("embedded")) {
      EmbeddedDynamoDb engine = EmbeddedDynamoDb.startInMemory();
      // Stopped when the test JVM ends; Surefire ends its forked JVM with System.exit.
      Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "dynamodb-local-stop"));
      return engine.endpoint();
    }
    for (DynamoDbBackend backend : ServiceLoader.load(DynamoDbBackend.class)) {
      if (backend.name().equals(name)) {
        return backend.start();
      }
    }
    throw new IllegalStateException("no DynamoDB backend named '" + name + "' on the test classpath");
  }

  public URI endpoint() {
    return endpoint;
  }

  public DynamoDbClient client() {
    return client;
  }

  public SamTemplate template() {
    return template;
  }

  /**
   * The environment a function gets in AWS, as far as storage goes: every {@code Globals.Function}
   * variable that the template sets to {@code !Ref SomeTable} (with the table's physical name here),
   * every variable with a plain value, plus the endpoint of this engine. Handlers built with it are
   * wired exactly as the template wires them.
   */
  public Map<String, String> functionEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Object> variables = SamTemplate.map(SamTemplate.map(SamTemplate.map(
        SamTemplate.map(template.document().get("Globals")).get("Function")).get("Environment")).get("Variables"));
    Map<String, Object> parameters = SamTemplate.map(template.document().get("Parameters"));
    variables.forEach((name, value) -> {
      Object ref = SamTemplate.map(value).get("Ref");
      if (value instanceof String || value instanceof Number) {
        env.put(name, value.toString());
      } else if (ref != null && parameters.containsKey(ref.toString())) {
        env.put(name, String.valueOf(SamTemplate.map(parameters.get(ref.toString())).get("Default")));
      } else if (ref != null && template.resource(ref.toString()).type().equals("AWS::DynamoDB::Table")) {
        env.put(name, template.physicalName(ref.toString()));
      }
    });
    env.put("DYNAMODB_ENDPOINT", endpoint.toString());
    env.put("AWS_REGION", EmbeddedDynamoDb.REGION.id());
    return env;
  }

  /** The physical name of a table declared in the template, by logical id. */
  public String tableName(String logicalId) {
    return template.physicalName(logicalId);
  }
}
