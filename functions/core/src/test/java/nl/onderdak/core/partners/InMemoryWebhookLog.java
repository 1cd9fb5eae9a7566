package nl.onderdak.core.partners;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link WebhookLog} in memory, for the fast tier; {@link WebhookLogContract} holds it and {@link DynamoWebhookLog}
 * to the same behaviour. Entries do not expire here (a test does not run 30 days).
 */
public final class InMemoryWebhookLog implements WebhookLog {
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, String> partnerOf = new LinkedHashMap<>();

  private static String key(String partnerId, String webhookId) {
    return partnerId + "|" + webhookId;
  }

  @Override
  public synchronized void queued(List<Queued> webhooks, Instant now) {
    for (Queued w : webhooks) {
      String k = key(w.partnerId(), w.webhookId());
      if (!entries.containsKey(k)) {
        entries.put(k, new Entry(w.webhookId(), w.type(), w.endpointId(), w.eventAt().toString(), "queued", 0, null,
            now.toString(), w.message()));
        partnerOf.put(k, w.partnerId());
      }
    }
  }

  @Override
  public synchronized void attempted(String partnerId, String webhookId, String state, int attempt, String answer,
      Instant at) {
    entries.computeIfPresent(key(partnerId, webhookId), (k, e) -> new Entry(e.webhookId(), e.type(), e.endpointId(),
        e.eventAt(), state, attempt, answer, at.toString(), e.message()));
  }

  @Override
  public synchronized List<Entry> recent(String partnerId, int limit) {
    List<Entry> out = new ArrayList<>();
    entries.forEach((k, e) -> {
      if (partnerOf.get(k).equals(partnerId)) {
        out.add(e);
      }
    });
    // As the listing's sort key orders them: the event's time, then the id, newest first.
    out.sort(Comparator.comparing((Entry e) -> e.eventAt() + "#" + e.webhookId()).reversed());
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  @Override
  public synchronized Optional<Entry> find(String partnerId, String webhookId) {
    return Optional.ofNullable(entries.get(key(partnerId, webhookId)));
  }

  @Override
  public void forEach(Consumer<Entry> each) {
    List<Entry> all;
    synchronized (this) {
      all = List.copyOf(entries.values());
    }
    all.forEach(each);
  }
}
