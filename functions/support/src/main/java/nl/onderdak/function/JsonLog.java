package nl.onderdak.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import nl.onderdak.core.json.Json;

/**
 * One JSON line per event, to standard output (CloudWatch Logs in AWS). Callers pass ids, codes
 * and counts only: never a name, email, phone, address or free text.
 */
public final class JsonLog {
  private JsonLog() {}

  public static ObjectNode line(String level, String message) {
    ObjectNode line = Json.object();
    line.put("time", Instant.now().toString());
    line.put("level", level);
    line.put("message", message);
    return line;
  }

  public static void write(ObjectNode line) {
    System.out.println(Json.write(line));
  }
}
