package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseAccess;
import nl.onderdak.core.chain.CaseDesk;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.IntroductionStep;
import nl.onderdak.core.chain.MatchParties;
import nl.onderdak.core.chain.PlacementStep;
import nl.onderdak.core.chain.ProposalReviewStep;
import nl.onderdak.core.chain.StayStep;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;

/**
 * The partner routes on one match, for the organisations responsible for one of its cases. A match's steps are
 * those of its host case's programme.
 *
 * <pre>
 * GET  /partner/matches/{id}                         a match, its reviewers and reviews
 * POST /partner/matches/{id}/review                  {decision: accept|decline, reason, text}
 * POST /partner/matches/{id}/introduction            {outcome: go|no_go|trial, reason, text, decideBy}
 * POST /partner/matches/{id}/placement               {moveInDate, agreedEndDate}
 * POST /partner/matches/{id}/stay                    {agreedEndDate, reason, text}: extended or shortened
 * POST /partner/matches/{id}/checkin                 {reason: outcome, severity, text, replace}, Idempotency-Key
 * POST /partner/matches/{id}/next                    {reason: own_home|returned|rematch|extension_asked|other, text}
 * POST /partner/matches/{id}/end                     {reason, text}
 * </pre>
 */
final class MatchRoutes {
  private final Chain chain;
  private final CaseAccess access;
  private final CaseDesk desk;

  MatchRoutes(Chain chain, CaseAccess access, CaseDesk desk) {
    this.chain = chain;
    this.access = access;
    this.desk = desk;
  }

  APIGatewayV2HTTPResponse handle(Actor actor, String id, HttpRequest request) {
    if (request.routeKey().equals("GET /partner/matches/{id}")) {
      CaseDesk.MatchRead m = desk.match(actor.partnerId(), id, request.requestId());
      return HttpResponses.json(200, PartnerViews.matchJson(m.parties(), m.texts()));
    }
    MatchParties p = access.matchFor(actor.partnerId(), id);
    return PartnerViews.decided(200, switch (request.routeKey()) {
      case "POST /partner/matches/{id}/review" ->
          p.host().step(ProposalReviewStep.class).review(chain, actor, p.match(), request.jsonBody());
      case "POST /partner/matches/{id}/introduction" ->
          p.host().step(IntroductionStep.class).record(chain, actor, p.match(), request.jsonBody());
      case "POST /partner/matches/{id}/placement" ->
          p.host().step(PlacementStep.class).confirm(chain, actor, p.match(), request.jsonBody());
      case "POST /partner/matches/{id}/checkin" ->
          p.host().step(StayStep.class).checkIn(chain, actor, p.match(), request.jsonBody(),
              PartnerRequests.idempotencyKey(request, "a check-in"));
      case "POST /partner/matches/{id}/stay" ->
          p.host().step(StayStep.class).changeEnd(chain, actor, p.match(), request.jsonBody());
      case "POST /partner/matches/{id}/next" ->
          p.host().step(StayStep.class).planNext(chain, actor, p.match(), request.jsonBody());
      case "POST /partner/matches/{id}/end" ->
          p.host().step(StayStep.class).end(chain, actor, p.match(), request.jsonBody());
      default -> throw HttpProblem.notFound();
    });
  }
}
