package nl.onderdak.tallies;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.tally.RegionTallies;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.Wiring;

/**
 * {@code GET /admin/regions}: every province's tally, the four headline figures always present
 * (zero where nothing happened yet), then every other status counted so far. An operators' route:
 * IAM-authorised in AWS, admin token locally.
 */
public final class RegionTallyQueryHandler extends HttpHandler {
  static final List<String> HEADLINE = List.of(
      RegionTallies.counter("guest", "open"),
      RegionTallies.counter("guest", "on_hold"),
      RegionTallies.counter("host", "screening"),
      RegionTallies.counter("host", "approved"));

  private final RegionTallies tallies;

  public RegionTallyQueryHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  RegionTallyQueryHandler(Wiring wiring) {
    this(wiring.tallies());
    auditOperators(wiring.operatorAudit());
  }

  @Override
  protected void primeStores() {
    tallies.all();
  }

  RegionTallyQueryHandler(RegionTallies tallies) {
    this.tallies = tallies;
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    Map<String, Map<String, Long>> all = tallies.all();
    ObjectNode body = Json.object();
    ArrayNode regions = body.putArray("regions");
    Regions.provinces().forEach((code, name) -> {
      Map<String, Long> counts = all.getOrDefault(code, Map.of());
      ObjectNode region = regions.addObject().put("region", code).put("name", name);
      ObjectNode c = region.putObject("counts");
      HEADLINE.forEach(h -> c.put(h, counts.getOrDefault(h, 0L)));
      counts.forEach((k, v) -> {
        if (!HEADLINE.contains(k)) {
          c.put(k, v);
        }
      });
    });
    return HttpResponses.json(200, body);
  }
}
