package nl.onderdak.infra.dynamodb;

import java.net.URI;

/**
 * A DynamoDB engine the storage tests can run against. The default is {@link EmbeddedDynamoDb};
 * others (LocalStack through Testcontainers) are found with {@link java.util.ServiceLoader} and
 * chosen with {@code -Donderdak.dynamodb=<name>}.
 */
public interface DynamoDbBackend {
  /** The name given in {@code -Donderdak.dynamodb}. */
  String name();

  /**
   * Starts the engine and returns its endpoint. May throw {@link BackendUnavailableException} when the
   * engine cannot run on this machine (no Docker engine, say): the tests are then skipped, not failed.
   */
  URI start();

  final class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
      super(message);
    }
  }
}
