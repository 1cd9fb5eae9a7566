package nl.onderdak.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import nl.onderdak.infra.template.SamTemplate;

/**
 * Each function's permissions as the template grants them, held against every AWS call the function makes in the
 * local runtime (by {@link IamGuard}), as IAM would in AWS: a call its policies do not allow fails with
 * {@code AccessDeniedException}. {@code sam local} does not do this, and a missing permission is the classic
 * failure of a first deployment.
 *
 * <p>What is read: the SAM policy templates the template uses ({@code DynamoDBCrudPolicy},
 * {@code DynamoDBReadPolicy}, {@code DynamoDBWritePolicy}, {@code SQSSendMessagePolicy}, {@code SQSPollerPolicy},
 * with the actions and resources SAM gives them) and explicit statements ({@code Effect}, {@code Action},
 * {@code Resource}, with {@code *} and {@code ?} wildcards, and the conditions {@code ForAllValues:StringEquals}
 * and {@code ForAllValues:StringLike} on {@code dynamodb:LeadingKeys}). A policy or condition it does not know refuses the runtime's start, naming it:
 * an unread policy would quietly allow or deny.
 */
final class LocalIam {
  /** One statement, resolved: actions and resources as patterns, and the partition keys it is limited to. */
  record Statement(boolean allow, List<Pattern> actions, List<Pattern> resources, List<Pattern> leadingKeys) {
    boolean matches(String action, String resource, List<String> keys) {
      if (actions.stream().noneMatch(a -> a.matcher(action).matches())
          || resources.stream().noneMatch(r -> r.matcher(resource).matches())) {
        return false;
      }
      // ForAllValues: every partition key the request touches must be one of them (none known: not allowed).
      return leadingKeys == null || (keys != null && !keys.isEmpty()
          && keys.stream().allMatch(k -> leadingKeys.stream().anyMatch(p -> p.matcher(k).matches())));
    }
  }

  /** One AWS call, as IAM sees it: an action on a resource, with the partition keys it touches when known. */
  record Call(String action, String resource, List<String> leadingKeys) {}

  private static final Map<String, List<String>> DYNAMODB_TEMPLATES = Map.of(
      "DynamoDBCrudPolicy", List.of("GetItem", "DeleteItem", "PutItem", "Scan", "Query", "UpdateItem",
          "BatchWriteItem", "BatchGetItem", "DescribeTable", "ConditionCheckItem"),
      "DynamoDBReadPolicy", List.of("GetItem", "Scan", "Query", "BatchGetItem", "DescribeTable"),
      "DynamoDBWritePolicy", List.of("PutItem", "UpdateItem", "BatchWriteItem"));
  private static final Map<String, List<String>> SQS_TEMPLATES = Map.of(
      "SQSSendMessagePolicy", List.of("SendMessage*"),
      "SQSPollerPolicy", List.of("ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "DeleteMessage",
          "DeleteMessageBatch", "GetQueueAttributes", "ReceiveMessage"));

  /** Function logical id → its statements: the functions of every runtime started in this JVM. */
  private static final Map<String, List<Statement>> POLICIES = new ConcurrentHashMap<>();

  private LocalIam() {}

  /**
   * Reads every function's policies.
   *
   * @param tableArns table name → its ARN, as DynamoDB Local gives it
   * @param queueArns queue name → its ARN
   */
  static Map<String, List<Statement>> read(SamTemplate template, Intrinsics intrinsics, Map<String, String> tableArns,
      Map<String, String> queueArns) {
    Map<String, List<Statement>> out = new LinkedHashMap<>();
    for (SamTemplate.Function fn : template.functions()) {
      List<Statement> statements = new ArrayList<>();
      for (Object p : SamTemplate.list(fn.properties().get("Policies"))) {
        Map<String, Object> policy = SamTemplate.map(p);
        for (Map.Entry<String, Object> e : policy.entrySet()) {
          String name = e.getKey();
          Map<String, Object> args = SamTemplate.map(e.getValue());
          if (DYNAMODB_TEMPLATES.containsKey(name)) {
            String arn = tableArns.get(intrinsics.resolve(args.get("TableName")));
            if (arn == null) {
              throw new IllegalStateException(fn.logicalId() + ": " + name + " names a table the template lacks");
            }
            statements.add(new Statement(true, patterns(DYNAMODB_TEMPLATES.get(name).stream()
                .map(a -> "dynamodb:" + a).toList()), patterns(List.of(arn, arn + "/index/*")), null));
          } else if (SQS_TEMPLATES.containsKey(name)) {
            String arn = queueArns.get(intrinsics.resolve(args.get("QueueName")));
            if (arn == null) {
              throw new IllegalStateException(fn.logicalId() + ": " + name + " names a queue the template lacks");
            }
            statements.add(new Statement(true, patterns(SQS_TEMPLATES.get(name).stream().map(a -> "sqs:" + a).toList()),
                patterns(List.of(arn)), null));
          } else if (name.equals("Statement")) {
            for (Object s : SamTemplate.list(e.getValue())) {
              statements.add(statement(fn.logicalId(), SamTemplate.map(s), intrinsics));
            }
          } else {
            throw new IllegalStateException(fn.logicalId() + ": the local runtime does not read the policy " + name
                + " and would not know what it allows");
          }
        }
      }
      out.put(fn.logicalId(), List.copyOf(statements));
    }
    return out;
  }

  private static Statement statement(String function, Map<String, Object> s, Intrinsics intrinsics) {
    String effect = String.valueOf(s.get("Effect"));
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw new IllegalStateException(function + ": a statement with Effect " + effect);
    }
    List<String> actions = strings(s.get("Action"), intrinsics);
    List<String> resources = strings(s.get("Resource"), intrinsics);
    List<Pattern> leadingKeys = null;
    Map<String, Object> condition = SamTemplate.map(s.get("Condition"));
    for (Map.Entry<String, Object> c : condition.entrySet()) {
      Map<String, Object> body = SamTemplate.map(c.getValue());
      if (c.getKey().equals("ForAllValues:StringEquals") && body.keySet().equals(Set.of("dynamodb:LeadingKeys"))) {
        leadingKeys = strings(body.get("dynamodb:LeadingKeys"), intrinsics).stream()
            .map(k -> Pattern.compile(Pattern.quote(k))).toList();
      } else if (c.getKey().equals("ForAllValues:StringLike")
          && body.keySet().equals(Set.of("dynamodb:LeadingKeys"))) {
        leadingKeys = patterns(strings(body.get("dynamodb:LeadingKeys"), intrinsics)); // * and ? as IAM reads them
      } else {
        throw new IllegalStateException(function + ": the local runtime does not evaluate the condition "
            + c.getKey() + " " + body.keySet());
      }
    }
    return new Statement(effect.equals("Allow"), patterns(actions), patterns(resources), leadingKeys);
  }

  private static List<String> strings(Object value, Intrinsics intrinsics) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> out.add(intrinsics.resolve(v)));
    } else if (value != null) {
      out.add(intrinsics.resolve(value));
    }
    return out;
  }

  private static List<Pattern> patterns(List<String> globs) {
    List<Pattern> out = new ArrayList<>();
    for (String g : globs) {
      StringBuilder re = new StringBuilder();
      for (char ch : g.toCharArray()) {
        re.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
      }
      // IAM compares action names case-insensitively, resources exactly.
      out.add(g.contains(":") && !g.startsWith("arn:") ? Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE)
          : Pattern.compile(re.toString()));
    }
    return out;
  }

  static void register(Map<String, List<Statement>> policies) {
    POLICIES.putAll(policies);
  }

  /**
   * Why this function may not make these calls (all of them are needed, as for a transaction), or null when it may.
   * A function the runtime did not register is not checked (the runtime's own clients).
   */
  static String refusal(String function, List<Call> calls) {
    List<Statement> statements = POLICIES.get(function);
    if (statements == null) {
      return null;
    }
    for (Call call : calls) {
      boolean denied = statements.stream().anyMatch(s -> !s.allow() && s.matches(call.action(), call.resource(),
          call.leadingKeys()));
      boolean allowed = statements.stream().anyMatch(s -> s.allow() && s.matches(call.action(), call.resource(),
          call.leadingKeys()));
      if (denied || !allowed) {
        return "User: " + function + "Role is not authorized to perform: " + call.action() + " on resource: "
            + call.resource() + (call.leadingKeys() == null || call.leadingKeys().isEmpty() ? ""
            : " (partition keys " + call.leadingKeys() + ")") + " because no identity-based policy allows it";
      }
    }
    return null;
  }
}
