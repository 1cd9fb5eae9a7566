package nl.onderdak.core.partners;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Each partner's recent webhooks and what became of them (kept 30 days): what the case-events reader queued, what
 * each attempt answered, what a partner lists and replays, what a restart puts back. {@link DynamoWebhookLog}
 * keeps it in the partners table; the fast tests use an in-memory one ({@code InMemoryWebhookLog}, in this
 * module's test artifact), held to the same behaviour by {@code WebhookLogContract}.
 *
 * <p>States: {@code queued}, {@code retrying}, {@code delivered}, {@code dead_lettered}, {@code replay_requested}.
 */
public interface WebhookLog {
  Duration KEEP = Duration.ofDays(30);

  /** A webhook about to be queued for one partner endpoint. */
  record Queued(String partnerId, String webhookId, String endpointId, String type, Instant eventAt,
      String message) {}

  /** One webhook as the log holds it: what was sent (the message, for a replay) and what became of it. */
  record Entry(String webhookId, String type, String endpointId, String eventAt, String state, long attempts,
      String lastAnswer, String updatedAt, String message) {
    /** Queued, retrying or asked to be replayed: the partner is still owed it. */
    public boolean owed() {
      return !"delivered".equals(state) && !"dead_lettered".equals(state);
    }
  }

  /** Records a queued webhook once; a second record of the same id (a replayed stream batch) changes nothing. */
  default void queued(String partnerId, String webhookId, String endpointId, String type, Instant eventAt,
      String message, Instant now) {
    queued(List.of(new Queued(partnerId, webhookId, endpointId, type, eventAt, message)), now);
  }

  /** Records the webhooks of one event, each once: those recorded before are left as they are. */
  void queued(List<Queued> webhooks, Instant now);

  /** After an attempt: the state, the attempt number and the answer (a status or an error); unknown ids are left. */
  void attempted(String partnerId, String webhookId, String state, int attempt, String answer, Instant at);

  /** The partner's most recent webhooks, newest first (by the event's time). */
  List<Entry> recent(String partnerId, int limit);

  Optional<Entry> find(String partnerId, String webhookId);

  /** Every webhook in the log, of every partner (the local runtime's restart puts back what is owed or parked). */
  void forEach(Consumer<Entry> each);
}
