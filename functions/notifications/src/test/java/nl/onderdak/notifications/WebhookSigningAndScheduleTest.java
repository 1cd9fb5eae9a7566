package nl.onderdak.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our signatures against the official Standard Webhooks library, and the retry schedule. */
@Tag("fast")
class WebhookSigningAndScheduleTest {
  private static String secret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "whsec_" + Base64.getEncoder().encodeToString(bytes);
  }

  private static Map<String, List<String>> headers(String id, long ts, String signature) {
    return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(ts)),
        "webhook-signature", List.of(signature));
  }

  @Test
  void theOfficialLibraryVerifiesOurSignatureAndRefusesATamperedBody() throws Exception {
    String secret = secret();
    String body = "{\"type\":\"match.proposed\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"data\":{\"matchId\":\"M-1\"}}";
    long now = Instant.now().getEpochSecond();
    String header = WebhookSigner.signatureHeader(List.of(secret), "msg_abc", now, body);
    new Webhook(secret).verify(body, headers("msg_abc", now, header));
    assertThrows(WebhookVerificationException.class,
        () -> new Webhook(secret).verify(body.replace("M-1", "M-2"), headers("msg_abc", now, header)));
    assertThrows(WebhookVerificationException.class,
        () -> new Webhook(secret()).verify(body, headers("msg_abc", now, header)), "another secret");
    // The library's own signature equals ours, byte for byte.
    assertEquals(new Webhook(secret).sign("msg_abc", now, body), header);
  }

  @Test
  void duringARotationEitherSecretVerifies() throws Exception {
    String old = secret();
    String fresh = secret();
    String body = "{}";
    long now = Instant.now().getEpochSecond();
    String header = WebhookSigner.signatureHeader(List.of(fresh, old), "msg_x", now, body);
    assertEquals(2, header.split(" ").length);
    new Webhook(old).verify(body, headers("msg_x", now, header));
    new Webhook(fresh).verify(body, headers("msg_x", now, header));
  }

  @Test
  void retriesFollowTheScheduleAndHonourRetryAfter() {
    List<Duration> expected = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
        Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    for (int attempt = 1; attempt <= 7; attempt++) {
      assertEquals(expected.get(attempt - 1), RetrySchedule.waitAfter(attempt, null), "after attempt " + attempt);
    }
    assertEquals(Duration.ofSeconds(120), RetrySchedule.waitAfter(1, "120"), "asked for longer: honoured");
    assertEquals(Duration.ofMinutes(5), RetrySchedule.waitAfter(2, "10"), "asked for shorter: the schedule");
    assertEquals(Duration.ofHours(12), RetrySchedule.waitAfter(1, "999999"), "SQS hides for 12 h at most");
    assertEquals(Duration.ofSeconds(5), RetrySchedule.waitAfter(1, "soon"), "unreadable: the schedule");
    String date = ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(10).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    Duration fromDate = RetrySchedule.waitAfter(1, date);
    assertEquals(true, fromDate.compareTo(Duration.ofMinutes(9)) > 0 && fromDate.compareTo(Duration.ofMinutes(11)) < 0,
        fromDate.toString());
  }
}
