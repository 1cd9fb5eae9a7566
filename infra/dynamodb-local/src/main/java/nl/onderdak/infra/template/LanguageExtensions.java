package nl.onderdak.infra.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code AWS::LanguageExtensions} transform, as CloudFormation runs it before SAM's: so that everything that
 * reads the template (the local runtime, the template tests, the SAM schema check) reads what CloudFormation hands
 * to SAM. Two of its functions, the ones the template uses:
 *
 * <ul>
 *   <li>{@code Fn::ForEach::<Loop>: [Identifier, [values...], {KeyTemplate: Body}]}, in a map (Resources,
 *       Outputs, Conditions, properties): one copy of each entry per value, {@code ${Identifier}} and
 *       {@code &{Identifier}} replaced in keys and strings, {@code {Ref: Identifier}} by the value; loops may nest;
 *   <li>{@code Fn::ToJsonString: value}: the value as a JSON string; intrinsics inside it stay for CloudFormation to
 *       resolve, so it becomes the {@code Fn::Sub} of that JSON with {@code Ref} and {@code Fn::GetAtt} as
 *       {@code ${Name}} and {@code ${Resource.Attribute}}, and a {@code Fn::Sub} string inlined.
 * </ul>
 *
 * Anything else of the transform ({@code Fn::Length}, {@code Fn::FindInMap} defaults, collections given by a
 * parameter) is refused, so a template that needs it fails here, not in AWS.
 */
public final class LanguageExtensions {
  public static final String TRANSFORM = "AWS::LanguageExtensions";
  private static final String FOR_EACH = "Fn::ForEach::";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LanguageExtensions() {}

  /** The template with the transform applied and removed from {@code Transform}, or as it is without it. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> expand(Map<String, Object> template) {
    Object transform = template.get("Transform");
    List<Object> transforms = transform instanceof List<?> l ? new ArrayList<>(l)
        : transform == null ? new ArrayList<>() : new ArrayList<>(List.of(transform));
    if (!transforms.remove(TRANSFORM)) {
      return template;
    }
    Map<String, Object> out = (Map<String, Object>) walk(template, Map.of());
    if (transforms.isEmpty()) {
      out.remove("Transform");
    } else {
      out.put("Transform", transforms.size() == 1 ? transforms.get(0) : transforms);
    }
    return out;
  }

  /** A copy of {@code node} with loops unrolled, ToJsonString written, and {@code bound} identifiers replaced. */
  @SuppressWarnings("unchecked")
  private static Object walk(Object node, Map<String, String> bound) {
    if (node instanceof Map<?, ?> map) {
      if (map.size() == 1 && map.containsKey("Ref") && bound.containsKey(String.valueOf(map.get("Ref")))) {
        return bound.get(String.valueOf(map.get("Ref")));
      }
      if (map.size() == 1 && map.containsKey("Fn::ToJsonString")) {
        return Map.of("Fn::Sub", toJson(walk(map.get("Fn::ToJsonString"), bound)));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = e.getKey().toString();
        if (key.startsWith(FOR_EACH)) {
          unroll(key, e.getValue(), bound).forEach((k, v) -> {
            if (out.put(k, v) != null) {
              throw new IllegalStateException(key + " makes " + k + " twice");
            }
          });
        } else if (key.startsWith("Fn::Length") || key.equals("Fn::ToJsonString")) {
          throw new IllegalStateException(key + ": a language extension this reader does not apply");
        } else {
          out.put(substitute(key, bound), walk(e.getValue(), bound));
        }
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(x -> out.add(walk(x, bound)));
      return out;
    }
    return node instanceof String s ? substitute(s, bound) : node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> unroll(String loop, Object spec, Map<String, String> bound) {
    if (!(spec instanceof List<?> parts) || parts.size() != 3 || !(parts.get(0) instanceof String identifier)
        || !(parts.get(1) instanceof List<?> values) || !(parts.get(2) instanceof Map<?, ?> body)) {
      throw new IllegalStateException(loop + ": expected [Identifier, [values...], {KeyTemplate: Body}]"
          + " (a collection given by a parameter is not applied here)");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Object value : values) {
      if (!(value instanceof String text)) {
        throw new IllegalStateException(loop + ": only lists of strings are applied here, not " + value);
      }
      Map<String, String> inner = new LinkedHashMap<>(bound);
      inner.put(identifier, text);
      Map<String, Object> copy = (Map<String, Object>) walk(body, inner);
      copy.forEach((k, v) -> {
        if (out.put(k, v) != null) {
          throw new IllegalStateException(loop + " makes " + k + " twice");
        }
      });
    }
    return out;
  }

  private static String substitute(String text, Map<String, String> bound) {
    String out = text;
    for (Map.Entry<String, String> b : bound.entrySet()) {
      out = out.replace("${" + b.getKey() + "}", b.getValue()).replace("&{" + b.getKey() + "}", b.getValue());
    }
    return out;
  }

  /** The value as JSON, its intrinsics left as {@code Fn::Sub} placeholders for CloudFormation. */
  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(placeholders(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object placeholders(Object node) {
    if (node instanceof Map<?, ?> map) {
      if (map.size() == 1 && map.containsKey("Ref")) {
        return "${" + map.get("Ref") + "}";
      }
      if (map.size() == 1 && map.get("Fn::GetAtt") instanceof List<?> attr && attr.size() == 2) {
        return "${" + attr.get(0) + "." + attr.get(1) + "}";
      }
      if (map.size() == 1 && map.get("Fn::Sub") instanceof String sub) {
        return sub;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (k.toString().startsWith("Fn::") || k.toString().equals("Ref")) {
          throw new IllegalStateException(k + " inside Fn::ToJsonString: not applied here");
        }
        out.put(k.toString(), placeholders(v));
      });
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(x -> out.add(placeholders(x)));
      return out;
    }
    // A literal string stays literal in the Fn::Sub it ends up in.
    return node instanceof String s ? s.replace("${", "${!") : node;
  }
}
