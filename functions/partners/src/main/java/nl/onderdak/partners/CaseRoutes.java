package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import nl.onderdak.core.chain.AdviceStep;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseAccess;
import nl.onderdak.core.chain.CaseDesk;
import nl.onderdak.core.chain.CaseFiles;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.DuplicateCheckStep;
import nl.onderdak.core.chain.Handovers;
import nl.onderdak.core.chain.ScreeningStep;
import nl.onderdak.core.chain.WithdrawalStep;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.partners.PartnerDirectory;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;

/**
 * The partner routes on one case: reading it ({@link CaseDesk}: every read on record), its notes, its handovers
 * and the steps' decisions on it. Sight first, always ({@link CaseAccess}); then the step, which checks the role.
 *
 * <pre>
 * GET  /partner/cases/{id}                           a case with its personal details (each read is recorded)
 * GET  /partner/cases/{id}/history                   every change: who, what, when, why
 * GET  /partner/cases/{id}/notes                     notes (each read is recorded)
 * POST /partner/cases/{id}/notes                     {text}, with an Idempotency-Key
 * POST /partner/cases/{id}/handover                  {role, to, reason, text}
 * POST /partner/cases/{id}/handovers/{handoverId}    {decision: accept|refuse, reason, text}: the receiver
 * POST /partner/cases/{id}/hold                      {decision: release|close, reason, text}
 * POST /partner/hosts/{id}/screening                 {decision: approved|rejected, reason, text}
 * POST /partner/cases/{id}/withdraw                  {reason, text}
 * </pre>
 */
final class CaseRoutes {
  private final Chain chain;
  private final CaseAccess access;
  private final CaseDesk desk;
  private final PartnerDirectory directory;

  CaseRoutes(Chain chain, CaseAccess access, CaseDesk desk, PartnerDirectory directory) {
    this.chain = chain;
    this.access = access;
    this.desk = desk;
    this.directory = directory;
  }

  APIGatewayV2HTTPResponse handle(Actor actor, String id, HttpRequest request) {
    String partnerId = actor.partnerId();
    String requestId = request.requestId();
    return switch (request.routeKey()) {
      case "GET /partner/cases/{id}" -> {
        CaseDesk.Details d = desk.details(partnerId, id, requestId);
        yield HttpResponses.json(200, PartnerViews.caseJson(d.sight(), d.personal(), directory::find));
      }
      case "GET /partner/cases/{id}/history" -> {
        CaseDesk.History h = desk.history(partnerId, id, requestId);
        yield HttpResponses.json(200, PartnerViews.historyJson(h.sight(), h.events(), h.texts(), h.reads()));
      }
      case "GET /partner/cases/{id}/notes" -> HttpResponses.json(200, PartnerViews.notesJson(id,
          desk.notes(partnerId, id, requestId)));
      case "POST /partner/cases/{id}/notes" -> addNote(actor, id, request);
      case "POST /partner/cases/{id}/handover" -> PartnerViews.decided(201, Handovers.request(chain, actor,
          access.caseFor(partnerId, id).c(), request.jsonBody(), directory::find));
      case "POST /partner/cases/{id}/handovers/{handoverId}" -> PartnerViews.decided(200, Handovers.decide(chain,
          actor, id, request.pathParameter("handoverId"), request.jsonBody()));
      case "POST /partner/cases/{id}/hold" -> {
        CaseView c = access.caseForDecision(actor, id);
        yield PartnerViews.decided(200, c.step(DuplicateCheckStep.class).decide(chain, actor, c, request.jsonBody()));
      }
      case "POST /partner/hosts/{id}/screening" -> {
        CaseView c = access.caseForDecision(actor, hostId(id));
        yield PartnerViews.decided(200, c.step(ScreeningStep.class).decide(chain, actor, c, request.jsonBody()));
      }
      case "POST /partner/cases/{id}/advice" -> {
        CaseView c = access.caseForDecision(actor, id);
        yield PartnerViews.decided(200, c.step(AdviceStep.class).advise(chain, actor, c, request.jsonBody(),
            PartnerRequests.idempotencyKey(request, "advice")));
      }
      case "POST /partner/cases/{id}/withdraw" -> {
        CaseView c = access.caseForDecision(actor, id);
        yield PartnerViews.decided(200, c.step(WithdrawalStep.class).withdraw(chain, actor, c, request.jsonBody()));
      }
      default -> throw HttpProblem.notFound();
    };
  }

  private APIGatewayV2HTTPResponse addNote(Actor actor, String id, HttpRequest request) {
    try {
      var note = desk.addNote(actor, id, () -> PartnerRequests.note(request));
      return HttpResponses.json(note.getValue() ? 200 : 201, PartnerViews.noteJson(note.getKey()));
    } catch (CaseFiles.NoteKeyReused e) {
      throw new HttpProblem(422, "idempotency_key_reused", e.getMessage());
    }
  }

  /** For SnapStart priming: the access check on a case that does not exist (one read, refused as not found). */
  void prime() {
    try {
      access.caseFor("P-0000000000000000", "G-0000000000000000");
    } catch (nl.onderdak.core.chain.Refused expected) {
      // not found, as it must be
    }
  }

  private static String hostId(String id) {
    if (id == null || CaseKind.ofId(id) != CaseKind.HOST) {
      throw HttpProblem.notFound();
    }
    return id;
  }
}
