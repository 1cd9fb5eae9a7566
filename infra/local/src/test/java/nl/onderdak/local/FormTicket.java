package nl.onderdak.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import nl.onderdak.core.json.Json;

/**
 * What the public form does before it sends a registration: ask for a ticket ({@code POST /registrations/tickets}).
 * Tests that are not about the bot checks run with {@code FormMinFillSeconds=0} ({@link #NO_WAIT}), so a ticket is
 * good at once; {@code RegistrationRoutesTest} runs with the wait.
 */
final class FormTicket {
  static final String HEADER = "Form-Ticket";
  static final String NO_WAIT = "FormMinFillSeconds";

  private FormTicket() {}

  static LocalRuntime.Config noWait(LocalRuntime.Config config) {
    return config.withParameter(NO_WAIT, "0");
  }

  static String fetch(HttpClient http, String base) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/registrations/tickets"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("no ticket: " + r.statusCode() + " " + r.body());
      }
      return Json.parse(r.body()).get("ticket").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
