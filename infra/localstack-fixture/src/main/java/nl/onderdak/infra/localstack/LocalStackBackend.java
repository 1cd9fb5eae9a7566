package nl.onderdak.infra.localstack;

import java.net.URI;
import nl.onderdak.infra.dynamodb.DynamoDbBackend;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack's DynamoDB in a container, for {@code mvn -Plocalstack test} where a Docker engine
 * runs. Without one the storage tests are skipped with that reason (the disabledWithoutDocker rule
 * of Testcontainers), never failed. The container lives as long as the test JVM (Ryuk removes it).
 */
public final class LocalStackBackend implements DynamoDbBackend {
  static final String IMAGE = "localstack/localstack:4.4";

  @Override
  public String name() {
    return "localstack";
  }

  @Override
  public URI start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new BackendUnavailableException(
          "No Docker engine here: the LocalStack storage tests are skipped (-Plocalstack needs Docker).");
    }
    LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE)).withServices("dynamodb");
    container.start();
    return container.getEndpoint();
  }
}
