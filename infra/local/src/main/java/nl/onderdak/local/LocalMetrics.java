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
 * What CloudWatch would make of the handlers' EMF lines, kept in memory for the operator page: per
 * metric and dimension values, how many values, their sum, the last one, and percentiles over the most
 * recent values. Lines that are not EMF are ignored, as CloudWatch ignores them for metrics.
 */
final class LocalMetrics implements Consumer<String> {
  static final int SAMPLES = 5_000;

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

    Series(String namespace, String name, String unit, Map<String, String> dimensions) {
      this.namespace = namespace;
      this.name = name;
      this.unit = unit;
      this.dimensions = dimensions;
    }

    synchronized void add(double value) {
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
