package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The template's alarms as the local runtime evaluates them: from the template's own definitions (names,
 * metrics, dimensions, thresholds, periods, metric math), on data points with their times, as CloudWatch would.
 * No store and no runtime: the metrics are put by the test at chosen minutes.
 */
@Tag("fast")
class LocalAlarmsTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load(SamTemplate.locateFile());
  private static final LocalAlarms ALARMS = LocalAlarms.of(TEMPLATE, new Intrinsics(TEMPLATE, Map.of()));
  /** A minute boundary, so that "minute k" below is exactly one data point. */
  private static final long T0 = 1_780_000_000_000L / 60_000 * 60_000;

  private static long minute(int k) {
    return T0 + k * 60_000L;
  }

  private static String state(LocalMetrics metrics, String alarm, long now) {
    return ALARMS.evaluate(metrics, now).stream().filter(s -> s.name().equals(alarm)).findFirst().orElseThrow().state();
  }

  @Test
  void everyAlarmOfTheTemplateIsReadWithItsOwnThresholdAndDimensions() {
    Set<String> names = new TreeSet<>();
    TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm").forEach(r -> names.add(r.logicalId()));
    Set<String> read = new TreeSet<>();
    ALARMS.alarms().forEach(a -> read.add(a.name()));
    assertEquals(names, read);
    LocalAlarms.Alarm age = ALARMS.alarms().stream().filter(a -> a.name().equals("CaseEventsIteratorAgeAlarm"))
        .findFirst().orElseThrow();
    // "${IteratorAgeAlarmSeconds}000" with the parameter's default, the function's name as Ref gives it locally.
    assertEquals(300_000, age.threshold());
    assertEquals(Map.of("FunctionName", "CaseEventsFunction"), age.queries().get(0).dimensions());
    assertEquals(5, age.evaluationPeriods());
    assertEquals(3, age.datapointsToAlarm());
    // Nothing put yet: every alarm of the template treats missing data as not breaching.
    LocalMetrics empty = new LocalMetrics();
    ALARMS.evaluate(empty, minute(0)).forEach(s -> assertEquals("OK", s.state(), s.toString()));
  }

  @Test
  void aQueueAlarmFiresOnTheDepthItWatchesAndClearsWhenThePeriodHasPassed() {
    LocalMetrics m = new LocalMetrics();
    Map<String, String> deadLetters = Map.of("QueueName", TEMPLATE.physicalName("WebhookDeadLetterQueue"));
    m.put("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", deadLetters, 0, minute(0));
    assertEquals("OK", state(m, "WebhookDeadLetterAlarm", minute(0)));
    // Another queue's depth is not this alarm's.
    m.put("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", Map.of("QueueName", "other"), 7, minute(1));
    assertEquals("OK", state(m, "WebhookDeadLetterAlarm", minute(1)));
    m.put("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", deadLetters, 2, minute(1));
    assertEquals("ALARM", state(m, "WebhookDeadLetterAlarm", minute(1)));
    // Period 300 s, one period: the 2 still counts four minutes later, no longer once its period has passed.
    m.put("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", deadLetters, 0, minute(5));
    assertEquals("ALARM", state(m, "WebhookDeadLetterAlarm", minute(5)));
    m.put("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", deadLetters, 0, minute(6));
    assertEquals("OK", state(m, "WebhookDeadLetterAlarm", minute(6)));
  }

  @Test
  void iteratorAgeAlarmsWantThreeBreachingMinutesOfFive() {
    LocalMetrics m = new LocalMetrics();
    Map<String, String> caseEvents = Map.of("FunctionName", "CaseEventsFunction");
    m.put("AWS/Lambda", "IteratorAge", "Milliseconds", caseEvents, 400_000, minute(0));
    m.put("AWS/Lambda", "IteratorAge", "Milliseconds", caseEvents, 1_000, minute(1));
    m.put("AWS/Lambda", "IteratorAge", "Milliseconds", caseEvents, 400_000, minute(2));
    assertEquals("OK", state(m, "CaseEventsIteratorAgeAlarm", minute(2)), "two of five");
    assertEquals("OK", state(m, "MatchingIteratorAgeAlarm", minute(2)), "another function's age");
    // Maximum per minute: one old batch among young ones makes the minute breach.
    m.put("AWS/Lambda", "IteratorAge", "Milliseconds", caseEvents, 10, minute(3));
    m.put("AWS/Lambda", "IteratorAge", "Milliseconds", caseEvents, 300_001, minute(3));
    assertEquals("ALARM", state(m, "CaseEventsIteratorAgeAlarm", minute(3)));
    // Exactly at the threshold is not above it.
    m.put("AWS/Lambda", "IteratorAge", "Milliseconds", caseEvents, 300_000, minute(5));
    assertEquals("OK", state(m, "CaseEventsIteratorAgeAlarm", minute(6)), "minutes 2..6: two breaching, the threshold itself not");
  }

  @Test
  void theApiErrorRateIsMetricMathOverTwoMetricsWithAFloorOfTwentyRequests() {
    LocalMetrics m = new LocalMetrics();
    Map<String, String> api = Map.of("ApiId", "HttpApi");
    // Period 300 s, 2 of 3: minutes 0-4 are one period, 5-9 the next (counted back from the current minute).
    for (int i = 0; i < 19; i++) {
      request(m, api, 500, minute(5));
      request(m, api, 500, minute(10));
    }
    assertEquals("OK", state(m, "ApiErrorRateAlarm", minute(14)), "19 requests per period are too few to judge");
    LocalMetrics busy = new LocalMetrics();
    for (int i = 0; i < 100; i++) {
      request(busy, api, i < 2 ? 500 : 200, minute(5));
      request(busy, api, i < 1 ? 503 : 404, minute(10));
    }
    assertEquals("OK", state(busy, "ApiErrorRateAlarm", minute(14)), "2% then 1%: one period above 1%");
    for (int i = 0; i < 100; i++) {
      request(busy, api, i < 2 ? 500 : 201, minute(0));
    }
    assertEquals("ALARM", state(busy, "ApiErrorRateAlarm", minute(14)), "2%, 1%, 2%: two periods above 1%");
  }

  private static void request(LocalMetrics m, Map<String, String> api, int status, long at) {
    m.put("AWS/ApiGateway", "Count", "Count", api, 1, at);
    m.put("AWS/ApiGateway", "5xx", "Count", api, status >= 500 ? 1 : 0, at);
  }

  @Test
  void backgroundErrorsAddTheFunctionsTheTemplateNamesAndNoOthers() {
    LocalMetrics m = new LocalMetrics();
    for (String fn : List.of("MatchingFunction", "CaseEventsFunction", "WebhookDeliveryFunction")) {
      for (int period : List.of(0, 5)) {
        for (int i = 0; i < 30; i++) {
          m.put("AWS/Lambda", "Invocations", "Count", Map.of("FunctionName", fn), 1, minute(period));
          m.put("AWS/Lambda", "Errors", "Count", Map.of("FunctionName", fn), fn.startsWith("Webhook") && i < 5 ? 1 : 0,
              minute(period));
        }
      }
    }
    // 5 of 90 = 5.6% in two periods: above 5%.
    assertEquals("ALARM", state(m, "BackgroundErrorsAlarm", minute(9)));
    LocalMetrics api = new LocalMetrics();
    for (int period : List.of(0, 5)) {
      for (int i = 0; i < 30; i++) {
        api.put("AWS/Lambda", "Invocations", "Count", Map.of("FunctionName", "CaseEventsFunction"), 1, minute(period));
        api.put("AWS/Lambda", "Errors", "Count", Map.of("FunctionName", "CaseEventsFunction"), 0, minute(period));
        // An API function's failures are the API error rate's, not this alarm's.
        api.put("AWS/Lambda", "Errors", "Count", Map.of("FunctionName", "PartnerApiFunction"), 1, minute(period));
      }
    }
    assertEquals("OK", state(api, "BackgroundErrorsAlarm", minute(9)));
  }

  @Test
  void anEmfMetricWithoutDimensionsIsMatchedExactlyAsCloudWatchMatchesIt() {
    LocalMetrics m = new LocalMetrics();
    // A line with the metric under a dimension is another metric to CloudWatch: the alarm does not see it.
    m.accept(Json.write(emf("PartnerEndpointsDisabled", "Function")));
    assertEquals("OK", state(m, "PartnerEndpointDisabledAlarm", System.currentTimeMillis()));
    m.accept(Json.write(emf("PartnerEndpointsDisabled")));
    assertEquals("ALARM", state(m, "PartnerEndpointDisabledAlarm", System.currentTimeMillis()));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode emf(String metric, String... dimensions) {
    var line = Json.object();
    var directive = line.putObject("_aws").put("Timestamp", System.currentTimeMillis()).putArray("CloudWatchMetrics")
        .addObject().put("Namespace", "Onderdak");
    var set = directive.putArray("Dimensions").addArray();
    for (String d : dimensions) {
      set.add(d);
      line.put(d, "somewhere");
    }
    directive.putArray("Metrics").addObject().put("Name", metric).put("Unit", "Count");
    line.put(metric, 1);
    return line;
  }

  @Test
  void metricMathPropagatesMissingPointsAndRefusesWhatItDoesNotKnow() {
    MetricMath.Expression rate = MetricMath.parse("IF(requests >= 20, 100 * errors / requests, 0)");
    Map<String, Double> points = new HashMap<>();
    points.put("requests", 40.0);
    points.put("errors", 1.0);
    assertEquals(2.5, rate.value(points));
    points.put("requests", null);
    assertNull(rate.value(points), "no requests at all: no data point");
    MetricMath.Expression sum = MetricMath.parse("SUM([a, b, c]) - -1");
    points.put("a", 1.0);
    points.put("b", null);
    points.put("c", 2.5);
    assertEquals(4.5, sum.value(points), "SUM uses the points that are there");
    assertEquals(1.0, MetricMath.parse("a > 0 AND NOT (c < 1)").value(points));
    assertNull(MetricMath.parse("a / 0").value(points), "a point divided by zero is dropped");
    assertThrows(IllegalArgumentException.class, () -> MetricMath.parse("ANOMALY_DETECTION_BAND(a)"));
    assertThrows(IllegalArgumentException.class, () -> MetricMath.parse("IF(a, b"));
    assertEquals(List.of("requests", "errors", "requests"), MetricMath.ids("IF(requests >= 20, errors / requests, 0)"));
  }

  @Test
  void anAlarmTheRuntimeCannotEvaluateIsRefusedByName() {
    Map<String, Object> expression = Map.of("Metrics", List.of(
        Map.of("Id", "errors", "ReturnData", false, "MetricStat", Map.of("Metric", Map.of("Namespace", "AWS/Lambda",
            "MetricName", "Errors"), "Period", 300, "Stat", "Sum")),
        Map.of("Id", "rate", "Expression", "100 * errors / invocations")),
        "EvaluationPeriods", 1, "Threshold", 1, "ComparisonOperator", "GreaterThanThreshold");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalAlarms.alarm("Broken", expression, new Intrinsics(TEMPLATE, Map.of())));
    assertTrue(e.getMessage().contains("invocations"), e.getMessage());
    Map<String, Object> percentile = Map.of("Namespace", "AWS/Lambda", "MetricName", "Duration",
        "ExtendedStatistic", "p99", "Period", 60, "EvaluationPeriods", 1, "Threshold", 1,
        "ComparisonOperator", "GreaterThanThreshold");
    assertThrows(IllegalArgumentException.class,
        () -> LocalAlarms.alarm("Percentile", percentile, new Intrinsics(TEMPLATE, Map.of())));
  }
}
