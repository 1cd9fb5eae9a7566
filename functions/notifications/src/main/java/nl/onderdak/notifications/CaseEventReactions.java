package nl.onderdak.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.partners.WebhookLog;
import nl.onderdak.core.privacy.Retention;
import nl.onderdak.core.tally.RegionTallies;
import nl.onderdak.function.JsonLog;

/**
 * What follows a change to a case, besides matching (AWS advises at most two readers per shard, so the reactions
 * that are not matching share one): for a run of case events, in order,
 * <ol>
 *   <li>the region tallies are updated (each event counted once, {@link RegionTallies}), and the log lines with
 *       their metrics are written for the events counted now ({@link CaseEventLines});
 *   <li>their webhooks ({@link WebhookFanOut}) are put in the partner's webhook log, then on the queue;
 *   <li>a case that ends has its personal data's end set ({@link Retention}).
 * </ol>
 * Both are idempotent, so events worked twice change nothing and yield the same webhook ids.
 */
final class CaseEventReactions {
  private final RegionTallies tallies;
  private final WebhookFanOut fanOut;
  private final WebhookLog log;
  private final WebhookQueue queue;
  private final Retention retention;
  private final Clock clock;

  CaseEventReactions(RegionTallies tallies, WebhookFanOut fanOut, WebhookLog log, WebhookQueue queue,
      Retention retention, Clock clock) {
    this.tallies = tallies;
    this.fanOut = fanOut;
    this.log = log;
    this.queue = queue;
    this.retention = retention;
    this.clock = clock;
  }

  /** How many events were counted now (not before), and how many webhook messages were queued. */
  record Done(int counted, int webhooksQueued) {
    static Done sum(List<Done> parts) {
      return new Done(parts.stream().mapToInt(Done::counted).sum(), parts.stream().mapToInt(Done::webhooksQueued).sum());
    }
  }

  Done react(List<CaseEvent> events) {
    return react(events, fanOut.of(events));
  }

  /**
   * For a batch taken record by record: each record's reactions on their own, the partners read once for the
   * batch (as the whole-batch pass reads them), not once per record.
   */
  java.util.function.Function<CaseEvent, Done> oneAtATime() {
    var partners = new java.util.concurrent.atomic.AtomicReference<java.util.Map<String,
        nl.onderdak.core.partners.Partner>>();
    return event -> react(List.of(event), fanOut.of(List.of(event), partners.updateAndGet(
        known -> known != null ? known : fanOut.partnersNow())));
  }

  private Done react(List<CaseEvent> events, List<WebhookLog.Queued> webhooks) {
    Instant now = clock.instant();
    List<CaseEvent> counted = tallies.applyAll(events, now);
    counted.forEach(e -> CaseEventLines.linesOf(e).forEach(JsonLog::write));
    // Logged before they are queued: a partner can list them, and replay them, from now on.
    log.queued(webhooks, now);
    queue.send(webhooks.stream().map(WebhookLog.Queued::message).toList());
    // A case that ends now: its personal data is kept for the retention period from now, then goes by itself.
    events.stream().filter(Retention::ends).forEach(e -> retention.caseEnded(e.caseId(), e.kind(), e.at()));
    return new Done(counted.size(), webhooks.size());
  }

  /** What a batch reads, without a batch: for SnapStart priming. */
  void prime() {
    fanOut.prime();
  }

}
