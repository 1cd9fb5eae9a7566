package nl.onderdak.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.chain.RoutingRule;
import nl.onderdak.core.chain.RoutingStore;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.CaseStore;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import nl.onderdak.core.SampleBodies;

/**
 * The partner functions as Lambda runs them, against DynamoDB Local, and what the tests of this module do with
 * them: onboard organisations, set routing rules, register cases, propose matches, call routes.
 */
final class PartnerCalls {
  static final PartnerAdminHandler ADMIN;
  static final PartnerApiHandler API;
  static final DynamoDbClient DYNAMO;
  static final Tables TABLES;
  static final CaseStore CASES;
  static final MatchStore MATCHES;
  static final RoutingStore ROUTING;
  static final RegistrationService REGISTRATIONS;
  private static final List<RoutingRule> RULES = new ArrayList<>();

  static {
    try {
      Map<String, String> env = DynamoDbFixture.shared().functionEnvironment();
      ADMIN = Env.with(env, PartnerAdminHandler::new);
      API = Env.with(env, PartnerApiHandler::new);
      DYNAMO = DynamoDbFixture.shared().client();
      TABLES = Env.with(env, Tables::fromEnv);
      CASES = new CaseStore(DYNAMO, TABLES);
      MATCHES = new MatchStore(DYNAMO, TABLES);
      ROUTING = new RoutingStore(DYNAMO, TABLES.partners());
      REGISTRATIONS = new RegistrationService(CASES, Clock.systemUTC(), Duration.ofDays(30), ROUTING::read);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private PartnerCalls() {}

  /** Onboards an organisation; returns its id. */
  static String partner(String name, List<String> roles, List<String> regions) {
    ObjectNode body = Json.object().put("name", name);
    roles.forEach(body.putArray("roles")::add);
    regions.forEach(body.putArray("regions")::add);
    return created(adminCall("POST /admin/partners", Map.of(), Json.write(body))).get("partnerId").asText();
  }

  /** Adds routing rules to the ones this JVM's tests set (the routing holds one set of rules for everyone). */
  static synchronized void route(String region, String partnerId, Role... roles) {
    for (Role r : roles) {
      RULES.removeIf(x -> x.role() == r && x.region().equals(region));
      RULES.add(new RoutingRule("host_family", r, region, partnerId));
    }
    ROUTING.replaceRules(List.copyOf(RULES), "test", Instant.now());
  }

  /** An open household wanting to live in this municipality of this province. */
  static String guest(String province, String municipality) {
    ObjectNode body = SampleBodies.household(province, municipality).put("notes", "We have a small dog.");
    return REGISTRATIONS.register(CaseKind.GUEST, body, null).id();
  }

  /** A host in screening in this municipality of this province. */
  static String host(String province, String municipality) {
    return REGISTRATIONS.register(CaseKind.HOST, SampleBodies.home(province, municipality), null).id();
  }

  record Proposal(String guestId, String hostId, String matchId) {}

  /** An approved host and an open household of one municipality, proposed to each other. */
  static Proposal proposal(String province, String municipality) {
    String host = host(province, municipality);
    CASES.transition(host, HostStatus.SCREENING, HostStatus.APPROVED, Instant.now(), "test", "approved for the test");
    return propose(guest(province, municipality), host);
  }

  static Proposal propose(String guest, String host) {
    String matchId = "M-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    assertTrue(MATCHES.propose(MatchStore.Proposal.of(matchId, MATCHES.caseItem(guest), MATCHES.caseItem(host), 90,
        Map.of("language", 30, "region", 40, "size", 20, "waiting", 0), "run-test"), Instant.now()));
    return new Proposal(guest, host, matchId);
  }

  static JsonNode created(APIGatewayV2HTTPResponse r) {
    return ApiEvents.created(r);
  }

  static JsonNode ok(APIGatewayV2HTTPResponse r) {
    return ApiEvents.ok(r);
  }

  static APIGatewayV2HTTPResponse adminCall(String routeKey, Map<String, String> path, String body) {
    return ADMIN.handleRequest(ApiEvents.asOperator(ApiEvents.event(routeKey, path, body)), null);
  }

  static APIGatewayV2HTTPResponse call(String partnerId, String routeKey, Map<String, String> path, String body) {
    return call(partnerId, routeKey, path, body, null, Map.of());
  }

  static APIGatewayV2HTTPResponse call(String partnerId, String routeKey, Map<String, String> path, String body,
      String idempotencyKey, Map<String, String> query) {
    APIGatewayV2HTTPEvent event = event(routeKey, path, body);
    if (idempotencyKey != null) {
      Map<String, String> headers = new HashMap<>(event.getHeaders());
      headers.put("idempotency-key", idempotencyKey);
      event.setHeaders(headers);
    }
    if (!query.isEmpty()) {
      event.setQueryStringParameters(query);
    }
    if (partnerId != null) {
      ApiEvents.asPartner(event, partnerId);
    }
    return API.handleRequest(event, null);
  }

  static APIGatewayV2HTTPEvent event(String routeKey, Map<String, String> path, String body) {
    return ApiEvents.event(routeKey, path, body);
  }
}
