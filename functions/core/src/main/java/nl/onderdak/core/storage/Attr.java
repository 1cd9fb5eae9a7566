package nl.onderdak.core.storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Short constructors and readers for DynamoDB attribute values. */
public final class Attr {
  private Attr() {}

  public static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  public static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  public static AttributeValue bool(boolean value) {
    return AttributeValue.fromBool(value);
  }

  public static AttributeValue strings(List<String> values) {
    List<AttributeValue> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(s(v)));
    return AttributeValue.fromL(out);
  }

  public static AttributeValue numbers(List<Integer> values) {
    List<AttributeValue> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(n(v)));
    return AttributeValue.fromL(out);
  }

  /** A map attribute that leaves out null values (DynamoDB has no use for them). */
  public static AttributeValue map(Object... keysAndValues) {
    return AttributeValue.fromM(item(keysAndValues));
  }

  /** An item from key/value pairs; values may be AttributeValue, String, Number, Boolean or null (skipped). */
  public static Map<String, AttributeValue> item(Object... keysAndValues) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      String key = (String) keysAndValues[i];
      Object v = keysAndValues[i + 1];
      if (v == null) {
        continue;
      }
      AttributeValue value;
      if (v instanceof AttributeValue a) {
        value = a;
      } else if (v instanceof String s) {
        value = s(s);
      } else if (v instanceof Number num) {
        value = n(num.longValue());
      } else if (v instanceof Boolean b) {
        value = bool(b);
      } else {
        throw new IllegalArgumentException("unsupported attribute value " + v.getClass());
      }
      out.put(key, value);
    }
    return out;
  }

  public static String str(Map<String, AttributeValue> item, String key) {
    AttributeValue v = item.get(key);
    return v == null ? null : v.s();
  }

  public static long num(Map<String, AttributeValue> item, String key) {
    AttributeValue v = item.get(key);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  /** A map attribute of strings (role → organisation, say); empty when absent; non-string values left out. */
  public static Map<String, String> stringMap(AttributeValue v) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v != null && v.hasM()) {
      v.m().forEach((k, x) -> {
        if (x.s() != null) {
          out.put(k, x.s());
        }
      });
    }
    return out;
  }

  /** A map of strings as a map attribute. */
  public static AttributeValue stringMap(Map<String, String> m) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, s(v)));
    return AttributeValue.fromM(out);
  }

  public static Map<String, AttributeValue> key(String pk, String sk) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    key.put("pk", s(pk));
    key.put("sk", s(sk));
    return key;
  }

  /** An attribute as JSON: maps, lists, strings, numbers, booleans and string sets. */
  public static com.fasterxml.jackson.databind.JsonNode toJson(AttributeValue v) {
    var factory = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    if (v == null || Boolean.TRUE.equals(v.nul())) {
      return factory.nullNode();
    }
    if (v.s() != null) {
      return factory.textNode(v.s());
    }
    if (v.n() != null) {
      return v.n().contains(".") ? factory.numberNode(new java.math.BigDecimal(v.n()))
          : factory.numberNode(Long.parseLong(v.n()));
    }
    if (v.bool() != null) {
      return factory.booleanNode(v.bool());
    }
    if (v.hasM()) {
      var out = factory.objectNode();
      new java.util.TreeMap<>(v.m()).forEach((k, x) -> out.set(k, toJson(x)));
      return out;
    }
    if (v.hasL()) {
      var out = factory.arrayNode();
      v.l().forEach(x -> out.add(toJson(x)));
      return out;
    }
    if (v.hasSs()) {
      var out = factory.arrayNode();
      v.ss().stream().sorted().forEach(out::add);
      return out;
    }
    if (v.hasNs()) {
      var out = factory.arrayNode();
      v.ns().forEach(n -> out.add(Long.parseLong(n)));
      return out;
    }
    return factory.nullNode();
  }
}
