package nl.onderdak.local;

import java.util.ArrayList;
import java.util.List;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.notifications.WebhookQueue;

/**
 * What SQS would have kept over a restart, put back. The embedded SQS engine holds its messages in
 * memory; the webhook log in the partners table (on disk with a data folder) records every webhook before
 * it is queued and what became of it. So at start-up every webhook the log says is still owed
 * ({@code queued}, {@code retrying}, {@code replay_requested}) goes back on the delivery queue, and every
 * {@code dead_lettered} one back in the dead-letter queue. A webhook that was delivered just before the
 * stop but not yet marked so is sent again with its own {@code webhook-id}: at least once, as in AWS.
 * Only the local runtime needs this; in AWS the queues are durable. The log is read, and the queues written,
 * through the product's own classes ({@link WebhookLog}, {@link WebhookQueue}).
 */
final class WebhookRecovery {
  private WebhookRecovery() {}

  /** What was put back. */
  record Restored(int owed, int deadLettered) {}

  static Restored restore(WebhookLog log, WebhookQueue queue) {
    List<String> owed = new ArrayList<>();
    List<String> dead = new ArrayList<>();
    List<WebhookQueue.Parked> why = new ArrayList<>();
    log.forEach(w -> {
      if (w.message() == null || "delivered".equals(w.state())) {
        return;
      }
      if (w.owed()) {
        owed.add(w.message());
      } else {
        dead.add(w.message());
        why.add(new WebhookQueue.Parked("restored after a restart of the local runtime; last answer: " + w.lastAnswer(),
            (int) w.attempts(), null));
      }
    });
    queue.send(owed);
    queue.parkAll(dead, why);
    return new Restored(owed.size(), dead.size());
  }
}
