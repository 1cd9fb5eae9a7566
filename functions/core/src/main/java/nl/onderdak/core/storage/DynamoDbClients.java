package nl.onderdak.core.storage;

import java.net.URI;
import nl.onderdak.core.support.Env;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the DynamoDB client once per container, lean for cold start: the url-connection HTTP
 * client, credentials and region read straight from Lambda's environment (no provider chain to
 * walk). {@code DYNAMODB_ENDPOINT}, set only by the local runtime, points it at DynamoDB Local.
 */
public final class DynamoDbClients {
  public static final String ENDPOINT = "DYNAMODB_ENDPOINT";

  private DynamoDbClients() {}

  public static DynamoDbClient fromEnv() {
    String endpoint = Env.get(ENDPOINT);
    String region = Env.get("AWS_REGION");
    var builder = DynamoDbClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.of(region == null || region.isBlank() ? "eu-west-1" : region));
    AwsCredentialsProvider credentials;
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
      credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    } else {
      credentials = EnvironmentVariableCredentialsProvider.create();
    }
    return builder.credentialsProvider(credentials).build();
  }
}
