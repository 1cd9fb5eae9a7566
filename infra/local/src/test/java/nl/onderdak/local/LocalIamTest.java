package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Each function's AWS calls held to its policies in the template, as IAM holds them in AWS: first the policies as
 * read (no runtime), then a runtime on a template with one permission taken away.
 */
class LocalIamTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load(SamTemplate.locateFile());
  private static final Map<String, String> TABLES = Map.of("CasesTable", "arn:aws:dynamodb:ddblocal:000000000000:table/CasesTable",
      "PersonalDataTable", "arn:aws:dynamodb:ddblocal:000000000000:table/PersonalDataTable",
      "IdempotencyTable", "arn:aws:dynamodb:ddblocal:000000000000:table/IdempotencyTable",
      "RegionStatsTable", "arn:aws:dynamodb:ddblocal:000000000000:table/RegionStatsTable",
      "PartnersTable", "arn:aws:dynamodb:ddblocal:000000000000:table/PartnersTable");
  private static final IamGuard.Resources RESOURCES = new IamGuard.Resources(TABLES,
      Map.of("CasesTable", "pk", "PersonalDataTable", "pk", "IdempotencyTable", "pk", "RegionStatsTable", "pk",
          "PartnersTable", "pk"), Map.of());

  private static String refusal(String function, software.amazon.awssdk.core.SdkRequest request) {
    Map<String, String> queues = new java.util.HashMap<>();
    for (SamTemplate.Resource q : TEMPLATE.resourcesOfType("AWS::SQS::Queue")) {
      queues.put(TEMPLATE.physicalName(q.logicalId()), "arn:aws:sqs:local:0:" + q.logicalId());
    }
    LocalIam.register(LocalIam.read(TEMPLATE, new Intrinsics(TEMPLATE, Map.of()), TABLES, queues));
    return LocalIam.refusal(function, IamGuard.calls(request, RESOURCES));
  }

  @Test
  void thePublicRegistrationMayWriteAndReadClaimsButNeverScanPersonalDataAndReadsOnlyTheRouting() {
    assertNull(refusal("RegisterGuestFunction", TransactWriteItemsRequest.builder().transactItems(
        TransactWriteItem.builder().put(Put.builder().tableName("PersonalDataTable")
            .item(Map.of("pk", AttributeValue.fromS("CASE#G-1"), "sk", AttributeValue.fromS("DETAILS"))).build()).build(),
        TransactWriteItem.builder().put(Put.builder().tableName("CasesTable")
            .item(Map.of("pk", AttributeValue.fromS("CASE#G-1"), "sk", AttributeValue.fromS("CASE"))).build()).build())
        .build()));
    String scan = refusal("RegisterGuestFunction", ScanRequest.builder().tableName("PersonalDataTable").build());
    assertNotNull(scan);
    assertTrue(scan.contains("dynamodb:Scan") && scan.contains("PersonalDataTable"), scan);
    assertNull(refusal("RegisterGuestFunction", GetItemRequest.builder().tableName("PartnersTable")
        .key(Map.of("pk", AttributeValue.fromS("ROUTING"), "sk", AttributeValue.fromS("CURRENT"))).build()));
    String secret = refusal("RegisterGuestFunction", GetItemRequest.builder().tableName("PartnersTable")
        .key(Map.of("pk", AttributeValue.fromS("PARTNER#P-1"), "sk", AttributeValue.fromS("PARTNER"))).build());
    assertNotNull(secret, "only the routing item: dynamodb:LeadingKeys");
    assertNotNull(refusal("RegistrationStatusFunction", GetItemRequest.builder().tableName("PersonalDataTable")
        .key(Map.of("pk", AttributeValue.fromS("CASE#G-1"), "sk", AttributeValue.fromS("DETAILS"))).build()),
        "the status page reads no personal data");
    assertNull(refusal("RegistrationStatusFunction", GetItemRequest.builder().tableName("PartnersTable")
        .key(Map.of("pk", AttributeValue.fromS("PUBLIC#P-1"), "sk", AttributeValue.fromS("PROFILE"))).build()),
        "an organisation's public profile, for the status page");
    assertNotNull(refusal("RegistrationStatusFunction", GetItemRequest.builder().tableName("PartnersTable")
        .key(Map.of("pk", AttributeValue.fromS("PARTNER#P-1"), "sk", AttributeValue.fromS("PARTNER"))).build()),
        "and nothing else of the partners table (StringLike PUBLIC#*)");
    // One refused part refuses a transaction whole: the registrant's page may change its case (a withdrawal), never
    // write personal data.
    TransactWriteItem ownCase = TransactWriteItem.builder().put(Put.builder().tableName("CasesTable")
        .item(Map.of("pk", AttributeValue.fromS("CASE#G-1"), "sk", AttributeValue.fromS("CASE"))).build()).build();
    assertNull(refusal("RegistrationStatusFunction", TransactWriteItemsRequest.builder().transactItems(ownCase)
        .build()));
    assertNotNull(refusal("RegistrationStatusFunction", TransactWriteItemsRequest.builder().transactItems(ownCase,
        TransactWriteItem.builder().put(Put.builder().tableName("PersonalDataTable")
            .item(Map.of("pk", AttributeValue.fromS("CASE#G-1"), "sk", AttributeValue.fromS("DETAILS"))).build())
            .build()).build()));
  }

  @Test
  void aFunctionWhosePolicyLacksWhatItCallsFailsWithAccessDeniedInTheRuntime() throws Exception {
    String text = Files.readString(TEMPLATE.file());
    String policies = "      LoggingConfig:\n        LogGroup: !Ref RegistrationStatusFunctionLogs\n      Policies:\n"
        + "        - DynamoDBReadPolicy:\n            TableName: !Ref CasesTable\n";
    assertTrue(text.contains(policies));
    // The status page's function loses the read on the cases table (a statement on another table stays).
    String weakened = text.replace(policies, "      LoggingConfig:\n        LogGroup: !Ref RegistrationStatusFunctionLogs\n"
        + "      Policies:\n        - DynamoDBReadPolicy:\n            TableName: !Ref RegionStatsTable\n");
    Path dir = Files.createTempDirectory("iam");
    Path file = dir.resolve("template.yaml");
    Files.writeString(file, weakened);
    List<String> lines = new ArrayList<>();
    java.util.function.Consumer<String> tap = lines::add;
    LogTap.add(tap);
    try (LocalRuntime runtime = LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(file, 0, 0, null, "iam-test")))) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + runtime.httpPort();
      HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/hosts"))
          .header(FormTicket.HEADER, FormTicket.fetch(http, base))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(LocalRuntimeEndToEndTest.hostBody("PV26"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, registered.statusCode(), "registration keeps its permissions: " + registered.body());
      var answer = Json.parse(registered.body());
      HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + answer.get("statusUrl").asText()))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(500, status.statusCode(), "its read is refused, as IAM would refuse it");
      assertTrue(lines.stream().anyMatch(l -> l.contains("DynamoDbException") || l.contains("AccessDenied")),
          "the refusal is in the logs");
    } finally {
      LogTap.remove(tap);
    }
  }
}
