package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.storage.Attr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How the local runtime runs a DynamoDB stream mapping, on a small template of its own: batch size,
 * batching window, ReportBatchItemFailures, bisection and the retry limit with its on-failure
 * destination, {@code ParallelizationFactor}, each as Lambda documents them.
 */
class StreamMappingTest {
  private static LocalRuntime runtime;
  private static DynamoDbClient dynamo;

  @BeforeAll
  static void start() throws Exception {
    runtime = LocalRuntime.start(new LocalRuntime.Config(template(), 0, 0, null, "token"));
    dynamo = runtime.dynamoDb().client();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static Path template() throws URISyntaxException {
    return Path.of(StreamMappingTest.class.getResource("/poller-template.yaml").toURI());
  }

  private static void put(String key, String fail) {
    dynamo.putItem(b -> b.tableName("poller-test").item(Attr.item("pk", key, "fail", fail)));
  }

  /** The batches that held any of these keys, in delivery order, reduced to those keys. */
  private static List<List<String>> batchesOf(List<String> keys) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> batch : ScriptedStreamHandler.BATCHES) {
      List<String> mine = batch.stream().filter(keys::contains).toList();
      if (!mine.isEmpty()) {
        out.add(mine);
      }
    }
    return out;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; batches: " + ScriptedStreamHandler.BATCHES);
      }
      Thread.sleep(50);
    }
  }

  private static List<String> keys(String prefix, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "-" + i);
    }
    return keys;
  }

  @Test
  void theHandlerGetsTheFunctionsEnvironment() {
    assertTrue(ScriptedStreamHandler.ENVIRONMENT_SEEN.contains("poller-test"), ScriptedStreamHandler.ENVIRONMENT_SEEN.toString());
  }

  @Test
  void batchesHoldAtMostBatchSizeRecordsInStreamOrder() throws Exception {
    List<String> keys = keys("size", 7);
    keys.forEach(k -> put(k, "none"));
    await("all seven records", () -> batchesOf(keys).stream().mapToInt(List::size).sum() >= 7);
    List<List<String>> batches = batchesOf(keys);
    assertTrue(batches.stream().allMatch(b -> b.size() <= 3), batches.toString());
    assertEquals(keys, batches.stream().flatMap(List::stream).toList(), "each record once, in order");
  }

  @Test
  void theBatchingWindowGathersRecordsThatArriveWithinIt() throws Exception {
    List<String> keys = keys("window", 2);
    put(keys.get(0), "none");
    Thread.sleep(300);
    put(keys.get(1), "none");
    await("both records", () -> batchesOf(keys).stream().mapToInt(List::size).sum() >= 2);
    assertEquals(List.of(keys), batchesOf(keys), "one batch: the second record came within the 1 s window");
  }

  @Test
  void aReportedFailureIsRetriedFromThatRecordAndTheRecordsBeforeItAreDone() throws Exception {
    List<String> keys = keys("report", 3);
    put(keys.get(0), "none");
    put(keys.get(1), "report:1");
    put(keys.get(2), "none");
    await("the retry", () -> batchesOf(keys).size() >= 2);
    assertEquals(List.of(keys, keys.subList(1, 3)), batchesOf(keys));
  }

  @Test
  void aPoisonRecordIsBisectedOutRetriedToTheLimitAndSentToTheFailureDestination() throws Exception {
    int before = runtime.failedBatches("failed-batches").size();
    List<String> keys = keys("poison", 3);
    put(keys.get(0), "none");
    put(keys.get(1), "throw");
    put(keys.get(2), "none");
    await("the failure destination", () -> runtime.failedBatches("failed-batches").size() > before);
    Thread.sleep(500);
    List<String> failed = runtime.failedBatches("failed-batches");
    assertEquals(before + 1, failed.size(), "one failed batch: the poison record alone");
    JsonNode info = Json.parse(failed.get(failed.size() - 1)).get("DDBStreamBatchInfo");
    assertEquals(1, info.get("batchSize").asInt());
    List<List<String>> batches = batchesOf(keys);
    long poisonDeliveries = batches.stream().filter(b -> b.equals(List.of(keys.get(1)))).count();
    assertEquals(3, poisonDeliveries, "alone: the first try and MaximumRetryAttempts (2) retries: " + batches);
    assertTrue(batches.contains(List.of(keys.get(0))) || batches.get(0).contains(keys.get(0)));
    assertTrue(batches.stream().anyMatch(b -> b.contains(keys.get(2)) && !b.contains(keys.get(1))),
        "the record after the poison one is delivered without it: " + batches);
  }

  @Test
  void withAParallelizationFactorLanesRunAtOnceAndEachKeysRecordsStayInOrder() throws Exception {
    List<String> keys = keys("lane", 12);
    List<String> expected = new ArrayList<>();
    for (int seq = 1; seq <= 5; seq++) {
      for (String key : keys) {
        // One record of the 60 fails the first time it is met: its lane retries from it, the others go on.
        String fail = seq == 3 && key.equals(keys.get(4)) ? "report" : "none";
        long n = seq;
        dynamo.putItem(b -> b.tableName("lanes-test").item(Attr.item("pk", key, "seq", n, "fail", fail)));
        expected.add(key + "#" + seq);
      }
    }
    await("all sixty records", () -> LaneRecordingHandler.BATCHES.stream().mapToInt(List::size).sum() >= 60);
    Thread.sleep(500);
    List<String> handled = LaneRecordingHandler.BATCHES.stream().flatMap(List::stream).toList();
    assertEquals(expected.stream().sorted().toList(), handled.stream().sorted().toList(), "each record once");
    for (String key : keys) {
      List<String> ofKey = handled.stream().filter(r -> r.startsWith(key + "#")).toList();
      assertEquals(expected.stream().filter(r -> r.startsWith(key + "#")).toList(), ofKey, "in order: " + key);
    }
    assertTrue(LaneRecordingHandler.BATCHES.stream().allMatch(b -> b.size() <= 4), "batches of at most BatchSize");
    assertTrue(LaneRecordingHandler.MOST_AT_ONCE.get() >= 2,
        "lanes overlap: at most " + LaneRecordingHandler.MOST_AT_ONCE.get() + " invocation(s) at once");
  }

  @Test
  void anSqsMappingWorksItsQueueWithSeveralPollersUpToItsMaximumConcurrency() throws Exception {
    var sqs = software.amazon.awssdk.services.sqs.SqsClient.builder()
        .endpointOverride(java.net.URI.create(runtime.queueUrl("WorkQueue")).resolve("/"))
        .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
        .build();
    List<String> bodies = keys("work", 24);
    try (sqs) {
      for (String body : bodies) {
        sqs.sendMessage(b -> b.queueUrl(runtime.queueUrl("WorkQueue")).messageBody(body));
      }
    }
    await("every message", () -> QueueRecordingHandler.BODIES.containsAll(bodies));
    assertEquals(bodies.stream().sorted().toList(), QueueRecordingHandler.BODIES.stream().sorted().toList(),
        "each message once");
    int most = QueueRecordingHandler.MOST_AT_ONCE.get();
    assertTrue(most >= 2 && most <= 3, "batches at once: " + most + " (MaximumConcurrency 3)");
  }
}
