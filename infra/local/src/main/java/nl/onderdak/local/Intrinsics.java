package nl.onderdak.local;

import static nl.onderdak.infra.template.SamTemplate.list;
import static nl.onderdak.infra.template.SamTemplate.map;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.onderdak.infra.template.SamTemplate;

/**
 * Resolves the intrinsic functions the template uses ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub})
 * to what they mean locally: a table's physical name, a stream's ARN, a parameter's default.
 * Anything it cannot resolve is an error at start-up, not a surprise at the first request.
 */
final class Intrinsics {
  static final String STACK_NAME = "onderdak-local";
  static final String REGION = "eu-west-1";
  static final String ACCOUNT = "000000000000";
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

  private final SamTemplate template;
  private final Map<String, String> attributes;

  /**
   * @param attributes known {@code Fn::GetAtt} values, keyed {@code LogicalId.Attribute}
   *     (for example {@code CasesTable.StreamArn})
   */
  Intrinsics(SamTemplate template, Map<String, String> attributes) {
    this(template, attributes, Map.of());
  }

  /** @param parameters values for the template's parameters, instead of their defaults */
  Intrinsics(SamTemplate template, Map<String, String> attributes, Map<String, String> parameters) {
    this.template = template;
    this.attributes = attributes;
    this.parameters = parameters;
  }

  private final Map<String, String> parameters;

  String resolve(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    Map<String, Object> fn = map(value);
    if (fn.containsKey("Ref")) {
      return ref(fn.get("Ref").toString());
    }
    if (fn.containsKey("Fn::GetAtt")) {
      List<Object> parts = list(fn.get("Fn::GetAtt"));
      return getAtt(parts.get(0).toString(), parts.get(1).toString());
    }
    if (fn.containsKey("Fn::Sub") && fn.get("Fn::Sub") instanceof String text) {
      Matcher m = SUB_VARIABLE.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String name = m.group(1);
        String replacement = name.contains(".") && !name.startsWith("AWS::")
            ? getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1))
            : ref(name);
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return out.toString();
    }
    throw new IllegalArgumentException("the local runtime cannot resolve " + value);
  }

  private String ref(String name) {
    switch (name) {
      case "AWS::Region":
        return REGION;
      case "AWS::StackName":
        return STACK_NAME;
      case "AWS::AccountId":
        return ACCOUNT;
      case "AWS::Partition":
        return "aws";
      case "AWS::URLSuffix":
        return "amazonaws.com";
      default:
        break;
    }
    Map<String, Object> parameter = map(map(template.document().get("Parameters")).get(name));
    if (!parameter.isEmpty() && parameters.containsKey(name)) {
      return parameters.get(name);
    }
    if (!parameter.isEmpty()) {
      Object fallback = parameter.get("Default");
      if (fallback == null) {
        throw new IllegalArgumentException("parameter " + name + " has no Default for the local runtime");
      }
      return fallback.toString();
    }
    String known = attributes.get(name + ".Ref");
    if (known != null) {
      return known;
    }
    SamTemplate.Resource resource = template.resource(name);
    if (resource.type().equals("AWS::SQS::Queue")) {
      return "http://localhost/" + ACCOUNT + "/" + template.physicalName(name);
    }
    return template.physicalName(name);
  }

  private String getAtt(String logicalId, String attribute) {
    String known = attributes.get(logicalId + "." + attribute);
    if (known != null) {
      return known;
    }
    SamTemplate.Resource resource = template.resource(logicalId);
    String name = template.physicalName(logicalId);
    if (resource.type().equals("AWS::SQS::Queue")) {
      if (attribute.equals("Arn")) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
      }
      if (attribute.equals("QueueName")) {
        return name;
      }
    }
    if (resource.type().equals("AWS::DynamoDB::Table") && attribute.equals("Arn")) {
      return "arn:aws:dynamodb:ddblocal:" + ACCOUNT + ":table/" + name;
    }
    throw new IllegalArgumentException("the local runtime cannot resolve " + logicalId + "." + attribute);
  }
}
