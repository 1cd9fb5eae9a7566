package nl.onderdak.notifications;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * One POST of a webhook to an endpoint, signed as Standard Webhooks says, with the same {@code webhook-id} on every
 * attempt. Redirects are never followed: they could lead where the address checks did not look.
 */
final class WebhookSender {
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** What the endpoint answered: a status (with its Retry-After), or why none came. */
  record Answer(Integer status, String retryAfter, String error, long millis) {
    String text() {
      return status != null ? "status " + status : error;
    }
  }

  Answer send(URI uri, List<String> secrets, String webhookId, long timestampSeconds, String body) {
    long started = System.nanoTime();
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
          .header("content-type", "application/json")
          .header("user-agent", "Onderdak-Webhooks/1")
          .header("webhook-id", webhookId)
          .header("webhook-timestamp", Long.toString(timestampSeconds))
          .header("webhook-signature", WebhookSigner.signatureHeader(secrets, webhookId, timestampSeconds, body))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
      return new Answer(response.statusCode(), response.headers().firstValue("retry-after").orElse(null), null,
          millisSince(started));
    } catch (HttpTimeoutException e) {
      return new Answer(null, null, "timeout after " + TIMEOUT.toSeconds() + " s", millisSince(started));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(null, null, "interrupted", millisSince(started));
    } catch (Exception e) {
      return new Answer(null, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          millisSince(started));
    }
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
