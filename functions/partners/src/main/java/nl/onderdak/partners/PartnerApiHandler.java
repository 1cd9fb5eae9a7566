package nl.onderdak.partners;

import static nl.onderdak.core.storage.Attr.s;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchDecisions;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.PartnerAccess;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.core.partners.ProviderHomes;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.DynamoDbClients;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Ids;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;
import nl.onderdak.function.JsonLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The partner API, behind the partner-key authorizer. A partner sees and acts on only what is routed
 * to it ({@link PartnerAccess}); every other id answers {@code 404}, exactly as an unknown id does.
 *
 * <pre>
 * GET  /partner/me                       who the key belongs to: roles, regions, endpoints
 * GET  /partner/queue                    what waits for it: hosts to screen, households on hold, proposals, placements
 * POST /partner/cases/{id}/hold          {decision: release|close, reason}: a household on hold as a possible duplicate
 * GET  /partner/cases/{id}               a case with its personal details (each read is recorded)
 * GET  /partner/cases/{id}/history       every change: who, what, when, why
 * POST /partner/hosts/{id}/screening     {decision: approved|rejected, reason}
 * POST /partner/cases/{id}/withdraw      {reason}: the household or host withdraws
 * POST /partner/homes                    {contact, homes[]}: a housing provider offers homes in bulk
 * GET  /partner/matches/{id}             a match: who, score and its parts, reviews
 * POST /partner/matches/{id}/review      {decision: accept|decline, reason, text}
 * POST /partner/matches/{id}/placement   {moveInDate}
 * POST /partner/matches/{id}/end         {reason: own_home|needs_new_place|returned|other, text}
 * </pre>
 */
public final class PartnerApiHandler extends HttpHandler {
  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final PartnerStore partners;
  private final MatchStore matches;
  private final MatchDecisions decisions;
  private final CaseStore cases;
  private final ProviderHomes providerHomes;
  private final Clock clock;

  public PartnerApiHandler() {
    this(DynamoDbClients.fromEnv(), Tables.fromEnv(), Clock.systemUTC());
  }

  PartnerApiHandler(DynamoDbClient dynamo, Tables tables, Clock clock) {
    this.dynamo = dynamo;
    this.tables = tables;
    this.partners = new PartnerStore(dynamo, tables.partners());
    this.matches = new MatchStore(dynamo, tables);
    this.decisions = new MatchDecisions(dynamo, tables);
    this.cases = new CaseStore(dynamo, tables);
    this.providerHomes = new ProviderHomes(dynamo, tables, new nl.onderdak.core.registration.RegistrationService(cases,
        clock, java.time.Duration.ofDays(nl.onderdak.core.support.Env.integer("PERSONAL_DATA_RETENTION_DAYS", 365))),
        clock);
    this.clock = clock;
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String partnerId = request.authorizerContext("partnerId");
    // The authorizer lets no request through without a partner; this is the second lock.
    Partner partner = partnerId == null ? null : partners.find(partnerId).orElse(null);
    if (partner == null) {
      throw new HttpProblem(403, "forbidden", "this route needs a partner API key");
    }
    String id = request.pathParameter("id");
    APIGatewayV2HTTPResponse response;
    try {
      response = switch (request.routeKey()) {
        case "GET /partner/me" -> HttpResponses.json(200, PartnerAdminHandler.partnerJson(partner));
        case "GET /partner/queue" -> queue(partner);
        case "POST /partner/cases/{id}/hold" -> hold(partner, id, request);
        case "GET /partner/cases/{id}" -> caseView(partner, id, request);
        case "GET /partner/cases/{id}/history" -> history(partner, id);
        case "POST /partner/hosts/{id}/screening" -> screen(partner, id, request);
        case "POST /partner/cases/{id}/withdraw" -> withdraw(partner, id, request);
        case "POST /partner/homes" -> offerHomes(partner, request);
        case "GET /partner/matches/{id}" -> HttpResponses.json(200, matchJson(visibleMatch(partner, id)));
        case "POST /partner/matches/{id}/review" -> review(partner, id, request);
        case "POST /partner/matches/{id}/placement" -> placement(partner, id, request);
        case "POST /partner/matches/{id}/end" -> end(partner, id, request);
        default -> throw HttpProblem.notFound();
      };
    } catch (MatchDecisions.Refused r) {
      throw r.code().equals("not_found") ? HttpProblem.notFound() : new HttpProblem(409, r.code(), r.getMessage());
    }
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

  // ------------------------------------------------------------------ the partner's work

  /**
   * What waits for this partner, by its roles and regions, oldest first: hosts to screen, households
   * on hold (possible duplicates), proposals to review, accepted matches waiting for a move-in date.
   * The same as the webhooks told it, for a partner whose endpoint was down, or that has none.
   */
  private APIGatewayV2HTTPResponse queue(Partner partner) {
    ObjectNode out = Json.object();
    ArrayNode screening = out.putArray("hostsToScreen");
    ArrayNode onHold = out.putArray("householdsOnHold");
    ArrayNode toReview = out.putArray("proposalsToReview");
    ArrayNode toPlace = out.putArray("acceptedToPlace");
    for (String region : partner.regions().stream().sorted().toList()) {
      if (partner.roles().contains(Role.SCREENING)) {
        pool("host#screening#" + region).forEach(i -> screening.addObject().put("id", Attr.str(i, "caseId"))
            .put("region", region).put("registeredAt", Attr.str(i, "registeredAt")));
      }
      if (partner.roles().contains(Role.GUEST_SUPPORT)) {
        pool("guest#on_hold#" + region).forEach(i -> onHold.addObject().put("id", Attr.str(i, "caseId"))
            .put("region", region).put("duplicateOf", Attr.str(i, "duplicateOf"))
            .put("registeredAt", Attr.str(i, "registeredAt")));
      }
      if (partner.roles().contains(Role.PLACEMENT_REVIEW)) {
        pool("match#proposed#" + region).forEach(i -> toReview.add(matchJson(i)));
        pool("match#accepted#" + region).forEach(i -> toPlace.add(matchJson(i)));
      }
    }
    return HttpResponses.json(200, out);
  }

  private List<Map<String, AttributeValue>> pool(String poolKey) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    dynamo.queryPaginator(QueryRequest.builder().tableName(tables.cases()).indexName("ByPool")
        .keyConditionExpression("poolKey = :p").expressionAttributeValues(Map.of(":p", s(poolKey))).build())
        .items().forEach(out::add);
    return out;
  }

  /**
   * A household put on hold as a possible duplicate, looked at by its guest-support partner:
   * {@code release} (not a duplicate: into the matching pool) or {@code close} (a duplicate indeed).
   */
  private APIGatewayV2HTTPResponse hold(Partner partner, String id, HttpRequest request) {
    Map<String, AttributeValue> item = visibleCase(partner, id);
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String decision = body.oneOf("decision", true, Set.of("release", "close"));
    String reason = body.string("reason", true, 1, 500);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    GuestStatus to = decision.equals("release") ? GuestStatus.OPEN : GuestStatus.CLOSED;
    if (to.wire().equals(Attr.str(item, "status"))) {
      return HttpResponses.json(200, Json.object().put("id", id).put("status", to.wire())); // said twice
    }
    try {
      CaseEvent event = cases.transition(id, GuestStatus.ON_HOLD, to, clock.instant(), actor(partner),
          "hold_" + decision + ": " + reason);
      return HttpResponses.json(200, Json.object().put("id", id).put("status", event.toStatus()));
    } catch (CaseStore.TransitionRefused e) {
      throw new HttpProblem(409, "not_on_hold", id + " is " + Attr.str(item, "status"));
    }
  }

  // ------------------------------------------------------------------ cases

  private Map<String, AttributeValue> visibleCase(Partner partner, String id) {
    if (!Ids.isCaseId(id)) {
      throw HttpProblem.notFound();
    }
    Map<String, AttributeValue> item = matches.caseItem(id);
    if (item == null) {
      throw HttpProblem.notFound();
    }
    String matchId = Attr.str(item, "matchId");
    Map<String, AttributeValue> match = matchId == null ? null : matches.match(matchId);
    if (!PartnerAccess.seesCase(partner, item, match)) {
      throw HttpProblem.notFound();
    }
    return item;
  }

  private APIGatewayV2HTTPResponse caseView(Partner partner, String id, HttpRequest request) {
    Map<String, AttributeValue> item = visibleCase(partner, id);
    ObjectNode out = Json.object();
    out.put("id", id).put("kind", Attr.str(item, "kind")).put("status", Attr.str(item, "status"))
        .put("region", Attr.str(item, "region")).put("preferredLanguage", Attr.str(item, "preferredLanguage"))
        .put("registeredAt", Attr.str(item, "registeredAt")).put("updatedAt", Attr.str(item, "updatedAt"));
    if (Attr.str(item, "matchId") != null) {
      out.put("matchId", Attr.str(item, "matchId"));
    }
    if (item.get("profile") != null) {
      out.set("profile", Attr.toJson(item.get("profile")));
    }
    Map<String, AttributeValue> personal = dynamo.getItem(b -> b.tableName(tables.personalData())
        .key(Map.of("pk", s(CaseEvent.partitionKey(id)))).consistentRead(true)).item();
    if (personal != null && !personal.isEmpty()) {
      for (String field : List.of("contact", "address")) {
        if (personal.get(field) != null) {
          out.set(field, Attr.toJson(personal.get(field)));
        }
      }
    }
    // Every read of personal details is on record, in the case's own item collection.
    Instant at = clock.instant();
    dynamo.putItem(b -> b.tableName(tables.cases()).item(Attr.item("pk", CaseEvent.partitionKey(id),
        "sk", "READ#" + at + "#" + partner.id(), "itemType", "READ", "caseId", id, "partnerId", partner.id(),
        "at", at.toString(), "requestId", request.requestId())));
    return HttpResponses.json(200, out);
  }

  private APIGatewayV2HTTPResponse history(Partner partner, String id) {
    visibleCase(partner, id);
    ObjectNode out = Json.object().put("id", id);
    ArrayNode events = out.putArray("events");
    dynamo.queryPaginator(QueryRequest.builder().tableName(tables.cases())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :e)")
        .expressionAttributeValues(Map.of(":pk", s(CaseEvent.partitionKey(id)), ":e", s("EVENT#")))
        .consistentRead(true).build()).items().forEach(e -> {
          ObjectNode n = events.addObject();
          n.put("seq", Attr.num(e, "seq")).put("at", Attr.str(e, "at")).put("actor", Attr.str(e, "actor"))
              .put("type", Attr.str(e, "eventType")).put("from", Attr.str(e, "fromStatus"))
              .put("to", Attr.str(e, "toStatus")).put("reason", Attr.str(e, "reason"));
          if (Attr.str(e, "matchId") != null) {
            n.put("matchId", Attr.str(e, "matchId"));
          }
        });
    return HttpResponses.json(200, out);
  }

  private APIGatewayV2HTTPResponse screen(Partner partner, String id, HttpRequest request) {
    Map<String, AttributeValue> host = visibleCase(partner, id);
    if (!PartnerAccess.screens(partner, host)) {
      throw HttpProblem.notFound();
    }
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String decision = body.oneOf("decision", true, Set.of("approved", "rejected"));
    String reason = body.string("reason", true, 1, 500);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    HostStatus to = decision.equals("approved") ? HostStatus.APPROVED : HostStatus.REJECTED;
    if (to.wire().equals(Attr.str(host, "status"))) {
      return HttpResponses.json(200, Json.object().put("id", id).put("status", to.wire())); // said twice
    }
    try {
      CaseEvent event = cases.transition(id, HostStatus.SCREENING, to, clock.instant(), actor(partner), reason);
      return HttpResponses.json(200, Json.object().put("id", id).put("status", event.toStatus())
          .put("decidedAt", event.at().toString()));
    } catch (CaseStore.TransitionRefused e) {
      throw new HttpProblem(409, "not_in_screening", "host " + id + " is " + Attr.str(host, "status"));
    }
  }

  private APIGatewayV2HTTPResponse withdraw(Partner partner, String id, HttpRequest request) {
    visibleCase(partner, id);
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String reason = body.string("reason", true, 1, 500);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    MatchDecisions.Outcome outcome = decisions.withdraw(id, actor(partner), reason, clock.instant());
    ObjectNode out = Json.object().put("id", id).put("status", outcome.status());
    if (outcome.match() != null) {
      out.set("match", matchJson(outcome.match()));
    }
    return HttpResponses.json(200, out);
  }

  /** Shelter outflow ({@link ProviderHomes}): for housing providers, with an Idempotency-Key. */
  private APIGatewayV2HTTPResponse offerHomes(Partner partner, HttpRequest request) {
    if (!partner.roles().contains(Role.HOUSING_PROVIDER)) {
      throw new HttpProblem(403, "not_a_housing_provider", "only housing providers offer homes in bulk");
    }
    String key = request.header("idempotency-key");
    if (key == null || key.isBlank() || key.length() > 100) {
      throw new HttpProblem(400, "idempotency_key_required", "send an Idempotency-Key header (a bulk offer is retried with it)",
          List.of(new FieldError("Idempotency-Key", FieldError.Codes.MISSING, "required for a bulk offer")));
    }
    ObjectNode out = Json.object();
    ArrayNode created = out.putArray("homes");
    for (ProviderHomes.Offered home : providerHomes.offer(partner, request.jsonBody(), key)) {
      created.addObject().put("id", home.hostId()).put("status", home.status());
    }
    return HttpResponses.json(201, out);
  }

  // ------------------------------------------------------------------ matches

  private Map<String, AttributeValue> visibleMatch(Partner partner, String matchId) {
    if (matchId == null || !matchId.matches("M-[0-9A-Z]{16}")) {
      throw HttpProblem.notFound();
    }
    Map<String, AttributeValue> match = matches.match(matchId);
    if (match == null) {
      throw HttpProblem.notFound();
    }
    Map<String, AttributeValue> guest = matches.caseItem(Attr.str(match, "guestId"));
    if (!PartnerAccess.seesMatch(partner, match, guest == null ? null : Attr.str(guest, "region"))) {
      throw HttpProblem.notFound();
    }
    return match;
  }

  /** Whether the match's host is a housing provider's home (then a care provider must accept too). */
  private boolean providerHome(Map<String, AttributeValue> match) {
    Map<String, AttributeValue> host = matches.caseItem(Attr.str(match, "hostId"));
    return host != null && Attr.str(host, "providerHome") != null;
  }

  /** Acting on a match is for its reviewers; others who may see it get 403, everyone else 404. */
  private Map<String, AttributeValue> reviewableMatch(Partner partner, String matchId) {
    Map<String, AttributeValue> match = visibleMatch(partner, matchId);
    if (!PartnerAccess.reviews(partner, match, providerHome(match))) {
      throw new HttpProblem(403, "not_a_reviewer", "only the placement reviewers of " + Attr.str(match, "region")
          + " decide on this match");
    }
    return match;
  }

  private APIGatewayV2HTTPResponse review(Partner partner, String matchId, HttpRequest request) {
    Map<String, AttributeValue> match = reviewableMatch(partner, matchId);
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String decision = body.oneOf("decision", true, Set.of("accept", "decline"));
    String reason = body.oneOf("reason", "decline".equals(decision), MatchDecisions.DECLINE_REASONS);
    String text = body.string("text", "other".equals(reason), 1, 1000);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    Instant at = clock.instant();
    MatchDecisions.Outcome outcome;
    if (decision.equals("accept")) {
      String region = Attr.str(match, "region");
      Set<String> responsible = partners.all().stream().filter(p -> p.has(Role.PLACEMENT_REVIEW, region))
          .map(Partner::id).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
      Set<String> satisfies = Set.of();
      if (providerHome(match)) {
        // Shelter outflow: a placement into a housing provider's home is final only with a care provider.
        responsible.add(PartnerAccess.ANY_CARE_PROVIDER);
        if (partner.has(Role.CARE_PROVIDER, region)) {
          satisfies = Set.of(PartnerAccess.ANY_CARE_PROVIDER);
        }
      }
      outcome = decisions.accept(matchId, partner.id(), satisfies, responsible, at);
    } else {
      outcome = decisions.decline(matchId, actor(partner), reason, text, false, at);
    }
    return HttpResponses.json(200, matchJson(outcome.match()));
  }

  private APIGatewayV2HTTPResponse placement(Partner partner, String matchId, HttpRequest request) {
    reviewableMatch(partner, matchId);
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate moveIn = body.date("moveInDate", true, today.minusDays(60), today.plusDays(90));
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return HttpResponses.json(200, matchJson(decisions.confirmPlacement(matchId, actor(partner), moveIn,
        clock.instant()).match()));
  }

  private APIGatewayV2HTTPResponse end(Partner partner, String matchId, HttpRequest request) {
    reviewableMatch(partner, matchId);
    List<FieldError> errors = new ArrayList<>();
    JsonFields body = JsonFields.root(request.jsonBody(), errors);
    String reason = body.oneOf("reason", true, MatchDecisions.END_REASONS);
    String text = body.string("text", "other".equals(reason), 1, 1000);
    body.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return HttpResponses.json(200, matchJson(decisions.endPlacement(matchId, actor(partner), reason, text,
        clock.instant()).match()));
  }

  static ObjectNode matchJson(Map<String, AttributeValue> m) {
    ObjectNode out = Json.object();
    for (String field : List.of("matchId", "status", "guestId", "hostId", "region", "proposedAt", "decidedAt",
        "decidedBy", "declineReason", "declineText", "moveInDate", "endReason", "endText", "cancelReason")) {
      if (Attr.str(m, field) != null) {
        out.put(field, Attr.str(m, field));
      }
    }
    out.put("score", Attr.num(m, "score"));
    if (m.get("scoreParts") != null) {
      out.set("scoreParts", Attr.toJson(m.get("scoreParts")));
    }
    for (String set : List.of("requiredReviewers", "acceptedBy")) {
      if (m.get(set) != null) {
        ArrayNode a = out.putArray(set);
        m.get(set).ss().stream().sorted().forEach(a::add);
      }
    }
    return out;
  }

  private static String actor(Partner partner) {
    return "partner:" + partner.id();
  }
}
