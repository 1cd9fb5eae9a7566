package nl.onderdak.infra.dynamodb;

import static nl.onderdak.infra.template.SamTemplate.list;
import static nl.onderdak.infra.template.SamTemplate.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import nl.onderdak.infra.template.SamTemplate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Creates every {@code AWS::DynamoDB::Table} of the template in a DynamoDB engine, with its keys,
 * indexes, stream and time-to-live settings, exactly as the template states them. Tables that
 * already exist (a kept data folder) are left as they are.
 */
public final class TableProvisioner {
  private final SamTemplate template;
  private final DynamoDbClient dynamo;

  public TableProvisioner(SamTemplate template, DynamoDbClient dynamo) {
    this.template = template;
    this.dynamo = dynamo;
  }

  /** Creates what is missing; returns each table's logical id with its physical description. */
  public Map<String, TableDescription> provision() {
    Map<String, TableDescription> out = new LinkedHashMap<>();
    for (SamTemplate.Resource table : template.tables()) {
      String name = template.physicalName(table.logicalId());
      TableDescription existing = describe(name);
      if (existing == null) {
        dynamo.createTable(createRequest(name, table.properties()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
        enableTimeToLive(name, table.properties());
        existing = describe(name);
      } else {
        requireIndexes(name, existing, table.properties());
      }
      out.put(table.logicalId(), existing);
    }
    return out;
  }

  /**
   * A table kept in a data folder from an older template may lack an index the code now queries: say so at
   * start-up, rather than fail on the first query.
   */
  private static void requireIndexes(String name, TableDescription existing, Map<String, Object> props) {
    List<KeySchemaElement> wanted = keySchema(props.get("KeySchema"));
    if (!wanted.equals(existing.keySchema())) {
      throw new IllegalStateException("table " + name + " in the data folder has the key " + describe(existing.keySchema())
          + " where template.yaml now declares " + describe(wanted) + ": it was made by an older version. Move the "
          + "data folder aside (or delete it) and start again.");
    }
    java.util.Set<String> present = new java.util.HashSet<>();
    existing.globalSecondaryIndexes().forEach(g -> present.add(g.indexName()));
    for (Object o : list(props.get("GlobalSecondaryIndexes"))) {
      String index = String.valueOf(map(o).get("IndexName"));
      if (!present.contains(index)) {
        throw new IllegalStateException("table " + name + " in the data folder lacks the index " + index
            + " that template.yaml now declares: it was made by an older version. Move the data folder aside "
            + "(or delete it) and start again.");
      }
    }
  }

  private static String describe(List<KeySchemaElement> keys) {
    List<String> out = new ArrayList<>();
    keys.forEach(k -> out.add(k.attributeName() + " " + k.keyTypeAsString()));
    return out.toString();
  }

  private TableDescription describe(String name) {
    try {
      return dynamo.describeTable(b -> b.tableName(name)).table();
    } catch (ResourceNotFoundException e) {
      return null;
    }
  }

  static CreateTableRequest createRequest(String name, Map<String, Object> props) {
    CreateTableRequest.Builder b = CreateTableRequest.builder()
        .tableName(name)
        .attributeDefinitions(attributeDefinitions(props))
        .keySchema(keySchema(props.get("KeySchema")));
    boolean onDemand = "PAY_PER_REQUEST".equals(props.get("BillingMode"));
    ProvisionedThroughput throughput = ProvisionedThroughput.builder()
        .readCapacityUnits(5L).writeCapacityUnits(5L).build();
    if (onDemand) {
      b.billingMode(BillingMode.PAY_PER_REQUEST);
    } else {
      b.provisionedThroughput(throughput);
    }
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (Object o : list(props.get("GlobalSecondaryIndexes"))) {
      Map<String, Object> gsi = map(o);
      Map<String, Object> projection = map(gsi.get("Projection"));
      Projection.Builder p = Projection.builder()
          .projectionType(Objects.toString(projection.getOrDefault("ProjectionType", "ALL")));
      List<String> nonKey = new ArrayList<>();
      list(projection.get("NonKeyAttributes")).forEach(a -> nonKey.add(a.toString()));
      if (!nonKey.isEmpty()) {
        p.nonKeyAttributes(nonKey);
      }
      GlobalSecondaryIndex.Builder g = GlobalSecondaryIndex.builder()
          .indexName(gsi.get("IndexName").toString())
          .keySchema(keySchema(gsi.get("KeySchema")))
          .projection(p.build());
      if (!onDemand) {
        g.provisionedThroughput(throughput);
      }
      indexes.add(g.build());
    }
    if (!indexes.isEmpty()) {
      b.globalSecondaryIndexes(indexes);
    }
    Map<String, Object> stream = map(props.get("StreamSpecification"));
    if (stream.get("StreamViewType") != null) {
      b.streamSpecification(StreamSpecification.builder()
          .streamEnabled(true)
          .streamViewType(stream.get("StreamViewType").toString())
          .build());
    }
    return b.build();
  }

  private void enableTimeToLive(String name, Map<String, Object> props) {
    Map<String, Object> ttl = map(props.get("TimeToLiveSpecification"));
    if (Boolean.TRUE.equals(ttl.get("Enabled")) && ttl.get("AttributeName") != null) {
      dynamo.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(
          t -> t.enabled(true).attributeName(ttl.get("AttributeName").toString())));
    }
  }

  private static List<AttributeDefinition> attributeDefinitions(Map<String, Object> props) {
    List<AttributeDefinition> out = new ArrayList<>();
    for (Object o : list(props.get("AttributeDefinitions"))) {
      Map<String, Object> a = map(o);
      out.add(AttributeDefinition.builder()
          .attributeName(a.get("AttributeName").toString())
          .attributeType(a.get("AttributeType").toString())
          .build());
    }
    return out;
  }

  private static List<KeySchemaElement> keySchema(Object keys) {
    List<KeySchemaElement> out = new ArrayList<>();
    for (Object o : list(keys)) {
      Map<String, Object> k = map(o);
      out.add(KeySchemaElement.builder()
          .attributeName(k.get("AttributeName").toString())
          .keyType(k.get("KeyType").toString())
          .build());
    }
    return out;
  }
}
