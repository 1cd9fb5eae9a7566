package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseAccess;
import nl.onderdak.core.chain.CaseFiles;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.Chain;
import nl.onderdak.core.chain.ChainStore;
import nl.onderdak.core.chain.DuplicateCheckStep;
import nl.onderdak.core.chain.Handovers;
import nl.onderdak.core.chain.MatchParties;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.chain.PlacementStep;
import nl.onderdak.core.chain.ProposalReviewStep;
import nl.onderdak.core.chain.Refused;
import nl.onderdak.core.chain.RoutingStore;
import nl.onderdak.core.chain.ScreeningStep;
import nl.onderdak.core.chain.StayStep;
import nl.onderdak.core.chain.WithdrawalStep;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.ProviderHomes;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.DynamoDbClients;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The partner API, behind the partner-key authorizer. Every route asks {@link CaseAccess} first: an organisation
 * sees and acts on a case only while it is responsible for it (or reviews an active match involving it); every
 * other id answers {@code 404}, exactly as an unknown id does. Decisions are the programme's steps; this class
 * only reads requests and shapes answers ({@link PartnerViews}).
 *
 * <pre>
 * GET  /partner/me                                   who the key belongs to
 * GET  /partner/cases?role=&amp;status=&amp;waitingDays=&amp;order=&amp;limit=&amp;cursor=   its cases
 * GET  /partner/queue                                what waits on it, longest waiting first
 * GET  /partner/cases/{id}                           a case with its personal details (each read is recorded)
 * GET  /partner/cases/{id}/history                   every change: who, what, when, why
 * GET  /partner/cases/{id}/notes                     notes (each read is recorded)
 * POST /partner/cases/{id}/notes                     {text}, with an Idempotency-Key
 * POST /partner/cases/{id}/handover                  {role, to, reason, text}
 * POST /partner/cases/{id}/handovers/{handoverId}    {decision: accept|refuse, reason, text}: the receiver
 * POST /partner/cases/{id}/hold                      {decision: release|close, reason, text}
 * POST /partner/hosts/{id}/screening                 {decision: approved|rejected, reason, text}
 * POST /partner/cases/{id}/withdraw                  {reason, text}
 * POST /partner/homes                                {contact, homes[]}: a housing provider's own homes
 * GET  /partner/matches/{id}                         a match, its reviewers and reviews
 * POST /partner/matches/{id}/review                  {decision: accept|decline, reason, text}
 * POST /partner/matches/{id}/placement               {moveInDate}
 * POST /partner/matches/{id}/end                     {reason, text}
 * </pre>
 */
public final class PartnerApiHandler extends HttpHandler {
  private static final Set<String> ORDERS = Set.of("longest_waiting", "newest");
  private final PartnerStore partners;
  private final Chain chain;
  private final CaseAccess access;
  private final CaseFiles files;
  private final PartnerWork work;
  private final ProviderHomes providerHomes;
  private final PartnerDirectory directory;

  public PartnerApiHandler() {
    this(DynamoDbClients.fromEnv(), Tables.fromEnv(), Clock.systemUTC());
  }

  PartnerApiHandler(DynamoDbClient dynamo, Tables tables, Clock clock) {
    Duration retention = Duration.ofDays(Env.integer("PERSONAL_DATA_RETENTION_DAYS", 365));
    ChainStore store = new ChainStore(dynamo, tables, retention);
    this.partners = new PartnerStore(dynamo, tables.partners());
    this.chain = new Chain(store, clock);
    this.access = new CaseAccess(store);
    this.files = new CaseFiles(dynamo, tables, retention);
    this.work = new PartnerWork(dynamo, tables.cases());
    this.providerHomes = new ProviderHomes(new RegistrationService(new CaseStore(dynamo, tables), clock, retention,
        new RoutingStore(dynamo, tables.partners())::read), clock);
    this.directory = new PartnerDirectory(partners, clock);
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String partnerId = request.authorizerContext("partnerId");
    // The authorizer lets no request through without a partner; this is the second lock.
    Partner partner = partnerId == null ? null : partners.find(partnerId).orElse(null);
    if (partner == null) {
      throw new HttpProblem(403, "forbidden", "this route needs a partner API key");
    }
    Actor actor = Actor.of(partner);
    String id = request.pathParameter("id");
    APIGatewayV2HTTPResponse response = switch (request.routeKey()) {
      case "GET /partner/me" -> HttpResponses.json(200, PartnerAdminHandler.partnerJson(partner));
      case "GET /partner/cases" -> HttpResponses.json(200, PartnerViews.pageJson("cases",
          work.cases(partner.id(), filters(request), request.queryParameter("cursor"), request.queryInt("limit", 50, 1, PartnerWork.MAX_LIMIT),
              chain.clock().instant())));
      case "GET /partner/queue" -> HttpResponses.json(200, PartnerViews.queueJson(
          work.waiting(partner.id(), request.queryParameter("cursor"), request.queryInt("limit", PartnerWork.MAX_LIMIT, 1, PartnerWork.MAX_LIMIT))));
      case "GET /partner/cases/{id}" -> caseView(partner, id, request);
      case "GET /partner/cases/{id}/history" -> history(partner, id, request);
      case "GET /partner/cases/{id}/notes" -> notes(partner, id, request);
      case "POST /partner/cases/{id}/notes" -> addNote(actor, id, request);
      case "POST /partner/cases/{id}/handover" -> decided(201, Handovers.request(chain, actor,
          access.caseFor(partner.id(), id).c(), request.jsonBody(), directory::find));
      case "POST /partner/cases/{id}/handovers/{handoverId}" -> decided(200, Handovers.decide(chain, actor, id,
          request.pathParameter("handoverId"), request.jsonBody()));
      case "POST /partner/cases/{id}/hold" -> {
        CaseView c = access.caseForDecision(actor, id);
        yield decided(200, step(c, DuplicateCheckStep.class).decide(chain, actor, c, request.jsonBody()));
      }
      case "POST /partner/hosts/{id}/screening" -> {
        CaseView c = access.caseForDecision(actor, hostId(id));
        yield decided(200, step(c, ScreeningStep.class).decide(chain, actor, c, request.jsonBody()));
      }
      case "POST /partner/cases/{id}/withdraw" -> {
        CaseView c = access.caseForDecision(actor, id);
        yield decided(200, step(c, WithdrawalStep.class).withdraw(chain, actor, c, request.jsonBody()));
      }
      case "POST /partner/homes" -> offerHomes(partner, request);
      case "GET /partner/matches/{id}" -> matchView(partner, id, request);
      case "POST /partner/matches/{id}/review" -> {
        MatchParties p = access.matchFor(partner.id(), id);
        yield decided(200, programme(p).step(ProposalReviewStep.class).review(chain, actor, p.match(),
            request.jsonBody()));
      }
      case "POST /partner/matches/{id}/placement" -> {
        MatchParties p = access.matchFor(partner.id(), id);
        yield decided(200, programme(p).step(PlacementStep.class).confirm(chain, actor, p.match(), request.jsonBody()));
      }
      case "POST /partner/matches/{id}/end" -> {
        MatchParties p = access.matchFor(partner.id(), id);
        yield decided(200, programme(p).step(StayStep.class).end(chain, actor, p.match(), request.jsonBody()));
      }
      default -> throw HttpProblem.notFound();
    };
    ObjectNode log = JsonLog.line("INFO", "partner request");
    log.put("partnerId", partner.id()).put("route", request.routeKey())
        .put("status", response.getStatusCode()).put("requestId", request.requestId());
    if (id != null) {
      // Case routes follow the case; match routes name the match (its events carry both cases).
      log.put(request.routeKey().contains("/matches/") ? "matchId" : "correlationId", id);
    }
    JsonLog.write(log);
    return response;
  }

  /** The step of the case's programme that a route names; a case whose programme has none is not there. */
  static <S extends nl.onderdak.core.chain.Step> S step(CaseView c, Class<S> kind) {
    S step = c.programmeDefinition().step(kind);
    if (step == null) {
      throw Refused.conflict("no_such_step", "the " + c.programme() + " programme has no such step");
    }
    return step;
  }

  private static nl.onderdak.core.chain.Programme programme(MatchParties p) {
    return p.host().programmeDefinition();
  }

  private static String hostId(String id) {
    if (id == null || CaseKind.ofId(id) != CaseKind.HOST) {
      throw HttpProblem.notFound();
    }
    return id;
  }

  private static APIGatewayV2HTTPResponse decided(int status, nl.onderdak.core.chain.Decided d) {
    return HttpResponses.json(d.repeated() && status == 201 ? 200 : status, PartnerViews.decided(d));
  }

  private APIGatewayV2HTTPResponse caseView(Partner partner, String id, HttpRequest request) {
    CaseAccess.Sight sight = access.caseFor(partner.id(), id);
    ObjectNode out = PartnerViews.caseJson(sight, files.details(id), directory::find);
    files.recordRead(sight, partner.id(), "details", request.requestId(), chain.clock().instant());
    return HttpResponses.json(200, out);
  }

  /** A match; its decisions' texts are personal data, so reading them is put on record on the case it holds. */
  private APIGatewayV2HTTPResponse matchView(Partner partner, String id, HttpRequest request) {
    MatchParties p = access.matchFor(partner.id(), id);
    Map<String, CaseFiles.Text> texts = files.matchTexts(p.match().id());
    if (!texts.isEmpty()) {
      CaseView held = CaseAccess.holds(partner.id(), p.guest()).isEmpty() ? p.host() : p.guest();
      files.recordRead(new CaseAccess.Sight(held, CaseAccess.holds(partner.id(), held), null, null), partner.id(),
          "match_texts", request.requestId(), chain.clock().instant());
    }
    return HttpResponses.json(200, PartnerViews.matchJson(p, texts));
  }

  private APIGatewayV2HTTPResponse history(Partner partner, String id, HttpRequest request) {
    CaseAccess.Sight sight = access.caseFor(partner.id(), id);
    ObjectNode out = PartnerViews.historyJson(sight, files.history(id),
        sight.seesTexts() ? files.decisionTexts(id) : Map.of(), sight.seesTexts() ? files.reads(id) : List.of());
    if (sight.seesTexts()) {
      files.recordRead(sight, partner.id(), "history", request.requestId(), chain.clock().instant());
    }
    return HttpResponses.json(200, out);
  }

  private APIGatewayV2HTTPResponse notes(Partner partner, String id, HttpRequest request) {
    CaseAccess.Sight sight = access.caseFor(partner.id(), id);
    if (!sight.seesTexts()) {
      throw HttpProblem.notFound(); // notes are for the organisations responsible for the case
    }
    ObjectNode out = PartnerViews.notesJson(id, files.notes(id));
    files.recordRead(sight, partner.id(), "notes", request.requestId(), chain.clock().instant());
    return HttpResponses.json(200, out);
  }

  private APIGatewayV2HTTPResponse addNote(Actor actor, String id, HttpRequest request) {
    CaseAccess.Sight sight = access.caseFor(actor.partnerId(), id);
    if (!sight.seesTexts()) {
      throw HttpProblem.notFound();
    }
    String key = idempotencyKey(request, "a note");
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String text = body.string("text", true, 1, 4000);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    try {
      var note = files.addNote(id, actor, text, key, chain.clock().instant());
      return HttpResponses.json(note.getValue() ? 200 : 201, PartnerViews.noteJson(note.getKey()));
    } catch (CaseFiles.NoteKeyReused e) {
      throw new HttpProblem(422, "idempotency_key_reused", e.getMessage());
    }
  }

  /** A housing provider's own homes ({@link ProviderHomes}), with an Idempotency-Key. */
  private APIGatewayV2HTTPResponse offerHomes(Partner partner, HttpRequest request) {
    if (!partner.roles().contains(Role.HOUSING_PROVIDER)) {
      throw new HttpProblem(403, "not_a_housing_provider", "only housing providers offer homes in bulk");
    }
    String key = idempotencyKey(request, "a bulk offer");
    ObjectNode out = Json.object();
    ArrayNode created = out.putArray("homes");
    for (ProviderHomes.Offered home : providerHomes.offer(partner, request.jsonBody(), key)) {
      created.addObject().put("id", home.hostId()).put("status", home.status());
    }
    return HttpResponses.json(201, out);
  }

  private static String idempotencyKey(HttpRequest request, String what) {
    String key = request.header("idempotency-key");
    if (key == null || key.isBlank() || key.length() > 100) {
      throw new HttpProblem(400, "idempotency_key_required", "send an Idempotency-Key header (" + what
          + " is retried with it)", List.of(new FieldError("Idempotency-Key", FieldError.Codes.MISSING,
          "required for " + what)));
    }
    return key;
  }

  private static PartnerWork.Filters filters(HttpRequest request) {
    List<FieldError> errors = new ArrayList<>();
    String roleWire = request.queryParameter("role");
    Role role = roleWire == null ? null : Role.fromWire(roleWire);
    if (roleWire != null && role == null) {
      errors.add(new FieldError("role", FieldError.Codes.INVALID_VALUE, "one of the roles"));
    }
    Set<String> statuses = new LinkedHashSet<>();
    String status = request.queryParameter("status");
    if (status != null) {
      for (String s : status.split(",")) {
        if (!s.matches("[a-z_]{2,20}")) {
          errors.add(new FieldError("status", FieldError.Codes.INVALID_VALUE, "statuses, separated by commas"));
          break;
        }
        statuses.add(s);
      }
    }
    Integer days = null;
    String waiting = request.queryParameter("waitingDays");
    if (waiting != null) {
      try {
        days = Integer.parseInt(waiting);
        if (days < 0 || days > 3650) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        errors.add(new FieldError("waitingDays", FieldError.Codes.OUT_OF_RANGE, "a whole number of days, 0 or more"));
      }
    }
    String order = request.queryParameter("order");
    if (order != null && !ORDERS.contains(order)) {
      errors.add(new FieldError("order", FieldError.Codes.INVALID_VALUE, "one of " + ORDERS));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new PartnerWork.Filters(role, statuses, days, "newest".equals(order));
  }

  /** When this handler last read the directory of partners (names of the organisations on a case). */
  static final class PartnerDirectory {
    private final PartnerStore partners;
    private final Clock clock;
    private volatile Map<String, Partner> byId = Map.of();
    private volatile Instant readAt = Instant.EPOCH;

    PartnerDirectory(PartnerStore partners, Clock clock) {
      this.partners = partners;
      this.clock = clock;
    }

    /** A partner by id; the directory is read again after 30 s, or at once for an id it does not know. */
    Partner find(String id) {
      Partner p = byId.get(id);
      if (p == null || clock.instant().isAfter(readAt.plusSeconds(30))) {
        Map<String, Partner> all = new java.util.HashMap<>();
        partners.all().forEach(x -> all.put(x.id(), x));
        byId = all;
        readAt = clock.instant();
        p = all.get(id);
      }
      return p;
    }
  }
}
