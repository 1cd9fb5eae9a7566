package nl.onderdak.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.registration.RegistrationRules;
import nl.onderdak.core.support.Env;
import org.junit.jupiter.api.Test;

/** The form's files as API Gateway asks for them: fixtures in, answers checked header by header. */
class WebAssetsHandlerTest {
  private static final WebAssetsHandler handler = init(Map.of(
      "PARTNER_ORGANISATIONS", "Vluchtelingenwerk; Gemeente Utrecht ;",
      "PERSONAL_DATA_RETENTION_DAYS", "180",
      "PRIVACY_CONTACT", "privacy@example.org"));

  private static WebAssetsHandler init(Map<String, String> env) {
    try {
      return Env.with(env, WebAssetsHandler::new);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static APIGatewayV2HTTPEvent get(String file, Map<String, String> extraHeaders) {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/get-asset.json");
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.remove("accept-encoding");
    headers.putAll(extraHeaders);
    event.setHeaders(headers);
    if (file == null) {
      event.setRouteKey("GET /");
      event.setRawPath("/");
      event.setPathParameters(null);
    } else {
      event.setRawPath("/assets/" + file);
      event.setPathParameters(Map.of("file", file));
    }
    return event;
  }

  @Test
  void servesThePageWithAPolicyThatAllowsNothingFromElsewhere() {
    APIGatewayV2HTTPResponse page = handler.handleRequest(get(null, Map.of()), null);
    assertEquals(200, page.getStatusCode());
    assertEquals("text/html; charset=utf-8", page.getHeaders().get("content-type"));
    assertTrue(page.getBody().contains("<script src=\"/assets/form.js\" defer></script>"));
    String csp = page.getHeaders().get("content-security-policy");
    assertTrue(csp.startsWith("default-src 'none'"), csp);
    assertFalse(csp.contains("http"), "no third-party origin is allowed: " + csp);
    assertEquals("no-referrer", page.getHeaders().get("referrer-policy"));
    assertEquals("nosniff", page.getHeaders().get("x-content-type-options"));
    assertEquals("no-cache", page.getHeaders().get("cache-control"));
  }

  @Test
  void gzipsForBrowsersThatAcceptItAndAnswersNotModifiedToARevalidation() throws IOException {
    APIGatewayV2HTTPResponse plain = handler.handleRequest(get("form.js", Map.of()), null);
    APIGatewayV2HTTPResponse zipped = handler.handleRequest(get("form.js", Map.of("accept-encoding", "gzip, br")), null);
    assertEquals("text/javascript; charset=utf-8", plain.getHeaders().get("content-type"));
    assertNull(plain.getHeaders().get("content-encoding"));
    assertEquals("gzip", zipped.getHeaders().get("content-encoding"));
    assertTrue(zipped.getIsBase64Encoded());
    byte[] compressed = Base64.getDecoder().decode(zipped.getBody());
    assertTrue(compressed.length < plain.getBody().length() / 2, "gzip should at least halve the script");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      assertEquals(plain.getBody(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    String etag = plain.getHeaders().get("etag");
    APIGatewayV2HTTPResponse again = handler.handleRequest(get("form.js", Map.of("if-none-match", etag)), null);
    assertEquals(304, again.getStatusCode());
    assertNull(again.getBody());
  }

  @Test
  void servesEachLanguageFileAndNothingOutsideTheAssets() {
    for (String lang : List.of("nl", "en", "uk", "ru")) {
      APIGatewayV2HTTPResponse r = handler.handleRequest(get("i18n/" + lang + ".json", Map.of()), null);
      assertEquals(200, r.getStatusCode(), lang);
      assertTrue(Json.parse(r.getBody()).has("page.title"));
    }
    for (String probe : List.of("../index.html", "..%2Findex.html", "i18n/../../index.html", "i18n/de.json",
        "form.JS", "/etc/passwd", "WEB-INF/x.js", "nl/onderdak/web/WebAssetsHandler.class")) {
      APIGatewayV2HTTPResponse r = handler.handleRequest(get(probe, Map.of()), null);
      assertEquals(404, r.getStatusCode(), probe);
      assertEquals("not_found", Json.parse(r.getBody()).get("code").asText(), probe);
    }
  }

  @Test
  void theFormChecksWithTheServersOwnRulesAndNamesTheConfiguredPartners() {
    APIGatewayV2HTTPResponse r = handler.handleRequest(get("config.json", Map.of()), null);
    assertEquals(200, r.getStatusCode());
    JsonNode config = Json.parse(r.getBody());
    JsonNode rules = config.get("rules");
    assertEquals(RegistrationRules.NAME_MAX, rules.get("nameMax").asInt());
    assertEquals(RegistrationRules.PERSONS_MAX, rules.get("personsMax").asInt());
    assertEquals(RegistrationRules.CHILD_AGE_MAX, rules.get("childAgeMax").asInt());
    assertEquals(RegistrationRules.EMAIL.pattern(), rules.get("emailPattern").asText());
    // The patterns read the same in Java and in the browser: plain classes, no Java-only syntax.
    for (String key : List.of("emailPattern", "phonePattern", "postcodePattern")) {
      Pattern.compile(rules.get(key).asText());
      assertFalse(rules.get(key).asText().matches(".*(\\\\p\\{|\\(\\?<|\\\\A|\\\\Z|\\+\\+|\\*\\+).*"), key);
    }
    assertEquals(List.of("Vluchtelingenwerk", "Gemeente Utrecht"),
        List.of(config.get("partners").get(0).asText(), config.get("partners").get(1).asText()));
    assertEquals(2, config.get("partners").size());
    assertEquals(180, config.get("retentionDays").asInt());
    assertEquals("privacy@example.org", config.get("privacyContact").asText());
    assertEquals(12, config.get("provinces").size());
  }
}
