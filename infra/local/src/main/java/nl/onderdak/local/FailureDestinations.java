package nl.onderdak.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.onderdak.core.json.Json;

/**
 * Where stream batches go after their last retry: the on-failure destination of the mapping (an
 * SQS queue in AWS). Locally each queue is a JSON-lines file in the data folder (or memory), one
 * message per failed batch, in the shape Lambda sends: which shard and which sequence numbers, so an
 * operator can find and replay them. Nothing is dropped silently.
 */
final class FailureDestinations {
  private final Path folder;
  private final Map<String, List<String>> messages = new ConcurrentHashMap<>();

  FailureDestinations(Path dataDir) {
    this.folder = dataDir == null ? null : dataDir.resolve("failed-batches");
  }

  void send(String queueName, ObjectNode message) {
    String line = Json.write(message);
    messages.computeIfAbsent(queueName, q -> new ArrayList<>());
    synchronized (this) {
      messages.get(queueName).add(line);
      if (folder != null) {
        try {
          Files.createDirectories(folder);
          Files.writeString(folder.resolve(queueName + ".jsonl"), line + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    ObjectNode log = Json.object()
        .put("time", java.time.Instant.now().toString())
        .put("level", "WARN")
        .put("message", "stream batch sent to its on-failure destination")
        .put("queue", queueName);
    // Which function gave up, and how (Lambda's own fields), so the failure can be told apart without the file.
    log.set("function", message.path("requestContext").path("functionArn"));
    // Only the kind of error (the exception's class, or "injected fault"): its message stays in the queue's file.
    String error = message.path("responseContext").path("functionError").asText("");
    log.put("functionError", error.contains(":") ? error.substring(0, error.indexOf(':')) : error);
    log.set("batch", message.get("DDBStreamBatchInfo"));
    System.out.println(Json.write(log));
  }

  synchronized List<String> messages(String queueName) {
    return List.copyOf(messages.getOrDefault(queueName, List.of()));
  }
}
