package nl.onderdak.notifications;

import java.net.URI;
import nl.onderdak.core.support.Env;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SQS client, built once per container like the DynamoDB one; {@code SQS_ENDPOINT} is set only locally. */
final class SqsClients {
  static final String ENDPOINT = "SQS_ENDPOINT";

  private SqsClients() {}

  static SqsClient fromEnv() {
    String endpoint = Env.get(ENDPOINT);
    String region = Env.get("AWS_REGION");
    var builder = SqsClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.of(region == null || region.isBlank() ? "eu-west-1" : region));
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    } else {
      builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
    }
    return builder.build();
  }
}
