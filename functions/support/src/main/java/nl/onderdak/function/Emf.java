package nl.onderdak.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * CloudWatch Embedded Metric Format: a metric rides on the log line of the event it counts, so
 * CloudWatch Logs extracts it without any call at run time (no PutMetricData, no agent).
 *
 * <p>A line may carry several metrics; those with the same dimensions share one directive. The
 * dimension values are the line's own members ({@code "Province": "PV26"}), so they must be put on the
 * line first; a missing one is set to {@code "unknown"} rather than making CloudWatch drop the metric.
 */
public final class Emf {
  public static final String NAMESPACE = "Onderdak";

  private Emf() {}

  /** Adds {@code metric = value} to the line, and to its {@code _aws} metadata. */
  public static ObjectNode metric(ObjectNode line, Metric metric, double value) {
    for (String dimension : metric.dimensions) {
      JsonNode present = line.get(dimension);
      if (present == null || !present.isTextual() || present.asText().isEmpty()) {
        line.put(dimension, "unknown");
      }
    }
    line.put(metric.metricName, value);
    ObjectNode aws = line.has("_aws") ? (ObjectNode) line.get("_aws") : line.putObject("_aws");
    if (!aws.has("Timestamp")) {
      aws.put("Timestamp", Instant.now().toEpochMilli());
    }
    ArrayNode directives = aws.has("CloudWatchMetrics") ? (ArrayNode) aws.get("CloudWatchMetrics")
        : aws.putArray("CloudWatchMetrics");
    ObjectNode directive = null;
    for (JsonNode d : directives) {
      if (sameDimensions(d, metric)) {
        directive = (ObjectNode) d;
      }
    }
    if (directive == null) {
      directive = directives.addObject();
      directive.put("Namespace", NAMESPACE);
      ArrayNode set = directive.putArray("Dimensions").addArray();
      metric.dimensions.forEach(set::add);
      directive.putArray("Metrics");
    }
    ((ArrayNode) directive.get("Metrics")).addObject().put("Name", metric.metricName).put("Unit", metric.unit.wire);
    return line;
  }

  private static boolean sameDimensions(JsonNode directive, Metric metric) {
    JsonNode set = directive.get("Dimensions").get(0);
    if (set.size() != metric.dimensions.size()) {
      return false;
    }
    for (int i = 0; i < set.size(); i++) {
      if (!set.get(i).asText().equals(metric.dimensions.get(i))) {
        return false;
      }
    }
    return true;
  }
}
