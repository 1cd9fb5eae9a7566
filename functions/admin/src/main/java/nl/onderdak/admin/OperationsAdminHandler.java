package nl.onderdak.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import nl.onderdak.core.chain.ChainPicture;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.ops.RegionalPicture;
import nl.onderdak.core.ops.Target;
import nl.onderdak.core.ops.Targets;
import nl.onderdak.core.ops.TargetsCsv;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import nl.onderdak.function.Wiring;

/**
 * Operators' view of where things stand (IAM in AWS, the admin token locally):
 * <ul>
 *   <li>{@code GET /admin/picture}: the funnel, and per province and municipality supply, demand, wait,
 *       and targets against what was realised this year ({@link RegionalPicture});
 *   <li>{@code GET /admin/chain}: per organisation the open cases it holds and, per step, those waiting on it;
 *       the cases waiting with a role nobody holds ({@link ChainPicture}); what the chain dashboard shows;
 *   <li>{@code PUT /admin/targets}: loads the agreed targets from a CSV file ({@link TargetsCsv}); the
 *       whole file is checked before any line is stored;
 *   <li>{@code GET /admin/targets?year=2026}: the targets of a year, as stored.
 * </ul>
 */
public final class OperationsAdminHandler extends HttpHandler {
  static final int MAX_CSV_BYTES = 512 * 1024;
  private final RegionalPicture picture;
  private final Targets targets;
  private final ChainPicture chain;
  private final PartnerStore partners;
  private final Clock clock;

  public OperationsAdminHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  @Override
  protected void primeStores() {
    picture.now();
    chain.now(List.of());
  }

  OperationsAdminHandler(Wiring wiring) {
    auditOperators(wiring.operatorAudit());
    this.targets = wiring.targets();
    this.picture = new RegionalPicture(wiring.tallies(), targets, wiring.matchStore(), wiring.clock());
    this.chain = wiring.chainPicture();
    this.partners = wiring.partners();
    this.clock = wiring.clock();
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    APIGatewayV2HTTPResponse response = switch (request.routeKey()) {
      case "GET /admin/picture" -> HttpResponses.json(200, RegionalPicture.toJson(picture.now()));
      case "GET /admin/chain" -> HttpResponses.json(200, ChainPicture.toJson(chain.now(partners.all())));
      case "PUT /admin/targets" -> load(request);
      case "GET /admin/targets" -> list(request);
      default -> throw HttpProblem.notFound();
    };
    ObjectNode log = JsonLog.line("INFO", "operations request");
    log.put("route", request.routeKey()).put("status", response.getStatusCode()).put("requestId", request.requestId());
    JsonLog.write(log);
    return response;
  }

  private APIGatewayV2HTTPResponse load(HttpRequest request) {
    List<Target> parsed = TargetsCsv.parse(request.textBody(MAX_CSV_BYTES, "text/csv", "text/plain"));
    targets.store(parsed, ScreeningDecisionHandler.adminActor(request).wire(), clock.instant());
    TreeSet<Integer> years = new TreeSet<>();
    parsed.forEach(t -> years.add(t.year()));
    ObjectNode body = Json.object().put("stored", parsed.size());
    ArrayNode y = body.putArray("years");
    years.forEach(y::add);
    return HttpResponses.json(200, body);
  }

  private APIGatewayV2HTTPResponse list(HttpRequest request) {
    String asked = request.queryParameter("year");
    int year;
    if (asked == null) {
      year = clock.instant().atZone(ZoneOffset.UTC).getYear();
    } else if (asked.matches("\\d{4}")) {
      year = Integer.parseInt(asked);
    } else {
      throw new HttpProblem(400, "validation_failed", "year must be a year such as 2026",
          List.of(new FieldError("year", FieldError.Codes.INVALID_FORMAT, "four digits")));
    }
    ObjectNode body = Json.object().put("year", year);
    ArrayNode rows = body.putArray("targets");
    for (Map.Entry<String, Target> e : targets.year(year).entrySet()) {
      ObjectNode row = rows.addObject().put("region", e.getKey());
      if (e.getValue().homes() == null) {
        row.putNull("homes");
      } else {
        row.put("homes", e.getValue().homes());
      }
      if (e.getValue().households() == null) {
        row.putNull("households");
      } else {
        row.put("households", e.getValue().households());
      }
      if (e.getValue().name() != null) {
        row.put("name", e.getValue().name());
      }
    }
    return HttpResponses.json(200, body);
  }
}
