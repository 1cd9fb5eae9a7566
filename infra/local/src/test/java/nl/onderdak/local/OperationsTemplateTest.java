package nl.onderdak.local;

import static nl.onderdak.infra.template.SamTemplate.list;
import static nl.onderdak.infra.template.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.onderdak.core.json.Json;
import nl.onderdak.function.Emf;
import nl.onderdak.function.Metric;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operations part of template.yaml points only at real things: every dashboard widget and alarm at a
 * metric the code emits (the catalogue, which {@link ObservabilityEndToEndTest} proves is emitted) or at a
 * resource of the template, every log widget and saved query at the functions' log groups, and
 * docs/operations.md explains every metric and every alarm.
 */
@Tag("fast")
class OperationsTemplateTest {
  private static final Pattern REF = Pattern.compile("«([A-Za-z0-9]+)(?:\\.([A-Za-z]+))?»");
  private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{([^}]*)\\}\\s+MetricName=\"([A-Za-z]+)\"");
  private static final Pattern SOURCE = Pattern.compile("SOURCE '([^']+)'");
  /** A function's log group: apart from Lambda's default /aws/lambda/..., which Lambda may have made already. */
  private static final Pattern LOG_GROUP = Pattern.compile("^/onderdak/\\$\\{AWS::StackName}/([A-Za-z0-9]+)$");
  private final SamTemplate template = SamTemplate.load(SamTemplate.locateFile());
  private final Map<String, Metric> catalogue = new HashMap<>();

  OperationsTemplateTest() {
    for (Metric m : Metric.values()) {
      catalogue.put(m.metricName, m);
    }
  }

  private Set<String> ofType(String type) {
    Set<String> out = new TreeSet<>();
    template.resourcesOfType(type).forEach(r -> out.add(r.logicalId()));
    return out;
  }

  @Test
  void everyFunctionLogsToItsOwnLogGroupWithRetention() {
    Set<String> functions = ofType("AWS::Serverless::Function");
    Set<String> logged = new TreeSet<>();
    template.resourcesOfType("AWS::Logs::LogGroup").forEach(r -> {
      String name = map(r.properties().get("LogGroupName")).get("Fn::Sub").toString();
      Matcher m = LOG_GROUP.matcher(name);
      assertTrue(m.matches(), name);
      assertEquals(m.group(1) + "Logs", r.logicalId());
      assertTrue(r.properties().containsKey("RetentionInDays"), r.logicalId() + " keeps logs forever");
      logged.add(m.group(1));
    });
    assertEquals(functions, logged);
    for (SamTemplate.Function fn : template.functions()) {
      Object logGroup = map(fn.properties().get("LoggingConfig")).get("LogGroup");
      assertEquals(Map.of("Ref", fn.logicalId() + "Logs"), logGroup, fn.logicalId() + " logs elsewhere");
    }
  }

  @Test
  void everyDashboardWidgetPointsAtSomethingThatExists() {
    List<String> problems = new ArrayList<>();
    int widgets = 0;
    for (SamTemplate.Resource dashboard : template.resourcesOfType("AWS::CloudWatch::Dashboard")) {
      String body = map(dashboard.properties().get("DashboardBody")).get("Fn::Sub").toString()
          .replaceAll("\\$\\{AWS::Region}", "eu-west-1")
          .replaceAll("\\$\\{([A-Za-z0-9.:]+)}", "«$1»");
      JsonNode root = Json.parse(body);
      for (JsonNode widget : root.get("widgets")) {
        widgets++;
        JsonNode p = widget.get("properties");
        switch (widget.get("type").asText()) {
          case "metric" -> p.get("metrics").forEach(entry -> checkMetric(dashboard.logicalId(), entry, problems));
          case "alarm" -> p.get("alarms").forEach(a -> checkRef(a.asText(), "AWS::CloudWatch::Alarm", "Arn", problems));
          case "log" -> checkSources(p.get("query").asText(), problems);
          case "text" -> assertFalse(p.get("markdown").asText().isBlank());
          default -> problems.add("unknown widget type " + widget.get("type"));
        }
      }
    }
    assertTrue(widgets >= 20, "expected two full dashboards, found " + widgets + " widgets");
    assertEquals(List.of(), problems);
  }

  private void checkMetric(String dashboard, JsonNode entry, List<String> problems) {
    if (entry.get(0).isObject()) {
      String expression = entry.get(0).get("expression").asText();
      Matcher search = SEARCH.matcher(expression);
      while (search.find()) {
        List<String> parts = List.of(search.group(1).split(","));
        Metric metric = catalogue.get(search.group(2));
        if (!Emf.NAMESPACE.equals(parts.get(0)) || metric == null
            || !metric.dimensions.equals(parts.subList(1, parts.size()))) {
          problems.add(dashboard + ": SEARCH for something not emitted: " + search.group());
        }
      }
      return;
    }
    String namespace = entry.get(0).asText();
    String name = entry.get(1).asText();
    List<String> dimensions = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    for (int i = 2; i + 1 < entry.size() && entry.get(i).isTextual(); i += 2) {
      dimensions.add(entry.get(i).asText());
      values.put(entry.get(i).asText(), entry.get(i + 1).asText());
    }
    switch (namespace) {
      case Emf.NAMESPACE -> {
        Metric metric = catalogue.get(name);
        if (metric == null || !metric.dimensions.equals(dimensions)) {
          problems.add(dashboard + ": " + name + " " + dimensions + " is not emitted like that");
        }
      }
      case "AWS/Lambda" -> checkRef(values.get("FunctionName"), "AWS::Serverless::Function", null, problems);
      case "AWS/SQS" -> checkRef(values.get("QueueName"), "AWS::SQS::Queue", "QueueName", problems);
      case "AWS/ApiGateway" -> checkRef(values.get("ApiId"), "AWS::Serverless::HttpApi", null, problems);
      default -> problems.add(dashboard + ": unexpected namespace " + namespace);
    }
  }

  private void checkRef(String value, String type, String attribute, List<String> problems) {
    Matcher m = value == null ? null : REF.matcher(value);
    if (m == null || !m.matches() || !ofType(type).contains(m.group(1))
        || (attribute == null ? m.group(2) != null : !attribute.equals(m.group(2)))) {
      problems.add(value + " is not a " + type + (attribute == null ? "" : "." + attribute) + " of the template");
    }
  }

  private void checkSources(String query, List<String> problems) {
    Matcher m = SOURCE.matcher(query);
    int sources = 0;
    while (m.find()) {
      sources++;
      Matcher fn = Pattern.compile("^/onderdak/«AWS::StackName»/([A-Za-z0-9]+)$").matcher(m.group(1));
      if (!fn.matches() || !ofType("AWS::Serverless::Function").contains(fn.group(1))) {
        problems.add("log widget reads " + m.group(1) + ", not a function's log group");
      }
    }
    if (sources == 0) {
      problems.add("log widget without SOURCE: " + query);
    }
  }

  @Test
  void everyAlarmWatchesSomethingRealAndTellsTheOperators() {
    List<String> problems = new ArrayList<>();
    for (SamTemplate.Resource alarm : template.resourcesOfType("AWS::CloudWatch::Alarm")) {
      Map<String, Object> p = alarm.properties();
      assertEquals(Map.of("Ref", "OperatorAlarmsTopic"), list(p.get("AlarmActions")).get(0), alarm.logicalId());
      List<Map<String, Object>> watched = new ArrayList<>();
      if (p.containsKey("MetricName")) {
        watched.add(p);
      }
      for (Object m : list(p.get("Metrics"))) {
        Map<String, Object> stat = map(map(m).get("MetricStat"));
        if (!stat.isEmpty()) {
          watched.add(map(stat.get("Metric")));
        }
      }
      assertFalse(watched.isEmpty(), alarm.logicalId() + " watches nothing");
      for (Map<String, Object> metric : watched) {
        String namespace = metric.get("Namespace").toString();
        String name = metric.get("MetricName").toString();
        Map<String, Object> dims = new HashMap<>();
        list(metric.get("Dimensions")).forEach(d -> dims.put(map(d).get("Name").toString(), map(d).get("Value")));
        switch (namespace) {
          case Emf.NAMESPACE -> {
            Metric known = catalogue.get(name);
            if (known == null || !new HashSet<>(known.dimensions).equals(dims.keySet())) {
              problems.add(alarm.logicalId() + ": " + name + " " + dims.keySet() + " is not emitted");
            }
          }
          case "AWS/Lambda" -> refTo(alarm, dims.get("FunctionName"), "AWS::Serverless::Function", problems);
          case "AWS/SQS" -> refTo(alarm, dims.get("QueueName"), "AWS::SQS::Queue", problems);
          case "AWS/ApiGateway" -> refTo(alarm, dims.get("ApiId"), "AWS::Serverless::HttpApi", problems);
          default -> problems.add(alarm.logicalId() + ": unexpected namespace " + namespace);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  private void refTo(SamTemplate.Resource alarm, Object value, String type, List<String> problems) {
    Map<String, Object> ref = map(value);
    Object target = ref.containsKey("Ref") ? ref.get("Ref") : list(ref.get("Fn::GetAtt")).isEmpty() ? null
        : list(ref.get("Fn::GetAtt")).get(0);
    if (target == null || !ofType(type).contains(target.toString())) {
      problems.add(alarm.logicalId() + " watches " + value + ", not a " + type);
    }
  }

  @Test
  void everySavedQueryReadsEveryFunctionsLogGroup() {
    Set<String> groups = ofType("AWS::Logs::LogGroup");
    List<SamTemplate.Resource> queries = template.resourcesOfType("AWS::Logs::QueryDefinition");
    assertEquals(4, queries.size());
    for (SamTemplate.Resource q : queries) {
      Set<String> read = new TreeSet<>();
      list(q.properties().get("LogGroupNames")).forEach(g -> read.add(map(g).get("Ref").toString()));
      assertEquals(groups, read, q.logicalId());
      assertFalse(q.properties().get("QueryString").toString().isBlank());
    }
  }

  @Test
  void theOperationsGuideExplainsEveryMetricAndHasARunbookForEveryAlarm() throws Exception {
    String guide = Files.readString(template.file().getParent().resolve("docs/operations.md"));
    for (Metric m : Metric.values()) {
      assertTrue(guide.contains("| `" + m.metricName + "` |"), m.metricName + " is not in docs/operations.md");
    }
    for (String alarm : ofType("AWS::CloudWatch::Alarm")) {
      assertTrue(guide.contains("### " + alarm + "\n"), "no runbook for " + alarm);
    }
  }
}
