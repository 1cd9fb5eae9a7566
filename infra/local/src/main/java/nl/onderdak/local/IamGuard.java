package nl.onderdak.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.onderdak.function.Wiring;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.SqsRequest;

/**
 * The local runtime's IAM: every call a function's AWS client makes (the client says which function it is, see
 * {@link Wiring#FUNCTION}) is checked against that function's policies in the template ({@link LocalIam}) before it
 * is sent; a call they do not allow fails with {@code AccessDeniedException}, as in AWS. The SDK loads this
 * interceptor for every client in the local runtime's JVM ({@code software/amazon/awssdk/global/handlers/
 * execution.interceptors}); clients without a function (the runtime's own) are not checked, and the function jars
 * deployed to AWS do not contain it.
 */
public final class IamGuard implements ExecutionInterceptor {
  /** Table name → ARN and hash key, queue URL → ARN: as the local runtime provisioned them. */
  record Resources(Map<String, String> tableArns, Map<String, String> hashKeys, Map<String, String> queueArnsByUrl) {}

  private static final Map<String, Resources> RESOURCES = new ConcurrentHashMap<>();

  static void register(String function, Resources resources) {
    RESOURCES.put(function, resources);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String function = attributes.getAttribute(Wiring.FUNCTION);
    Resources resources = function == null ? null : RESOURCES.get(function);
    if (resources == null) {
      return;
    }
    SdkRequest request = context.request();
    String refusal = LocalIam.refusal(function, calls(request, resources));
    if (refusal == null) {
      return;
    }
    AwsErrorDetails details = AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage(refusal)
        .serviceName("local IAM").build();
    if (request instanceof SqsRequest) {
      throw SqsException.builder().awsErrorDetails(details).statusCode(403).message(refusal).build();
    }
    throw DynamoDbException.builder().awsErrorDetails(details).statusCode(400).message(refusal).build();
  }

  /** The IAM actions and resources one SDK request needs. */
  static List<LocalIam.Call> calls(SdkRequest request, Resources r) {
    List<LocalIam.Call> out = new ArrayList<>();
    String op = request.getClass().getSimpleName().replaceAll("Request$", "");
    if (request instanceof DynamoDbRequest) {
      if (request instanceof TransactWriteItemsRequest t) {
        for (TransactWriteItem i : t.transactItems()) {
          if (i.put() != null) {
            out.add(item("PutItem", i.put().tableName(), i.put().item(), r));
          } else if (i.update() != null) {
            out.add(item("UpdateItem", i.update().tableName(), i.update().key(), r));
          } else if (i.delete() != null) {
            out.add(item("DeleteItem", i.delete().tableName(), i.delete().key(), r));
          } else if (i.conditionCheck() != null) {
            out.add(item("ConditionCheckItem", i.conditionCheck().tableName(), i.conditionCheck().key(), r));
          }
        }
      } else if (request instanceof GetItemRequest g) {
        out.add(item(op, g.tableName(), g.key(), r));
      } else if (request instanceof PutItemRequest p) {
        out.add(item(op, p.tableName(), p.item(), r));
      } else if (request instanceof UpdateItemRequest u) {
        out.add(item(op, u.tableName(), u.key(), r));
      } else if (request instanceof DeleteItemRequest d) {
        out.add(item(op, d.tableName(), d.key(), r));
      } else if (request instanceof QueryRequest q) {
        out.add(new LocalIam.Call("dynamodb:Query", index(q.tableName(), q.indexName(), r), null));
      } else if (request instanceof ScanRequest sc) {
        out.add(new LocalIam.Call("dynamodb:Scan", index(sc.tableName(), sc.indexName(), r), null));
      } else if (request instanceof BatchGetItemRequest bg) {
        bg.requestItems().forEach((table, keys) -> out.add(new LocalIam.Call("dynamodb:BatchGetItem", arn(table, r),
            keys.keys().stream().map(k -> leading(table, k, r)).toList())));
      } else if (request instanceof BatchWriteItemRequest bw) {
        bw.requestItems().keySet().forEach(table -> out.add(
            new LocalIam.Call("dynamodb:BatchWriteItem", arn(table, r), null)));
      } else {
        String table = tableOf(request);
        out.add(new LocalIam.Call("dynamodb:" + op, table == null ? "*" : arn(table, r), null));
      }
    } else if (request instanceof SqsRequest) {
      String action = op.replaceAll("Batch$", "").equals("SendMessage") ? "SendMessage" : op;
      String url = request.getValueForField("QueueUrl", String.class).orElse(null);
      out.add(new LocalIam.Call("sqs:" + action, url == null ? "*" : r.queueArnsByUrl().getOrDefault(url, url), null));
    } else {
      out.add(new LocalIam.Call(request.getClass().getName(), "*", null));
    }
    return out;
  }

  private static LocalIam.Call item(String op, String table, Map<String, AttributeValue> key, Resources r) {
    String leading = leading(table, key, r);
    return new LocalIam.Call("dynamodb:" + op, arn(table, r), leading == null ? null : List.of(leading));
  }

  private static String leading(String table, Map<String, AttributeValue> key, Resources r) {
    String hash = r.hashKeys().get(table);
    AttributeValue v = hash == null || key == null ? null : key.get(hash);
    return v == null ? null : v.s() != null ? v.s() : v.n();
  }

  private static String index(String table, String index, Resources r) {
    return index == null ? arn(table, r) : arn(table, r) + "/index/" + index;
  }

  private static String arn(String table, Resources r) {
    return r.tableArns().getOrDefault(table, "arn:aws:dynamodb:unknown:table/" + table);
  }

  private static String tableOf(SdkRequest request) {
    return request.getValueForField("TableName", String.class).orElse(null);
  }
}
