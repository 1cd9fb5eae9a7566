package nl.onderdak.core.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link WebhookLog} does: on DynamoDB Local ({@code DynamoWebhookLogTest}) and in memory. */
public abstract class WebhookLogContract {
  private static final Instant EVENT_AT = Instant.parse("2026-03-02T09:00:00Z");

  protected abstract WebhookLog log();

  private static WebhookLog.Queued webhook(String partner, String id, Instant eventAt) {
    return new WebhookLog.Queued(partner, id, "ep_1", "match.proposed", eventAt, "{\"webhookId\":\"" + id + "\"}");
  }

  @Test
  void aReplayedEventWithAnEndpointAddedSinceLogsOnlyTheNewWebhookAndKeepsWhatBecameOfTheOthers() {
    WebhookLog log = log();
    String partner = "P-" + UUID.randomUUID();
    List<WebhookLog.Queued> first = List.of(webhook(partner, "msg_a", EVENT_AT), webhook(partner, "msg_b", EVENT_AT),
        webhook(partner, "msg_c", EVENT_AT));
    log.queued(first, Instant.now());
    assertEquals(List.of("msg_a", "msg_b", "msg_c"), ids(log, partner));
    log.attempted(partner, "msg_b", "delivered", 1, "200", Instant.now());

    List<WebhookLog.Queued> replay = new ArrayList<>(first);
    replay.add(webhook(partner, "msg_d", EVENT_AT));
    log.queued(replay, Instant.now());

    assertEquals(List.of("msg_a", "msg_b", "msg_c", "msg_d"), ids(log, partner), "each once, the new one added");
    WebhookLog.Entry delivered = log.find(partner, "msg_b").orElseThrow();
    assertEquals("delivered", delivered.state(), "a replay does not set a delivered webhook back to queued");
    assertEquals(1, delivered.attempts());
    assertEquals("200", delivered.lastAnswer());
    assertEquals(false, delivered.owed());
    WebhookLog.Entry fresh = log.find(partner, "msg_d").orElseThrow();
    assertEquals("queued", fresh.state());
    assertEquals("{\"webhookId\":\"msg_d\"}", fresh.message(), "the message is kept for a replay");
    assertTrue(fresh.owed());
  }

  @Test
  void theRecentAreNewestFirstUpToTheLimitAndAnUnknownWebhookIsLeftAlone() {
    WebhookLog log = log();
    String partner = "P-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      log.queued(partner, "msg_" + i, "ep_1", "case.assigned", EVENT_AT.plusSeconds(i), "{}", Instant.now());
    }
    log.queued("P-" + UUID.randomUUID(), "msg_other", "ep_1", "case.assigned", EVENT_AT.plusSeconds(9), "{}",
        Instant.now());
    assertEquals(List.of("msg_4", "msg_3", "msg_2"),
        log.recent(partner, 3).stream().map(WebhookLog.Entry::webhookId).toList());
    log.attempted(partner, "msg_unknown", "delivered", 1, "200", Instant.now());
    assertEquals(Optional.empty(), log.find(partner, "msg_unknown"), "an attempt creates no entry");
    List<String> seen = new ArrayList<>();
    log.forEach(e -> {
      if (e.webhookId().startsWith("msg_") && log.find(partner, e.webhookId()).isPresent()) {
        seen.add(e.webhookId());
      }
    });
    assertTrue(seen.containsAll(List.of("msg_0", "msg_1", "msg_2", "msg_3", "msg_4")), seen.toString());
  }

  private static List<String> ids(WebhookLog log, String partner) {
    return log.recent(partner, 50).stream().map(WebhookLog.Entry::webhookId).sorted().toList();
  }
}
