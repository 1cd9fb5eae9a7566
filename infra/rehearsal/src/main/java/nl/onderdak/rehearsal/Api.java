package nl.onderdak.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import nl.onderdak.core.json.Json;

/**
 * The rehearsal's clients of the runtime's HTTP API, as real ones behave: a request that gets no answer, a
 * 5xx or a 429 is sent again after a pause (with the same {@code Idempotency-Key} where it has one), for
 * as long as a restart takes. Every answer's latency is recorded per kind of request.
 */
final class Api {
  /** An answer; {@code status} 0 when none came after every attempt. */
  record Answer(int status, JsonNode body, int attempts) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** One answered request: when (real ms since start), how long it took, its status. */
  record Sample(long atMillis, long millis, int status) {}

  private static final int ATTEMPTS = 60;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final SimClock clock;
  private final Map<String, ConcurrentLinkedQueue<Sample>> samples = new ConcurrentHashMap<>();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong unanswered = new AtomicLong();
  final AtomicLong serverErrors = new AtomicLong();
  /** Real registrations the bot checks refused even after the form's retry: must stay 0. */
  final AtomicLong refusedByBotChecks = new AtomicLong();
  /** How long a simulated person waits between taking the form's ticket and sending (FormMinFillSeconds). */
  volatile long fillMillis;

  Api(String base, SimClock clock) {
    this.base = base;
    this.clock = clock;
  }

  String base() {
    return base;
  }

  Answer post(String group, String path, String bearer, String idempotencyKey, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(group, b.build());
  }

  /**
   * A registration as the public form sends it: a ticket first ({@code POST /registrations/tickets}), then the
   * registration with it. A retry of the registration carries the same ticket (a stored one is replayed by its key
   * before its ticket is looked at).
   */
  Answer register(String path, String idempotencyKey, String body) {
    Answer answer = null;
    for (int attempt = 1; attempt <= 2; attempt++) {
      Answer ticket = send("ticket", HttpRequest.newBuilder(URI.create(base + "/registrations/tickets"))
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build());
      if (!ticket.ok()) {
        return ticket;
      }
      // A person takes longer than the fill time; the simulated one waits just that.
      sleep(fillMillis);
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
          .header("content-type", "application/json").header("Idempotency-Key", idempotencyKey)
          .header("Form-Ticket", ticket.body().path("ticket").asText())
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      answer = send("registration", request);
      if (!refusedTicket(answer)) {
        return answer;
      }
      // As the form does on a refused ticket: a new ticket, its wait, and once more.
    }
    refusedByBotChecks.incrementAndGet();
    return answer;
  }

  private static boolean refusedTicket(Answer a) {
    return a.status() == 400 && a.body() != null && "form_ticket_refused".equals(a.body().path("code").asText());
  }

  Answer get(String group, String path, String bearer) {
    return send(group, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + bearer).GET().build());
  }

  /** One attempt only (for looks that are repeated anyway, such as the operator page's figures). */
  Answer getOnce(String group, String path, String bearer) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + bearer).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.statusCode() == 200 ? Json.parse(response.body()) : null, 1);
    } catch (IOException e) {
      return new Answer(0, null, 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, null, 1);
    }
  }

  Answer put(String group, String path, String bearer, String contentType, String body) {
    return send(group, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + bearer).header("content-type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Answer send(String group, HttpRequest request) {
    int status = 0;
    JsonNode body = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        retries.incrementAndGet();
        sleep(Math.min(2_000, 100L * attempt));
      }
      long started = System.nanoTime();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        status = response.statusCode();
        samples.computeIfAbsent(group, g -> new ConcurrentLinkedQueue<>())
            .add(new Sample(clock.wallMillis(), (System.nanoTime() - started) / 1_000_000, status));
        body = response.body().isEmpty() ? Json.object() : Json.parse(response.body());
        if (status >= 500) {
          serverErrors.incrementAndGet();
        }
        if (status < 500 && status != 429) {
          return new Answer(status, body, attempt);
        }
      } catch (IOException e) {
        status = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Answer(0, null, attempt);
      } catch (RuntimeException unreadable) {
        return new Answer(status, Json.object(), attempt);
      }
    }
    unanswered.incrementAndGet();
    return new Answer(status, body, ATTEMPTS);
  }

  /** Every answered request of this group so far. */
  List<Sample> samples(String group) {
    return new ArrayList<>(samples.getOrDefault(group, new ConcurrentLinkedQueue<>()));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
