package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import nl.onderdak.core.json.Json;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a data folder, a restarted runtime keeps every registration and goes on where its streams stopped. */
class LocalRuntimeRestartTest {
  private static final String ADMIN = "restart-token";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path data;

  private long hostsInScreening(LocalRuntime runtime) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + runtime.httpPort() + "/admin/regions"))
        .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
    for (JsonNode r : Json.parse(response.body()).get("regions")) {
      if (r.get("region").asText().equals("PV24")) {
        return r.get("counts").get("host_screening").asLong();
      }
    }
    throw new AssertionError("no PV24");
  }

  private LocalRuntime start() throws Exception {
    return LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, data, ADMIN)));
  }

  @Test
  void aRestartKeepsTheDataAndCountsNothingTwice() throws Exception {
    String statusUrl;
    LocalRuntime first = start();
    try {
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(
              URI.create("http://localhost:" + first.httpPort() + "/registrations/hosts"))
          .header(FormTicket.HEADER, FormTicket.fetch(http, "http://localhost:" + first.httpPort()))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(LocalRuntimeEndToEndTest.hostBody("PV24"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      statusUrl = Json.parse(created.body()).get("statusUrl").asText();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (hostsInScreening(first) != 1) {
        assertTrue(System.nanoTime() < deadline, "tally never reached 1");
        Thread.sleep(50);
      }
    } finally {
      first.close();
    }
    assertTrue(Files.isRegularFile(data.resolve("stream-checkpoints.json")), "the mapping's position is kept");

    LocalRuntime second = start();
    try {
      HttpResponse<String> status = http.send(HttpRequest.newBuilder(
          URI.create("http://localhost:" + second.httpPort() + statusUrl)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode(), "the registration survived the restart: " + status.body());
      Thread.sleep(1500);
      assertEquals(1, hostsInScreening(second), "the stream was not replayed into the tally");
    } finally {
      second.close();
    }
  }

  @Test
  void aDataFolderMadeBeforeAnIndexExistedIsRefusedWithAMessageThatSaysWhatToDo() {
    // A partners table as an older version made it: keys only, without the AllPartners index.
    try (var old = nl.onderdak.infra.dynamodb.EmbeddedDynamoDb.start(0, data)) {
      old.client().createTable(b -> b.tableName("PartnersTable").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"), a -> a.attributeName("sk").attributeType("S"))
          .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
    }
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        this::start);
    assertTrue(refused.getMessage().contains("lacks the index AllPartners"), refused.getMessage());
    assertTrue(refused.getMessage().contains("Move the data folder aside"), refused.getMessage());
  }

  @Test
  void aDataFolderWhosePersonalDataTableHasTheOldKeyIsRefusedWithAMessageThatSaysWhatToDo() {
    // Before each case's personal data became one item collection, the table was keyed by pk alone.
    try (var old = nl.onderdak.infra.dynamodb.EmbeddedDynamoDb.start(0, data)) {
      old.client().createTable(b -> b.tableName("PersonalDataTable").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
          .keySchema(k -> k.attributeName("pk").keyType("HASH")));
    }
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        this::start);
    assertTrue(refused.getMessage().contains("PersonalDataTable") && refused.getMessage().contains("sk RANGE"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("Move the data folder aside"), refused.getMessage());
  }
}
