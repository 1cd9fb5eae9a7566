package nl.onderdak.local;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import nl.onderdak.infra.template.SamTemplate;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS API on localhost (ElasticMQ, embedded: no Docker), with the template's queues: names,
 * visibility timeouts, retention and dead-letter redrive as declared. Messages live in memory; with a
 * data folder the runtime puts owed webhooks back at start-up from the webhook log ({@link WebhookRecovery}).
 */
final class EmbeddedSqs implements AutoCloseable {
  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsClient client;
  /** Logical id of each queue to its URL and ARN. */
  private final Map<String, String> urls = new LinkedHashMap<>();
  private final Map<String, String> arns = new LinkedHashMap<>();

  private EmbeddedSqs(SQSRestServer server, int port) {
    this.server = server;
    this.endpoint = URI.create("http://localhost:" + port);
    this.client = SqsClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
  }

  static EmbeddedSqs start(SamTemplate template) {
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
        .withAWSRegion(Intrinsics.REGION).withAWSAccountId(Intrinsics.ACCOUNT).start();
    int port = server.waitUntilStarted().localAddress().getPort();
    EmbeddedSqs sqs = new EmbeddedSqs(server, port);
    sqs.provision(template);
    return sqs;
  }

  private void provision(SamTemplate template) {
    // First every queue, then the redrive policies (they name other queues by ARN).
    for (SamTemplate.Resource q : template.resources().values()) {
      if (!q.type().equals("AWS::SQS::Queue")) {
        continue;
      }
      Map<QueueAttributeName, String> attributes = new HashMap<>();
      Object visibility = q.properties().get("VisibilityTimeout");
      if (visibility != null) {
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, visibility.toString());
      }
      Object retention = q.properties().get("MessageRetentionPeriod");
      if (retention != null) {
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, retention.toString());
      }
      String url = client.createQueue(b -> b.queueName(template.physicalName(q.logicalId())).attributes(attributes))
          .queueUrl();
      urls.put(q.logicalId(), url);
      arns.put(q.logicalId(), client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN));
    }
    for (SamTemplate.Resource q : template.resources().values()) {
      if (!q.type().equals("AWS::SQS::Queue")) {
        continue;
      }
      Map<String, Object> redrive = SamTemplate.map(q.properties().get("RedrivePolicy"));
      if (redrive.isEmpty()) {
        continue;
      }
      Object target = SamTemplate.list(SamTemplate.map(redrive.get("deadLetterTargetArn")).get("Fn::GetAtt")).get(0);
      String policy = "{\"deadLetterTargetArn\":\"" + arns.get(target.toString()) + "\",\"maxReceiveCount\":"
          + redrive.get("maxReceiveCount") + "}";
      client.setQueueAttributes(b -> b.queueUrl(urls.get(q.logicalId()))
          .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy)));
    }
  }

  URI endpoint() {
    return endpoint;
  }

  SqsClient client() {
    return client;
  }

  /** {@code Logical.Ref} (the URL) and {@code Logical.Arn} for every queue, for the intrinsics. */
  Map<String, String> attributes() {
    Map<String, String> out = new HashMap<>();
    urls.forEach((id, url) -> out.put(id + ".Ref", url));
    arns.forEach((id, arn) -> out.put(id + ".Arn", arn));
    return out;
  }

  /** Every queue of the template: logical id to URL. */
  Map<String, String> urls() {
    return java.util.Collections.unmodifiableMap(urls);
  }

  String urlOf(String logicalId) {
    return urls.get(logicalId);
  }

  @Override
  public void close() {
    client.close();
    try {
      server.stopAndWait();
    } catch (Exception e) { // Scala throws java.util.concurrent.TimeoutException undeclared
      // ElasticMQ waits at most a minute for its HTTP server to finish open requests; past that, the runtime
      // still closes the rest (DynamoDB Local above all) rather than stop half-way.
      System.out.println(nl.onderdak.core.json.Json.write(nl.onderdak.core.json.Json.object()
          .put("level", "WARN").put("message", "the local SQS engine did not stop in time")
          .put("error", e.getClass().getName())));
    }
  }
}
