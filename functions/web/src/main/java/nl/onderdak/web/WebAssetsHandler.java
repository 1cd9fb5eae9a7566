package nl.onderdak.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import nl.onderdak.core.support.Env;
import nl.onderdak.function.HttpHandler;
import nl.onderdak.function.HttpProblem;
import nl.onderdak.function.HttpRequest;
import nl.onderdak.function.HttpResponses;

/**
 * {@code GET /} and {@code GET /assets/{file+}}: the public registration form, its script, style and
 * translations, from this function's own jar, plus {@code /assets/config.json} (the registration
 * rules and privacy facts, built from the server's own constants and configuration).
 *
 * <p>Every answer carries {@link HttpResponses#pageHeaders()} (own origin only, no Referer). Text is gzipped when the browser accepts it: the people registering are often on a
 * poor mobile connection.
 */
public final class WebAssetsHandler extends HttpHandler {
  private static final Pattern ASSET = Pattern.compile("[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*\\.(css|js|json)");
  private static final int GZIP_FROM_BYTES = 1024;

  private record Asset(byte[] bytes, byte[] gzipped, String contentType, String etag) {}

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
  private final Asset config;

  public WebAssetsHandler() {
    this(FormConfig.build(Env.get("PARTNER_ORGANISATIONS"), Env.integer("PERSONAL_DATA_RETENTION_DAYS", 365),
        Env.get("PRIVACY_CONTACT")).toString());
    onlyThroughTheEdge();
    primeBeforeSnapshot();
  }

  WebAssetsHandler(String configJson) {
    this.config = asset(configJson.getBytes(StandardCharsets.UTF_8), "application/json");
    // Loaded at init, so that SnapStart's snapshot holds them and the first visitor waits for nothing.
    load("index.html");
    load("assets/form.js");
    load("assets/form.css");
  }

  @Override
  protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
    String file = request.pathParameter("file");
    Asset asset;
    if (file == null) {
      asset = load("index.html").orElseThrow(HttpProblem::notFound);
    } else if (file.equals("config.json")) {
      asset = config;
    } else if (ASSET.matcher(file).matches()) {
      asset = load("assets/" + file).orElseThrow(HttpProblem::notFound);
    } else {
      throw HttpProblem.notFound();
    }
    Map<String, String> headers = HttpResponses.pageHeaders();
    headers.put("content-type", asset.contentType);
    headers.put("etag", asset.etag);
    headers.put("vary", "accept-encoding");
    // The page revalidates every time (a new release shows at once); assets may be reused for a while.
    headers.put("cache-control", file == null ? "no-cache" : "public, max-age=300");
    if (asset.etag.equals(request.header("if-none-match"))) {
      return APIGatewayV2HTTPResponse.builder().withStatusCode(304).withHeaders(headers).build();
    }
    String encodings = request.header("accept-encoding");
    if (asset.gzipped != null && encodings != null && encodings.contains("gzip")) {
      headers.put("content-encoding", "gzip");
      return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
          .withBody(Base64.getEncoder().encodeToString(asset.gzipped)).withIsBase64Encoded(true).build();
    }
    return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
        .withBody(new String(asset.bytes, StandardCharsets.UTF_8)).withIsBase64Encoded(false).build();
  }

  private Optional<Asset> load(String path) {
    return cache.computeIfAbsent(path, p -> {
      try (InputStream in = WebAssetsHandler.class.getResourceAsStream("/web/" + p)) {
        if (in == null) {
          return Optional.empty();
        }
        return Optional.of(asset(in.readAllBytes(), contentType(p)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static Asset asset(byte[] bytes, String contentType) {
    byte[] gzipped = null;
    if (bytes.length >= GZIP_FROM_BYTES) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      gzipped = out.toByteArray();
    }
    return new Asset(bytes, gzipped, contentType, "\"" + sha256(bytes).substring(0, 20) + "\"");
  }

  private static String contentType(String path) {
    if (path.endsWith(".html")) {
      return "text/html; charset=utf-8";
    } else if (path.endsWith(".css")) {
      return "text/css; charset=utf-8";
    } else if (path.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    return "application/json";
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
