package nl.onderdak.matching;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The last matching run's picture of each province, in the region stats table ({@code MATCHRUN} / province). */
final class RegionRunLog implements MatchingRun.RunLog {
  static final String PARTITION = "MATCHRUN";
  private final DynamoDbClient dynamo;
  private final String table;

  RegionRunLog(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public void record(String province, ObjectNode picture) {
    dynamo.putItem(b -> b.tableName(table).item(Attr.item(
        "pk", PARTITION, "sk", province, "picture", Json.write(picture), "at", picture.get("at").asText())));
  }

  /** The last picture of a province, or null. */
  ObjectNode read(String province) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Attr.key(PARTITION, province)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? null : (ObjectNode) Json.parse(Attr.str(item, "picture"));
  }
}
