package nl.onderdak.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.infra.template.SamTemplate;
import nl.onderdak.local.LocalRuntime;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Measures, in the local runtime, the time from {@code POST /registrations/hosts} (request sent) to
 * the stream consumer's effect (the region tally in DynamoDB counting the new host), over N runs,
 * and prints each run, the median and the 90th percentile; then the size of each function's jar.
 *
 * <pre>java -jar infra/bench/target/onderdak-bench.jar [runs, default 20]</pre>
 */
public final class StreamLatency {
  private StreamLatency() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path template = SamTemplate.locateFile();
    LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Config(template, 0, 0, null, "bench")
        .withParameter("FormMinFillSeconds", "0"));
    try {
      HttpClient http = HttpClient.newHttpClient();
      DynamoDbClient dynamo = runtime.dynamoDb().client();
      String statsTable = SamTemplate.load(template).physicalName("RegionStatsTable");
      URI endpoint = URI.create("http://localhost:" + runtime.httpPort() + "/registrations/hosts");
      for (int i = 0; i < 5; i++) {
        measure(http, endpoint, dynamo, statsTable); // warm-up: class loading, JIT, first invocations
      }
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        double ms = measure(http, endpoint, dynamo, statsTable);
        millis.add(ms);
        System.out.printf("run=%d post_to_tally_ms=%.1f%n", i + 1, ms);
      }
      Collections.sort(millis);
      System.out.printf("runs=%d median_ms=%.1f p90_ms=%.1f min_ms=%.1f max_ms=%.1f%n", runs,
          percentile(millis, 50), percentile(millis, 90), millis.get(0), millis.get(millis.size() - 1));
    } finally {
      runtime.close();
    }
    Path root = template.getParent();
    try (var modules = Files.list(root.resolve("functions"))) {
      for (Path module : modules.sorted().toList()) {
        Path jar = module.resolve("target/function.jar");
        if (Files.isRegularFile(jar)) {
          System.out.printf("function_jar=%s bytes=%d mib=%.2f%n", root.relativize(jar), Files.size(jar),
              Files.size(jar) / 1048576.0);
        }
      }
    }
    Runtime.getRuntime().halt(0); // DynamoDB Local leaves non-daemon threads behind
  }

  private static double measure(HttpClient http, URI endpoint, DynamoDbClient dynamo, String table)
      throws Exception {
    String province = "PV2" + (int) (Math.random() * 10);
    long before = screening(dynamo, table, province);
    String body = """
        {"contact":{"name":"Bench","email":"bench.%s@example.org"},"preferredLanguage":"nl",
         "address":{"street":"Markt","houseNumber":"1","postcode":"6211 CK","city":"X","province":"%s"},
         "beds":2,"rooms":1,"separateRoom":true,"childrenWelcome":true,"petsWelcome":true,"stepFreeAccess":true,
         "smokingInHome":false,"languages":["nl"],"availableFrom":"%s","availableUntil":"%s","consentToShare":true}
        """.formatted(UUID.randomUUID(), province, LocalDate.now(), LocalDate.now().plusMonths(2));
    // The form's ticket is taken when the form opens, before the person sends it: not part of what is timed.
    URI tickets = endpoint.resolve("/registrations/tickets");
    String ticket = nl.onderdak.core.json.Json.parse(http.send(HttpRequest.newBuilder(tickets)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body())
        .get("ticket").asText();
    long start = System.nanoTime();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).header("Form-Ticket", ticket)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(response.statusCode() + " " + response.body());
    }
    while (screening(dynamo, table, province) <= before) {
      if (System.nanoTime() - start > 30_000_000_000L) {
        throw new IllegalStateException("the tally never moved");
      }
      Thread.sleep(1);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static long screening(DynamoDbClient dynamo, String table, String province) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
        .key(Map.of("pk", AttributeValue.fromS("TALLY"), "sk", AttributeValue.fromS(province)))).item();
    AttributeValue n = item == null ? null : item.get("host_screening");
    return n == null ? 0 : Long.parseLong(n.n());
  }

  static double percentile(List<Double> sorted, int p) {
    double rank = p / 100.0 * (sorted.size() - 1);
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
  }
}
