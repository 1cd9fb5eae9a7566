package nl.onderdak.matching;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.onderdak.core.model.Regions;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.Wiring;

/**
 * {@code GET /admin/matching/{region}}: the last matching run's picture of a province — households
 * wanting to live there, approved hosts and beds, proposals made, and every household left unmatched
 * with the reason. An operators' route (IAM in AWS, admin token locally).
 */
public final class MatchingQueryHandler extends HttpHandler {
  private final RegionRunLog log;

  public MatchingQueryHandler() {
    this(Wiring.fromEnv());
    primeBeforeSnapshot();
  }

  @Override
  protected void primeStores() {
    log.read("PV26");
  }

  MatchingQueryHandler(Wiring wiring) {
    this(new RegionRunLog(wiring.dynamo(), wiring.tables().regionStats()));
    auditOperators(wiring.operatorAudit());
  }

  MatchingQueryHandler(RegionRunLog log) {
    this.log = log;
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String region = Regions.normalise(request.pathParameter("region"));
    if (!Regions.isProvince(region)) {
      throw HttpProblem.notFound();
    }
    ObjectNode picture = log.read(region);
    if (picture == null) {
      throw new HttpProblem(404, "no_run_yet", "no matching run has covered " + region + " yet");
    }
    return HttpResponses.json(200, picture);
  }
}
