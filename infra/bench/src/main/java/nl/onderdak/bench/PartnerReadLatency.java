package nl.onderdak.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.dynamodb.DynamoDbFixture;

/**
 * Measures what an organisation's read of a case costs: {@code GET /partner/cases/{id}} through the partner API's
 * handler as Lambda runs it (the access check, the case and its personal details, the read put on record),
 * against embedded DynamoDB Local, one read at a time. Timed inside the process, around the handler: through the
 * local gateway every small answer also waits for the JDK HTTP server's delayed acknowledgement (about 40 ms),
 * which would hide what is measured here. One organisation supports households in Overijssel (it alone holds the
 * role there, so every household registered there is its own); {@code households} register through the
 * registration handler (each timed too: what a registration costs, one at a time), then each is read
 * {@code rounds} times after a warm-up round. Prints median, p90, p99 and max.
 *
 * <p>It uses only the handlers' public constructors and routes, so the same class runs against an older build of
 * the product: the cost of a change to the read path is measured by one benchmark on both.
 *
 * <pre>java -cp infra/bench/target/onderdak-bench.jar nl.onderdak.bench.PartnerReadLatency [households 200] [rounds 10]</pre>
 */
public final class PartnerReadLatency {
  private PartnerReadLatency() {}

  public static void main(String[] args) throws Exception {
    int households = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Map<String, String> env = DynamoDbFixture.shared().functionEnvironment();
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> admin = handler(env,
        "nl.onderdak.partners.PartnerAdminHandler");
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> register = handler(env,
        "nl.onderdak.registration.RegisterGuestHandler");
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api = handler(env,
        "nl.onderdak.partners.PartnerApiHandler");
    String partnerId = Json.parse(ok(admin.handleRequest(event("POST /admin/partners", null, null,
        "{\"name\":\"Bench support\",\"roles\":[\"guest_support\",\"placement_review\"],\"regions\":[\"PV23\"]}"),
        null))).get("partnerId").asText();
    List<String> ids = new ArrayList<>();
    List<Double> registrations = new ArrayList<>();
    LocalDate needed = LocalDate.now().plusDays(20);
    for (int i = 0; i < households; i++) {
      APIGatewayV2HTTPEvent e = event("POST /registrations/guests", null, null, """
          {"contact":{"name":"Bench %d","email":"bench.%s@example.org"},"preferredLanguage":"uk","adults":2,
           "children":[{"age":4}],"stepFreeAccessNeeded":false,"languages":["uk"],"smoker":false,
           "preferredRegions":["PV23","GM0193"],"acceptsOtherRegions":false,"neededFrom":"%s","consentToShare":true}
          """.formatted(i, UUID.randomUUID(), needed));
      long start = System.nanoTime();
      APIGatewayV2HTTPResponse answer = register.handleRequest(e, null);
      registrations.add((System.nanoTime() - start) / 1_000_000.0);
      ids.add(Json.parse(ok(answer)).get("id").asText());
    }
    // What a registration costs the store, one at a time (the first tenth left out: class loading, JIT).
    List<Double> warm = new ArrayList<>(registrations.subList(households / 10, households));
    Collections.sort(warm);
    System.out.printf("registrations=%d median_ms=%.2f p90_ms=%.2f p99_ms=%.2f%n", warm.size(),
        StreamLatency.percentile(warm, 50), StreamLatency.percentile(warm, 90), StreamLatency.percentile(warm, 99));
    for (String id : ids) {
      ok(api.handleRequest(event("GET /partner/cases/{id}", id, partnerId, null), null)); // warm-up
    }
    List<Double> millis = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (String id : ids) {
        APIGatewayV2HTTPEvent e = event("GET /partner/cases/{id}", id, partnerId, null);
        long start = System.nanoTime();
        APIGatewayV2HTTPResponse answer = api.handleRequest(e, null);
        millis.add((System.nanoTime() - start) / 1_000_000.0);
        ok(answer);
      }
    }
    Collections.sort(millis);
    System.out.printf("reads=%d median_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", millis.size(),
        StreamLatency.percentile(millis, 50), StreamLatency.percentile(millis, 90),
        StreamLatency.percentile(millis, 99), millis.get(millis.size() - 1));
    Runtime.getRuntime().halt(0);
  }

  @SuppressWarnings("unchecked")
  private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler(Map<String, String> env,
      String className) throws Exception {
    return Env.with(env, () -> (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>)
        Class.forName(className).getConstructor().newInstance());
  }

  private static APIGatewayV2HTTPEvent event(String routeKey, String id, String partnerId, String body) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRouteKey(routeKey);
    event.setPathParameters(id == null ? null : Map.of("id", id));
    event.setHeaders(body == null ? Map.of() : Map.of("content-type", "application/json"));
    event.setBody(body);
    APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = partnerId != null
        ? APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
            .withLambda(new HashMap<>(Map.of("partnerId", partnerId))).build()
        : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withIam(APIGatewayV2HTTPEvent.RequestContext.IAM
            .builder().withUserArn("arn:aws:iam::123456789012:user/bench").build()).build();
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("bench-" + UUID.randomUUID())
        .withAuthorizer(authorizer).build());
    return event;
  }

  private static String ok(APIGatewayV2HTTPResponse r) {
    if (r.getStatusCode() >= 300) {
      throw new IllegalStateException("answered " + r.getStatusCode() + ": " + r.getBody());
    }
    return r.getBody();
  }
}
