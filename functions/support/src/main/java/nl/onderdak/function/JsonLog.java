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

  /** Where an error happened (class, method, line; the causes' too), without any exception's message. */
  public static String frames(Throwable error) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (out.length() > 0) {
        out.append(" | caused by ");
      }
      out.append(t.getClass().getName());
      StackTraceElement[] frames = t.getStackTrace();
      for (int i = 0; i < Math.min(8, frames.length); i++) {
        out.append(" at ").append(frames[i].getClassName()).append('.').append(frames[i].getMethodName())
            .append(':').append(frames[i].getLineNumber());
      }
    }
    return out.toString();
  }

  public static void write(ObjectNode line) {
    System.out.println(Json.write(line));
  }
}
