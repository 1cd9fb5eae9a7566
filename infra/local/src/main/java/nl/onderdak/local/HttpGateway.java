package nl.onderdak.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * API Gateway's HTTP API on localhost: matches each request to a route of the template, builds the
 * payload-format-2.0 event API Gateway would send, invokes the route's function and writes back
 * its response. Routes the template marks {@code Auth: Authorizer: AWS_IAM} take the local admin
 * token ({@code Authorization: Bearer ...}) in place of a SigV4 signature.
 */
final class HttpGateway implements AutoCloseable {
  /** API Gateway refuses payloads over 10 MB before any function sees them. */
  static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

  /**
   * A Lambda authorizer of the HTTP API (payload 2.0, simple responses): the function, and the
   * headers that must be present (its identity source), else API Gateway answers 401 without calling it.
   */
  record Authorizer(String name, LocalFunction function, List<String> identityHeaders) {}

  /** One route: method, path template with {@code {name}} or {@code {name+}} segments, function, auth. */
  record Route(String method, String path, LocalFunction function, boolean iamAuth, Authorizer authorizer) {
    Route(String method, String path, LocalFunction function, boolean iamAuth) {
      this(method, path, function, iamAuth, null);
    }

    String routeKey() {
      return method + " " + path;
    }

    /** The path parameters if this route matches, else null. */
    Map<String, String> match(String method, String requestPath) {
      if (!this.method.equalsIgnoreCase(method) && !this.method.equalsIgnoreCase("ANY")) {
        return null;
      }
      String[] want = path.split("/", -1);
      String[] got = requestPath.split("/", -1);
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < want.length; i++) {
        String segment = want[i];
        if (segment.startsWith("{") && segment.endsWith("+}")) {
          if (i >= got.length) {
            return null;
          }
          params.put(segment.substring(1, segment.length() - 2), decode(String.join("/", List.of(got).subList(i, got.length))));
          return params;
        }
        if (i >= got.length) {
          return null;
        }
        if (segment.startsWith("{") && segment.endsWith("}")) {
          if (got[i].isEmpty()) {
            return null;
          }
          params.put(segment.substring(1, segment.length() - 1), decode(got[i]));
        } else if (!segment.equals(got[i])) {
          return null;
        }
      }
      return want.length == got.length ? params : null;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Route> routes;
  private final String adminToken;

  HttpGateway(int port, List<Route> routes, String adminToken) throws IOException {
    this.routes = List.copyOf(routes);
    this.adminToken = adminToken;
    this.server = HttpServer.create(new InetSocketAddress("localhost", port), 256);
    this.executor = Executors.newFixedThreadPool(32, r -> {
      Thread t = new Thread(r, "http-gateway");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Route> routes() {
    return routes;
  }

  private final Map<String, com.sun.net.httpserver.HttpHandler> mounted = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong clientErrors = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong serverErrors = new java.util.concurrent.atomic.AtomicLong();
  final LocalMetrics.Series latency = new LocalMetrics.Series("AWS/ApiGateway", "Latency", "Milliseconds", Map.of());

  private volatile LocalMetrics cloudWatch;
  private volatile Map<String, String> apiDimensions = Map.of();

  /**
   * From now on every API request also puts API Gateway's own metrics for an HTTP API ({@code Count}, {@code 4xx},
   * {@code 5xx}, {@code Latency}, dimension {@code ApiId}), so that the template's alarms on them are evaluated locally.
   */
  void publishTo(LocalMetrics metrics, String apiId) {
    this.apiDimensions = Map.of("ApiId", apiId);
    this.cloudWatch = metrics;
  }

  /** Serves {@code prefix} and below with a handler of the local runtime's own (the operator page), not the API's. */
  void mount(String prefix, com.sun.net.httpserver.HttpHandler handler) {
    mounted.put(prefix, handler);
  }

  /** API Gateway's {@code Count}, {@code 4xx} and {@code 5xx}, for the API's routes. */
  long[] counts() {
    return new long[] {requests.get(), clientErrors.get(), serverErrors.get()};
  }

  private void serve(HttpExchange exchange) throws IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    for (Map.Entry<String, com.sun.net.httpserver.HttpHandler> m : mounted.entrySet()) {
      if (rawPath.equals(m.getKey()) || rawPath.startsWith(m.getKey() + "/")) {
        try (exchange) {
          m.getValue().handle(exchange);
        } catch (RuntimeException e) {
          e.printStackTrace();
        }
        return;
      }
    }
    long started = System.nanoTime();
    try {
      route(exchange);
    } finally {
      requests.incrementAndGet();
      Object status = exchange.getAttribute("status");
      if (status instanceof Integer code) {
        if (code >= 500) {
          serverErrors.incrementAndGet();
        } else if (code >= 400) {
          clientErrors.incrementAndGet();
        }
      }
      double millis = (System.nanoTime() - started) / 1_000_000.0;
      latency.add(millis);
      LocalMetrics metrics = cloudWatch;
      if (metrics != null) {
        int code = status instanceof Integer c ? c : 500;
        metrics.put("AWS/ApiGateway", "Count", "Count", apiDimensions, 1);
        metrics.put("AWS/ApiGateway", "4xx", "Count", apiDimensions, code >= 400 && code < 500 ? 1 : 0);
        metrics.put("AWS/ApiGateway", "5xx", "Count", apiDimensions, code >= 500 ? 1 : 0);
        metrics.put("AWS/ApiGateway", "Latency", "Milliseconds", apiDimensions, millis);
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      for (Route route : routes) {
        Map<String, String> params = route.match(method, path);
        if (params != null) {
          if (route.iamAuth() && !authorised(exchange)) {
            send(exchange, 403, Map.of("content-type", "application/json"), "{\"message\":\"Forbidden\"}");
            return;
          }
          Map<String, Object> context = null;
          if (route.authorizer() != null) {
            context = authorize(exchange, route, params);
            if (context == null) {
              return;
            }
          }
          invoke(exchange, route, params, context);
          return;
        }
      }
      send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
  }

  private boolean authorised(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String expected = "Bearer " + adminToken;
    return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Calls the route's Lambda authorizer as API Gateway does: 401 when an identity header is missing,
   * 403 when it says no, 500 when it fails; else its context, for the handler's event.
   */
  private Map<String, Object> authorize(HttpExchange exchange, Route route, Map<String, String> params)
      throws IOException {
    Authorizer authorizer = route.authorizer();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
        String.join(",", values)));
    List<String> identity = new ArrayList<>();
    for (String h : authorizer.identityHeaders()) {
      String value = headers.get(h.toLowerCase(Locale.ROOT));
      if (value == null || value.isEmpty()) {
        send(exchange, 401, Map.of("content-type", "application/json"), "{\"message\":\"Unauthorized\"}");
        return null;
      }
      identity.add(value);
    }
    APIGatewayV2CustomAuthorizerEvent event = APIGatewayV2CustomAuthorizerEvent.builder()
        .withVersion("2.0")
        .withType("REQUEST")
        .withRouteArn("arn:aws:execute-api:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT + ":local/$default/"
            + route.method() + route.path())
        .withIdentitySource(identity)
        .withRouteKey(route.routeKey())
        .withRawPath(exchange.getRequestURI().getRawPath())
        .withRawQueryString(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery())
        .withHeaders(headers)
        .withPathParameters(params.isEmpty() ? null : params)
        .build();
    Object result;
    try {
      result = authorizer.function().invoke(event, "authorizer", authorizer.name() + " for " + route.routeKey());
    } catch (Exception e) {
      e.printStackTrace();
      send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
      return null;
    }
    if (result instanceof SimpleIAMPolicyResponse simple && simple.getIsAuthorized()) {
      Map<String, Object> context = new LinkedHashMap<>();
      if (simple.getContext() != null) {
        context.putAll(simple.getContext());
      }
      return context;
    }
    send(exchange, 403, Map.of("content-type", "application/json"), "{\"message\":\"Forbidden\"}");
    return null;
  }

  private void invoke(HttpExchange exchange, Route route, Map<String, String> params, Map<String, Object> authorizerContext)
      throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
    }
    if (body.length > MAX_PAYLOAD_BYTES) {
      send(exchange, 413, Map.of("content-type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
      return;
    }
    APIGatewayV2HTTPEvent event = event(exchange, route, params, body);
    if (authorizerContext != null) {
      event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
          .withLambda(authorizerContext).build());
    }
    Object result;
    try {
      result = route.function().invoke(event, "http", route.routeKey());
    } catch (Exception e) {
      // What API Gateway answers when the integration fails.
      e.printStackTrace();
      send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
      return;
    }
    if (!(result instanceof APIGatewayV2HTTPResponse response)) {
      send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
      return;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (response.getHeaders() != null) {
      headers.putAll(response.getHeaders());
    }
    if (response.getMultiValueHeaders() != null) {
      response.getMultiValueHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
    }
    byte[] out = response.getBody() == null ? new byte[0]
        : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
        : response.getBody().getBytes(StandardCharsets.UTF_8);
    if (response.getCookies() != null) {
      response.getCookies().forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c));
    }
    send(exchange, response.getStatusCode(), headers, out);
  }

  private static APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, Map<String, String> params,
      byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("cookie")) {
        values.forEach(v -> cookies.addAll(List.of(v.split(";\\s*"))));
      } else {
        headers.put(lower, String.join(",", values));
      }
    });
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        String[] kv = pair.split("=", 2);
        String key = decode(kv[0]);
        String value = kv.length > 1 ? decode(kv[1]) : "";
        query.merge(key, value, (a, b) -> a + "," + b);
      }
    }
    boolean text = isText(headers.get("content-type"));
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();

    APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
        .withMethod(exchange.getRequestMethod())
        .withPath(exchange.getRequestURI().getRawPath())
        .withProtocol(exchange.getProtocol())
        .withSourceIp(sourceIp)
        .withUserAgent(headers.get("user-agent"))
        .build();
    APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context = APIGatewayV2HTTPEvent.RequestContext.builder()
        .withAccountId(Intrinsics.ACCOUNT)
        .withApiId("local")
        .withDomainName(headers.getOrDefault("host", "localhost"))
        .withDomainPrefix("localhost")
        .withHttp(http)
        .withRequestId(UUID.randomUUID().toString())
        .withRouteKey(route.routeKey())
        .withStage("$default")
        .withTime(REQUEST_TIME.format(now))
        .withTimeEpoch(now.toInstant().toEpochMilli());
    if (route.iamAuth()) {
      context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
          .withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
              .withAccountId(Intrinsics.ACCOUNT)
              .withUserArn("arn:aws:iam::" + Intrinsics.ACCOUNT + ":user/local-admin")
              .withUserId("local-admin")
              .build())
          .build());
    }
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(route.routeKey())
        .withRawPath(exchange.getRequestURI().getRawPath())
        .withRawQueryString(rawQuery == null ? "" : rawQuery)
        .withHeaders(headers)
        .withCookies(cookies.isEmpty() ? null : cookies)
        .withQueryStringParameters(query.isEmpty() ? null : query)
        .withPathParameters(params.isEmpty() ? null : params)
        .withRequestContext(context.build())
        .withBody(body.length == 0 ? null
            : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
        .withIsBase64Encoded(body.length > 0 && !text)
        .build();
  }

  /** API Gateway passes these content types as text and base64-encodes everything else. */
  private static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.startsWith("text/") || type.endsWith("/json") || type.endsWith("+json") || type.endsWith("/xml")
        || type.endsWith("+xml") || type.equals("application/javascript")
        || type.equals("application/x-www-form-urlencoded");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body)
      throws IOException {
    send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.setAttribute("status", status);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
