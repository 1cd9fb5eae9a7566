package nl.onderdak.infra.template;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A read-only view of {@code template.yaml}: the single source of truth for tables, functions,
 * routes and stream mappings. The local runtime and the tests read the wiring from here; nothing
 * else names a table, route or mapping.
 */
public final class SamTemplate {
  public static final String TEMPLATE_PROPERTY = "onderdak.template";

  private final Path file;
  private final Map<String, Object> doc;

  private SamTemplate(Path file, Map<String, Object> doc) {
    this.file = file;
    this.doc = doc;
  }

  public static SamTemplate load(Path file) {
    // As CloudFormation hands it to SAM: the language extensions applied first.
    return new SamTemplate(file, LanguageExtensions.expand(CloudFormationYaml.load(file)));
  }

  /**
   * The project's template: the {@code onderdak.template} system property if set, else the first
   * {@code template.yaml} found from the working directory upwards (so it works from any module).
   */
  public static SamTemplate locate() {
    return load(locateFile());
  }

  public static Path locateFile() {
    String configured = System.getProperty(TEMPLATE_PROPERTY);
    if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured))) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("template.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("template.yaml not found from " + Path.of("").toAbsolutePath()
        + " upwards; set -D" + TEMPLATE_PROPERTY + "=<path>");
  }

  public Path file() {
    return file;
  }

  public Map<String, Object> document() {
    return Collections.unmodifiableMap(doc);
  }

  public Map<String, Resource> resources() {
    Map<String, Resource> out = new LinkedHashMap<>();
    map(doc.get("Resources")).forEach((id, body) -> out.put(id, new Resource(id, map(body))));
    return out;
  }

  public List<Resource> resourcesOfType(String type) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources().values()) {
      if (r.type().equals(type)) {
        out.add(r);
      }
    }
    return out;
  }

  public Resource resource(String logicalId) {
    Resource r = resources().get(logicalId);
    if (r == null) {
      throw new IllegalArgumentException("template has no resource " + logicalId);
    }
    return r;
  }

  public List<Resource> tables() {
    return resourcesOfType("AWS::DynamoDB::Table");
  }

  /** Every {@code AWS::Serverless::Function}, with the template's {@code Globals.Function} merged in. */
  public List<Function> functions() {
    Map<String, Object> globals = map(map(doc.get("Globals")).get("Function"));
    List<Function> out = new ArrayList<>();
    for (Resource r : resourcesOfType("AWS::Serverless::Function")) {
      out.add(new Function(r.logicalId(), mergeGlobals(globals, r.properties())));
    }
    return out;
  }

  /** Globals merge as SAM documents: maps merge key by key (the function wins), anything else is replaced. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mergeGlobals(Map<String, Object> globals, Map<String, Object> own) {
    Map<String, Object> merged = new LinkedHashMap<>(globals);
    own.forEach((key, value) -> {
      Object global = merged.get(key);
      if (global instanceof Map && value instanceof Map) {
        merged.put(key, mergeGlobals((Map<String, Object>) global, (Map<String, Object>) value));
      } else {
        merged.put(key, value);
      }
    });
    return merged;
  }

  /**
   * The physical name the local runtime gives a resource: its {@code TableName}/{@code QueueName}
   * if the template fixes one as a plain string, else its logical id. In AWS, CloudFormation names it.
   */
  public String physicalName(String logicalId) {
    Resource r = resource(logicalId);
    for (String prop : List.of("TableName", "QueueName", "TopicName")) {
      Object name = r.properties().get(prop);
      if (name instanceof String s) {
        return s;
      }
    }
    return logicalId;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Object o) {
    return o instanceof List ? (List<Object>) o : List.of();
  }

  public record Resource(String logicalId, Map<String, Object> body) {
    public String type() {
      return Objects.toString(body.get("Type"), "");
    }

    public Map<String, Object> properties() {
      return map(body.get("Properties"));
    }
  }

  /** A function resource with globals applied. */
  public record Function(String logicalId, Map<String, Object> properties) {
    public String handler() {
      return Objects.toString(properties.get("Handler"), "");
    }

    public String codeUri() {
      return Objects.toString(properties.get("CodeUri"), "");
    }

    public int timeoutSeconds() {
      Object t = properties.get("Timeout");
      return t instanceof Number n ? n.intValue() : 3;
    }

    public int memoryMb() {
      Object m = properties.get("MemorySize");
      return m instanceof Number n ? n.intValue() : 128;
    }

    public Map<String, Object> environment() {
      return map(map(properties.get("Environment")).get("Variables"));
    }

    public Map<String, Event> events() {
      Map<String, Event> out = new LinkedHashMap<>();
      map(properties.get("Events")).forEach((name, body) -> {
        Map<String, Object> e = map(body);
        out.put(name, new Event(name, Objects.toString(e.get("Type"), ""), map(e.get("Properties"))));
      });
      return out;
    }
  }

  public record Event(String name, String type, Map<String, Object> properties) {
    public String string(String key, String fallback) {
      Object v = properties.get(key);
      return v == null ? fallback : v.toString();
    }

    public int integer(String key, int fallback) {
      Object v = properties.get(key);
      return v instanceof Number n ? n.intValue() : fallback;
    }

    public boolean bool(String key, boolean fallback) {
      Object v = properties.get(key);
      return v instanceof Boolean b ? b : fallback;
    }
  }
}
