package nl.onderdak.core.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import nl.onderdak.core.storage.StorageFixture;
import org.junit.jupiter.api.Test;

/** Against DynamoDB Local: an event's webhooks are logged together, each once, and a replay changes nothing. */
class WebhookLogTest {
  private final WebhookLog log = new WebhookLog(StorageFixture.client(), StorageFixture.tables().partners());
  private static final Instant EVENT_AT = Instant.parse("2026-03-02T09:00:00Z");

  private static WebhookLog.Queued webhook(String partner, String id) {
    return new WebhookLog.Queued(partner, id, "ep_1", "match.proposed", EVENT_AT, "{\"webhookId\":\"" + id + "\"}");
  }

  @Test
  void aReplayedEventWithAnEndpointAddedSinceLogsOnlyTheNewWebhookAndKeepsWhatBecameOfTheOthers() {
    String partner = "P-" + UUID.randomUUID();
    List<WebhookLog.Queued> first = List.of(webhook(partner, "msg_a"), webhook(partner, "msg_b"),
        webhook(partner, "msg_c"));
    log.queued(first, Instant.now());
    assertEquals(List.of("msg_a", "msg_b", "msg_c"), ids(partner));
    log.attempted(partner, "msg_b", "delivered", 1, "200", Instant.now());

    List<WebhookLog.Queued> replay = new ArrayList<>(first);
    replay.add(webhook(partner, "msg_d"));
    log.queued(replay, Instant.now());

    assertEquals(List.of("msg_a", "msg_b", "msg_c", "msg_d"), ids(partner), "each once, the new one added");
    assertEquals("delivered", log.find(partner, "msg_b").orElseThrow().state(),
        "a replay does not set a delivered webhook back to queued");
    assertEquals("queued", log.find(partner, "msg_d").orElseThrow().state());
  }

  private List<String> ids(String partner) {
    return log.recent(partner, 50).stream().map(WebhookLog.Entry::webhookId).sorted().toList();
  }
}
