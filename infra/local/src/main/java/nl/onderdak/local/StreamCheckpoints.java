package nl.onderdak.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import nl.onderdak.core.json.Json;

/**
 * Where each stream mapping has got to in each shard: the last sequence number it finished. Lambda
 * keeps this for an event source mapping; locally it is a file in the data folder, so a restarted
 * runtime goes on where it stopped instead of starting over. In memory when there is no data folder.
 */
final class StreamCheckpoints {
  private final Path file;
  private final Map<String, String> positions = new TreeMap<>();

  StreamCheckpoints(Path dataDir) {
    this.file = dataDir == null ? null : dataDir.resolve("stream-checkpoints.json");
    if (file != null && Files.isRegularFile(file)) {
      try {
        Json.parse(Files.readString(file)).fields().forEachRemaining(e -> positions.put(e.getKey(), e.getValue().asText()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  synchronized String get(String mapping, String shardId) {
    return positions.get(mapping + "|" + shardId);
  }

  synchronized void set(String mapping, String shardId, String sequenceNumber) {
    positions.put(mapping + "|" + shardId, sequenceNumber);
    if (file == null) {
      return;
    }
    ObjectNode json = Json.object();
    positions.forEach(json::put);
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temp, Json.write(json));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
