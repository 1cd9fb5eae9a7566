package nl.onderdak.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nl.onderdak.infra.template.SamTemplate;

/**
 * The template's CloudWatch alarms, evaluated locally on {@link LocalMetrics} the way CloudWatch evaluates them:
 * per alarm its metric (namespace, name, exact dimensions, statistic, period) or its metric-math queries, the
 * last {@code EvaluationPeriods} periods, {@code ALARM} when at least {@code DatapointsToAlarm} of them breach
 * the threshold, missing data treated as {@code TreatMissingData} says. Names, thresholds, dimensions and
 * expressions all come from the template (resolved as the local runtime resolves every reference); nothing
 * here knows what an alarm is for. An alarm this class cannot evaluate stops the runtime at start, naming it.
 *
 * <p>Periods end at the end of the current minute (data points are whole minutes). Locally the data begin when
 * the runtime started: before that, every period is missing.
 */
final class LocalAlarms {
  /** One metric query: a metric and statistic, or an expression over the other queries. */
  record Query(String id, String namespace, String metricName, Map<String, String> dimensions, String statistic,
      int periodSeconds, MetricMath.Expression expression, boolean returnData) {}

  record Alarm(String name, String description, List<Query> queries, double threshold, String comparison,
      int evaluationPeriods, int datapointsToAlarm, String treatMissingData) {
    int periodSeconds() {
      return queries.stream().filter(q -> q.expression() == null).mapToInt(Query::periodSeconds).max().orElse(60);
    }
  }

  /** An alarm's state now, with why, as the console shows it. */
  record State(String name, String state, String reason, String description) {}

  private static final List<String> COMPARISONS = List.of("GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
      "LessThanThreshold", "LessThanOrEqualToThreshold");

  private final List<Alarm> alarms;

  LocalAlarms(List<Alarm> alarms) {
    this.alarms = List.copyOf(alarms);
  }

  List<Alarm> alarms() {
    return alarms;
  }

  /** Every {@code AWS::CloudWatch::Alarm} of the template, read and checked. */
  static LocalAlarms of(SamTemplate template, Intrinsics intrinsics) {
    List<Alarm> out = new ArrayList<>();
    for (SamTemplate.Resource r : template.resourcesOfType("AWS::CloudWatch::Alarm")) {
      try {
        out.add(alarm(r.logicalId(), r.properties(), intrinsics));
      } catch (RuntimeException e) {
        throw new IllegalStateException("alarm " + r.logicalId() + ": the local runtime cannot evaluate it: "
            + e.getMessage(), e);
      }
    }
    return new LocalAlarms(out);
  }

  static Alarm alarm(String name, Map<String, Object> p, Intrinsics intrinsics) {
    List<Query> queries = new ArrayList<>();
    if (p.containsKey("Metrics")) {
      for (Object o : SamTemplate.list(p.get("Metrics"))) {
        Map<String, Object> q = SamTemplate.map(o);
        String id = q.get("Id").toString();
        boolean returned = !Boolean.FALSE.equals(q.get("ReturnData")) && !"false".equals(String.valueOf(q.get("ReturnData")));
        if (q.containsKey("Expression")) {
          String text = q.get("Expression").toString();
          queries.add(new Query(id, null, null, Map.of(), null, 0, MetricMath.parse(text), returned));
        } else {
          Map<String, Object> stat = SamTemplate.map(q.get("MetricStat"));
          Map<String, Object> metric = SamTemplate.map(stat.get("Metric"));
          queries.add(new Query(id, string(metric, "Namespace", intrinsics), string(metric, "MetricName", intrinsics),
              dimensions(metric.get("Dimensions"), intrinsics), string(stat, "Stat", intrinsics),
              Integer.parseInt(string(stat, "Period", intrinsics)), null, returned));
        }
      }
      List<String> ids = queries.stream().map(Query::id).toList();
      for (Query q : queries) {
        if (q.expression() != null) {
          String text = SamTemplate.list(p.get("Metrics")).stream().map(SamTemplate::map)
              .filter(m -> q.id().equals(m.get("Id"))).findFirst().orElseThrow().get("Expression").toString();
          for (String used : MetricMath.ids(text)) {
            if (!ids.contains(used)) {
              throw new IllegalArgumentException("the expression of " + q.id() + " names " + used
                  + ", which is not one of its queries " + ids);
            }
          }
        }
      }
      if (queries.stream().filter(Query::returnData).count() != 1) {
        throw new IllegalArgumentException("an alarm's metric math returns exactly one query");
      }
    } else {
      if (p.containsKey("ExtendedStatistic")) {
        throw new IllegalArgumentException("percentile statistics (ExtendedStatistic) are not evaluated locally");
      }
      queries.add(new Query("m", string(p, "Namespace", intrinsics), string(p, "MetricName", intrinsics),
          dimensions(p.get("Dimensions"), intrinsics), string(p, "Statistic", intrinsics),
          Integer.parseInt(string(p, "Period", intrinsics)), null, true));
    }
    for (Query q : queries) {
      if (q.expression() == null && (q.periodSeconds() <= 0 || q.periodSeconds() % 60 != 0)) {
        throw new IllegalArgumentException("period " + q.periodSeconds() + " s: locally periods are whole minutes");
      }
    }
    String comparison = string(p, "ComparisonOperator", intrinsics);
    if (!COMPARISONS.contains(comparison)) {
      throw new IllegalArgumentException("comparison " + comparison);
    }
    int periods = Integer.parseInt(string(p, "EvaluationPeriods", intrinsics));
    int toAlarm = p.containsKey("DatapointsToAlarm") ? Integer.parseInt(string(p, "DatapointsToAlarm", intrinsics))
        : periods;
    String missing = p.containsKey("TreatMissingData") ? string(p, "TreatMissingData", intrinsics) : "missing";
    if (!List.of("breaching", "notBreaching", "ignore", "missing").contains(missing)) {
      throw new IllegalArgumentException("TreatMissingData " + missing);
    }
    String description = p.containsKey("AlarmDescription") ? string(p, "AlarmDescription", intrinsics) : "";
    return new Alarm(name, description, queries, Double.parseDouble(string(p, "Threshold", intrinsics)), comparison,
        periods, toAlarm, missing);
  }

  /** Every alarm's state at {@code nowMillis}. */
  List<State> evaluate(LocalMetrics metrics, long nowMillis) {
    List<State> out = new ArrayList<>();
    for (Alarm a : alarms) {
      out.add(evaluate(a, metrics, nowMillis));
    }
    return out;
  }

  static State evaluate(Alarm a, LocalMetrics metrics, long nowMillis) {
    long period = a.periodSeconds() * 1000L;
    long end = (Math.floorDiv(nowMillis, 60_000L) + 1) * 60_000L;
    int breaching = 0;
    int present = 0;
    Double latest = null;
    for (int k = 0; k < a.evaluationPeriods(); k++) {
      Double v = value(a, metrics, end - (k + 1) * period, end - k * period);
      if (v == null) {
        if (a.treatMissingData().equals("breaching")) {
          breaching++;
        }
        continue;
      }
      present++;
      if (latest == null) {
        latest = v;
      }
      if (breaches(a, v)) {
        breaching++;
      }
    }
    String window = "the last " + a.evaluationPeriods() + " period(s) of " + a.periodSeconds() + " s";
    if (present == 0 && List.of("ignore", "missing").contains(a.treatMissingData())) {
      return new State(a.name(), "INSUFFICIENT_DATA", "no data in " + window, a.description());
    }
    String state = breaching >= a.datapointsToAlarm() ? "ALARM" : "OK";
    String reason = latest == null ? "no data in " + window + " (treated as " + a.treatMissingData() + ")"
        : "latest " + format(latest) + " (alarm when " + symbol(a.comparison()) + " " + format(a.threshold()) + " in "
            + a.datapointsToAlarm() + " of " + a.evaluationPeriods() + "); " + breaching + " breaching in " + window;
    return new State(a.name(), state, reason, a.description());
  }

  private static Double value(Alarm a, LocalMetrics metrics, long from, long to) {
    Map<String, Double> points = new LinkedHashMap<>();
    Query returned = null;
    for (Query q : a.queries()) {
      if (q.expression() == null) {
        LocalMetrics.Series s = metrics.series(q.namespace(), q.metricName(), q.dimensions());
        points.put(q.id(), s == null ? null : s.statistic(q.statistic(), from, to));
      } else {
        Object v = q.expression().value(points);
        if (v instanceof List<?>) {
          throw new IllegalStateException(a.name() + ": " + q.id() + " gives an array, not one value");
        }
        points.put(q.id(), (Double) v);
      }
      if (q.returnData()) {
        returned = q;
      }
    }
    return points.get(returned.id());
  }

  private static boolean breaches(Alarm a, double v) {
    return switch (a.comparison()) {
      case "GreaterThanThreshold" -> v > a.threshold();
      case "GreaterThanOrEqualToThreshold" -> v >= a.threshold();
      case "LessThanThreshold" -> v < a.threshold();
      default -> v <= a.threshold();
    };
  }

  private static String symbol(String comparison) {
    return switch (comparison) {
      case "GreaterThanThreshold" -> ">";
      case "GreaterThanOrEqualToThreshold" -> ">=";
      case "LessThanThreshold" -> "<";
      default -> "<=";
    };
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format("%.2f", v);
  }

  private static String string(Map<String, Object> p, String key, Intrinsics intrinsics) {
    Object v = p.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return intrinsics.resolve(v);
  }

  private static Map<String, String> dimensions(Object list, Intrinsics intrinsics) {
    Map<String, String> out = new TreeMap<>();
    for (Object o : SamTemplate.list(list)) {
      Map<String, Object> d = SamTemplate.map(o);
      out.put(d.get("Name").toString(), intrinsics.resolve(d.get("Value")));
    }
    return out;
  }
}
