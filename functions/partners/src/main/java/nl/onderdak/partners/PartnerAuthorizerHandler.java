package nl.onderdak.partners;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import nl.onderdak.core.partners.PartnerStore;
import nl.onderdak.function.Wiring;

/**
 * The partner API's Lambda authorizer (HTTP API, payload 2.0, simple responses): {@code Authorization:
 * Bearer odk_…} is looked up by its hash; a known, unrevoked key within its validity lets the request
 * through with {@code partnerId} in the context. Everything else is refused before any handler runs.
 */
public final class PartnerAuthorizerHandler
    implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, SimpleIAMPolicyResponse> {
  private final PartnerStore partners;
  private final Clock clock;

  public PartnerAuthorizerHandler() {
    this(Wiring.fromEnv());
  }

  PartnerAuthorizerHandler(Wiring wiring) {
    this(wiring.partners(), wiring.clock());
    // SnapStart: a key nobody holds, refused (its hash looked up: one read, nothing found).
    nl.onderdak.function.Priming.register("PartnerAuthorizerHandler", () -> {
      var none = new APIGatewayV2CustomAuthorizerEvent();
      none.setHeaders(Map.of("authorization", "Bearer odk_priming"));
      handleRequest(none, null);
    });
  }

  PartnerAuthorizerHandler(PartnerStore partners, Clock clock) {
    this.partners = partners;
    this.clock = clock;
  }

  @Override
  public SimpleIAMPolicyResponse handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
    String header = null;
    if (event.getHeaders() != null) {
      for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
        if (h.getKey().equalsIgnoreCase("authorization")) {
          header = h.getValue();
        }
      }
    }
    Optional<String> partner = header != null && header.startsWith("Bearer ")
        ? partners.authenticate(header.substring("Bearer ".length()).strip(), clock.instant())
        : Optional.empty();
    return SimpleIAMPolicyResponse.builder()
        .withIsAuthorized(partner.isPresent())
        .withContext(partner.<Map<String, String>>map(id -> Map.of("partnerId", id)).orElse(Map.of()))
        .build();
  }
}
