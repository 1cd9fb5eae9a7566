package nl.onderdak.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import nl.onderdak.core.json.Json;

/**
 * The local CloudWatch metrics: what CloudWatch would make of the handlers' EMF lines, and the metrics AWS
 * publishes itself, as the local runtime's gateway, functions, stream readers and queues {@link #put put} them
 * ({@code AWS/ApiGateway}, {@code AWS/Lambda}, {@code AWS/SQS}, with the dimensions AWS gives them). Per metric and
 * dimension values: how many values, their sum, the last one, percentiles over the most recent values, and
 * one-minute data points (count, sum, minimum, maximum) for the last day, on which {@link LocalAlarms} evaluates
 * the template's alarms. Lines that are not EMF are ignored, as CloudWatch ignores them for metrics.
 */
final class LocalMetrics implements Consumer<String> {
  static final int SAMPLES = 5_000;
  /** One-minute data points kept per series: a day, longer than any alarm in the template looks back. */
  static final int MINUTES_KEPT = 24 * 60;

  /** One metric with one set of dimension values. */
  static final class Series {
    final String namespace;
    final String name;
    final String unit;
    final Map<String, String> dimensions;
    long count;
    double sum;
    double last;
    double max = Double.NEGATIVE_INFINITY;
    final ArrayList<Double> recent = new ArrayList<>();
    private int next;
    /** Epoch minute → {count, sum, minimum, maximum}. */
    private final TreeMap<Long, double[]> minutes = new TreeMap<>();

    Series(String namespace, String name, String unit, Map<String, String> dimensions) {
      this.namespace = namespace;
      this.name = name;
      this.unit = unit;
      this.dimensions = dimensions;
    }

    synchronized void add(double value) {
      add(value, System.currentTimeMillis());
    }

    synchronized void add(double value, long atMillis) {
      long minute = Math.floorDiv(atMillis, 60_000L);
      double[] point = minutes.computeIfAbsent(minute, m -> new double[] {0, 0, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY});
      point[0]++;
      point[1] += value;
      point[2] = Math.min(point[2], value);
      point[3] = Math.max(point[3], value);
      while (minutes.size() > MINUTES_KEPT) {
        minutes.pollFirstEntry();
      }
      count++;
      sum += value;
      last = value;
      max = Math.max(max, value);
      if (recent.size() < SAMPLES) {
        recent.add(value);
      } else {
        recent.set(next, value);
        next = (next + 1) % SAMPLES;
      }
    }

    /**
     * The statistic ({@code Sum}, {@code Average}, {@code Minimum}, {@code Maximum}, {@code SampleCount}) of the
     * values put in {@code [fromMillis, toMillis)}, whole minutes, or null when there were none (missing data).
     */
    synchronized Double statistic(String statistic, long fromMillis, long toMillis) {
      var window = minutes.subMap(Math.floorDiv(fromMillis, 60_000L), true, Math.floorDiv(toMillis, 60_000L), false);
      if (window.isEmpty()) {
        return null;
      }
      double n = 0;
      double total = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double[] point : window.values()) {
        n += point[0];
        total += point[1];
        min = Math.min(min, point[2]);
        max = Math.max(max, point[3]);
      }
      return switch (statistic) {
        case "Sum" -> total;
        case "Average" -> total / n;
        case "Minimum" -> min;
        case "Maximum" -> max;
        case "SampleCount" -> n;
        default -> throw new IllegalArgumentException("the local runtime does not compute the statistic " + statistic);
      };
    }

    synchronized Double percentile(double p) {
      if (recent.isEmpty()) {
        return null;
      }
      List<Double> sorted = new ArrayList<>(recent);
      Collections.sort(sorted);
      int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1; // nearest-rank
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }
  }

  private final Map<String, Series> series = new ConcurrentHashMap<>();

  @Override
  public void accept(String line) {
    if (!line.startsWith("{") || !line.contains("\"_aws\"")) {
      return;
    }
    JsonNode root;
    try {
      root = Json.parse(line);
    } catch (RuntimeException notJson) {
      return;
    }
    for (JsonNode directive : root.path("_aws").path("CloudWatchMetrics")) {
      String namespace = directive.path("Namespace").asText();
      for (JsonNode set : directive.path("Dimensions")) {
        Map<String, String> dims = new TreeMap<>();
        set.forEach(d -> dims.put(d.asText(), root.path(d.asText()).asText()));
        for (JsonNode metric : directive.path("Metrics")) {
          String name = metric.path("Name").asText();
          JsonNode value = root.get(name);
          if (value == null) {
            continue;
          }
          Series s = series.computeIfAbsent(namespace + "|" + name + "|" + dims,
              k -> new Series(namespace, name, metric.path("Unit").asText("None"), dims));
          if (value.isArray()) {
            value.forEach(v -> s.add(v.asDouble()));
          } else {
            s.add(value.asDouble());
          }
        }
      }
    }
  }

  /** Puts one value, as {@code PutMetricData} would (the local runtime's stand-in for what AWS publishes itself). */
  void put(String namespace, String name, String unit, Map<String, String> dimensions, double value) {
    put(namespace, name, unit, dimensions, value, System.currentTimeMillis());
  }

  /** Puts one value with its own timestamp. */
  void put(String namespace, String name, String unit, Map<String, String> dimensions, double value, long atMillis) {
    Map<String, String> dims = new TreeMap<>(dimensions);
    series.computeIfAbsent(namespace + "|" + name + "|" + dims, k -> new Series(namespace, name, unit, dims))
        .add(value, atMillis);
  }

  /** The series of a metric in a namespace with exactly these dimensions (as an alarm names it), or null. */
  Series series(String namespace, String name, Map<String, String> dimensions) {
    return series.get(namespace + "|" + name + "|" + new TreeMap<>(dimensions));
  }

  /** Sum over every series of a metric whose dimensions include the given values. */
  double sum(String name, Map<String, String> where) {
    double total = 0;
    for (Series s : series.values()) {
      if (s.name.equals(name) && s.dimensions.entrySet().containsAll(where.entrySet())) {
        synchronized (s) {
          total += s.sum;
        }
      }
    }
    return total;
  }

  /** Every series of a metric. */
  List<Series> all(String name) {
    List<Series> out = new ArrayList<>();
    series.values().forEach(s -> {
      if (s.name.equals(name)) {
        out.add(s);
      }
    });
    return out;
  }

  /** The series of a metric with exactly these dimension values, or null. */
  Series series(String name, Map<String, String> dimensions) {
    for (Series s : series.values()) {
      if (s.name.equals(name) && s.dimensions.equals(dimensions)) {
        return s;
      }
    }
    return null;
  }

  ArrayNode toJson() {
    ArrayNode out = Json.mapper().createArrayNode();
    series.values().stream()
        .sorted((a, b) -> (a.name + a.dimensions).compareTo(b.name + b.dimensions))
        .forEach(s -> {
          ObjectNode o = out.addObject().put("namespace", s.namespace).put("name", s.name).put("unit", s.unit);
          ObjectNode d = o.putObject("dimensions");
          s.dimensions.forEach(d::put);
          synchronized (s) {
            o.put("count", s.count).put("sum", s.sum).put("last", s.last).put("max", s.max);
          }
          Double p50 = s.percentile(50);
          Double p90 = s.percentile(90);
          if (p50 != null) {
            o.put("p50", p50).put("p90", p90);
          }
        });
    return out;
  }
}
