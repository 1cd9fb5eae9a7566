package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import nl.onderdak.core.support.Env;
import nl.onderdak.function.Priming;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming, for every function of the template: each handler, built as Lambda builds it, registers a prime;
 * run as the checkpoint would run them, every prime succeeds and none writes anything in any table.
 */
class PrimingTest {
  private static final String ADMIN = "priming-token";

  @Test
  void everyFunctionPrimesItselfWithoutFailingOrWriting() throws Exception {
    SamTemplate template = SamTemplate.load(SamTemplate.locateFile());
    try (LocalRuntime runtime = LocalRuntime.start(FormTicket.noWait(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null,
        ADMIN)))) {
      // Something to read: a host, registered as a person would.
      HttpResponse<String> host = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://localhost:" + runtime.httpPort() + "/registrations/hosts"))
          .header(FormTicket.HEADER, FormTicket.fetch(HttpClient.newHttpClient(), "http://localhost:" + runtime.httpPort()))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(LocalRuntimeEndToEndTest.hostBody("PV26"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, host.statusCode(), host.body());
      Map<String, String> before = settled(runtime); // the stream functions' own work on it is done

      int mark = Priming.count();
      for (SamTemplate.Function fn : template.functions()) {
        String handler = fn.handler().split("::")[0];
        Env.with(runtime.environment(fn.logicalId()),
            () -> Class.forName(handler).getDeclaredConstructor().newInstance());
      }
      List<String> lines = new CopyOnWriteArrayList<>();
      Consumer<String> tap = lines::add;
      LogTap.add(tap);
      try {
        Priming.primeFrom(mark);
      } finally {
        LogTap.remove(tap);
      }
      List<String> primed = lines.stream().filter(l -> l.contains("\"primed before the snapshot\"")).toList();
      List<String> failed = lines.stream().filter(l -> l.contains("\"priming failed")).toList();
      assertTrue(failed.isEmpty(), "every prime succeeds: " + failed);
      assertEquals(template.functions().size(), primed.size(), "one prime per function: " + primed);
      Map<String, String> after = everything(runtime);
      for (String table : before.keySet()) {
        assertEquals(before.get(table), after.get(table), "no prime writes anything in " + table);
      }
      assertEquals(before.keySet(), after.keySet());
    }
  }

  /** The tables once two reads a second apart agree. */
  private static Map<String, String> settled(LocalRuntime runtime) throws InterruptedException {
    Map<String, String> last = everything(runtime);
    for (int i = 0; i < 30; i++) {
      Thread.sleep(1000);
      Map<String, String> now = everything(runtime);
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("the tables never settled");
  }

  /** Every item of every table, in a canonical order. */
  private static Map<String, String> everything(LocalRuntime runtime) {
    Map<String, String> out = new TreeMap<>();
    var dynamo = runtime.dynamoDb().client();
    for (String table : dynamo.listTables().tableNames()) {
      List<String> items = new ArrayList<>();
      dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
          .forEach(item -> items.add(canonical(item)));
      items.sort(null);
      out.put(table, String.join("\n", items));
    }
    return out;
  }

  private static String canonical(Map<String, AttributeValue> item) {
    return new TreeMap<>(item).toString();
  }
}
