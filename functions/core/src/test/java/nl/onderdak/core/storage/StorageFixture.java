package nl.onderdak.core.storage;

import java.util.Map;
import nl.onderdak.infra.dynamodb.DynamoDbBackend;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The storage tests' one way to DynamoDB: the shared fixture (DynamoDB Local by default, LocalStack
 * with -Plocalstack) and the tables the template defines. A backend that cannot run here skips the
 * test with its reason instead of failing it.
 */
public final class StorageFixture {
  private StorageFixture() {}

  public static DynamoDbFixture fixture() {
    try {
      return DynamoDbFixture.shared();
    } catch (DynamoDbBackend.BackendUnavailableException e) {
      Assumptions.abort(e.getMessage());
      throw e;
    }
  }

  public static DynamoDbClient client() {
    return fixture().client();
  }

  /** The table names exactly as the template hands them to the functions. */
  public static Tables tables() {
    Map<String, String> env = fixture().functionEnvironment();
    return new Tables(env.get(Tables.CASES), env.get(Tables.PERSONAL_DATA), env.get(Tables.IDEMPOTENCY),
        env.get(Tables.REGION_STATS), env.get(Tables.PARTNERS));
  }

  /** How many items a table holds now (tests in one JVM run one at a time). */
  public static long count(String table) {
    return client().scanPaginator(b -> b.tableName(table).select("COUNT")).stream()
        .mapToLong(r -> r.count()).sum();
  }
}
