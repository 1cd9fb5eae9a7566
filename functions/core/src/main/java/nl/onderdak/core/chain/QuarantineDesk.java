package nl.onderdak.core.chain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The operator's hand on a burst of registrations that looks fake (a flood that passed the form's checks): hold
 * every case registered in a window, of a kind and in a province, out of matching ({@link Quarantine}); list
 * what is held; release the ones that turn out real, by id or by the same window. Each case is held or released
 * by its own change and event (one transaction, conditioned on the version read), so a case a partner or the
 * matcher changes meanwhile is read again rather than overwritten, and the same request again changes nothing
 * more.
 *
 * <p>Only cases not yet in a match are held: households open or on hold, hosts in screening or approved. A case in
 * a proposal has been looked at by a person already; ending it is the responsible organisation's decision.
 *
 * <p>A request works until its deadline and then says it is not complete: the operator sends it again (what was
 * done stays done), so a burst of any size is held in a few requests within the API's 30 seconds.
 */
public final class QuarantineDesk {
  /** The longest window one request may name: a typo in a date should not hold a year of registrations. */
  public static final Duration MAX_WINDOW = Duration.ofDays(7);
  public static final String HOLD = "hold";
  public static final String RELEASE = "release";

  private static final Map<CaseKind, List<CaseStatus>> HOLDABLE = Map.of(
      CaseKind.GUEST, List.of(GuestStatus.OPEN, GuestStatus.ON_HOLD),
      CaseKind.HOST, List.of(HostStatus.SCREENING, HostStatus.APPROVED));
  private static final int THREADS = 8;
  private static final int ATTEMPTS = 3;

  private final ChainStore chain;
  private final Clock clock;

  public QuarantineDesk(ChainStore chain, Clock clock) {
    this.chain = chain;
    this.clock = clock;
  }

  /** Registrations from (inclusive) until (exclusive), of these kinds, in these provinces. */
  public record Window(Instant from, Instant until, Set<CaseKind> kinds, Set<String> regions) {}

  /** What one request did. {@code complete} false: the deadline came first; send it again for the rest. */
  public record Outcome(int found, int changed, Map<String, Integer> skipped, List<String> caseIds,
      boolean complete) {}

  /** One held case, as operators see it: ids and codes only. */
  public record Held(String caseId, CaseKind kind, String region, String status, String reason, String heldAt,
      Instant registeredAt) {}

  /**
   * Holds every holdable case of the window that is not held yet.
   *
   * @param dryRun count only: what would be held
   */
  public Outcome hold(Window w, Actor operator, boolean dryRun, Instant deadline) {
    List<String> ids = new ArrayList<>();
    for (CaseKind kind : w.kinds()) {
      for (CaseStatus status : HOLDABLE.get(kind)) {
        for (String region : w.regions()) {
          ids.addAll(inWindow(CaseRecord.poolKey(kind, status, region), w));
        }
      }
    }
    return apply(ids, operator, true, null, dryRun, deadline);
  }

  /** Releases the held cases of the window ({@code reason} null: whatever they were held for). */
  public Outcome release(Window w, String reason, Actor operator, Instant deadline) {
    List<String> ids = new ArrayList<>();
    for (CaseKind kind : w.kinds()) {
      for (String region : w.regions()) {
        ids.addAll(inWindow("quarantine#" + kind.wire() + "#" + region, w));
      }
    }
    return apply(ids, operator, false, reason, false, deadline);
  }

  /** Releases these cases; ids not found or not held are counted, not refused. */
  public Outcome release(Collection<String> caseIds, Actor operator, Instant deadline) {
    return apply(List.copyOf(new java.util.LinkedHashSet<>(caseIds)), operator, false, null, false, deadline);
  }

  /** What is held in these provinces, oldest registration first, at most {@code limit}. */
  public List<Held> held(Set<CaseKind> kinds, Set<String> regions, int limit) {
    List<Held> out = new ArrayList<>();
    for (CaseKind kind : kinds) {
      for (String region : regions) {
        for (Map<String, AttributeValue> item : chain.pool("quarantine#" + kind.wire() + "#" + region)) {
          if (out.size() >= limit) {
            return out;
          }
          CaseView c = CaseView.of(item);
          AttributeValue hold = item.get(Quarantine.ATTRIBUTE);
          out.add(new Held(c.id(), c.kind(), c.region(), c.status().wire(), Quarantine.reason(item),
              hold == null || !hold.hasM() ? null : Attr.str(hold.m(), "at"), c.registeredAt()));
        }
      }
    }
    return out;
  }

  /** The ids of the cases a pool files under a window: the index's order is the registration time. */
  private List<String> inWindow(String pool, Window w) {
    // poolOrder is "<registeredAt>#<id>" with the instant as written, whose fraction has varying length: the
    // bounds are widened by a second and the window applied exactly to the registration time.
    QueryRequest q = QueryRequest.builder().tableName(chain.tables().cases()).indexName("ByPool")
        .keyConditionExpression("poolKey = :p AND poolOrder BETWEEN :from AND :until")
        .expressionAttributeValues(Map.of(":p", Attr.s(pool),
            ":from", Attr.s(w.from().minusSeconds(1).toString()), ":until", Attr.s(w.until().plusSeconds(1) + "~")))
        .projectionExpression("caseId, registeredAt").build();
    List<String> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : chain.dynamo().queryPaginator(q).items()) {
      String at = Attr.str(item, "registeredAt");
      Instant registered = at == null ? null : Instant.parse(at);
      if (registered != null && !registered.isBefore(w.from()) && registered.isBefore(w.until())) {
        out.add(Attr.str(item, "caseId"));
      }
    }
    return out;
  }

  private Outcome apply(List<String> ids, Actor operator, boolean hold, String reason, boolean dryRun,
      Instant deadline) {
    Map<String, Integer> skipped = new TreeMap<>();
    List<String> changed = new ArrayList<>();
    boolean complete = true;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int from = 0; from < ids.size(); from += 100) {
        if (!clock.instant().isBefore(deadline)) {
          complete = false;
          break;
        }
        List<String> batch = ids.subList(from, Math.min(ids.size(), from + 100));
        Map<String, CaseView> read = chain.caseViews(batch);
        List<Future<String>> results = new ArrayList<>();
        for (String id : batch) {
          CaseView c = read.get(id);
          results.add(pool.submit(() -> decide(id, c, operator, hold, reason, dryRun)));
        }
        for (int i = 0; i < batch.size(); i++) {
          String result = get(results.get(i));
          if (result == null) {
            changed.add(batch.get(i));
          } else {
            skipped.merge(result, 1, Integer::sum);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Outcome(ids.size(), changed.size(), skipped, changed, complete);
  }

  /** Holds or releases one case; null when it was (or, in a dry run, would be) changed, else why not. */
  private String decide(String id, CaseView c, Actor operator, boolean hold, String reason, boolean dryRun) {
    for (int attempt = 1; ; attempt++) {
      String why = hold ? whyNotHold(c) : whyNotRelease(c, reason);
      if (why != null || dryRun) {
        return why;
      }
      String heldFor = Quarantine.reason(c.item());
      CaseChange change = hold
          ? CaseChange.of(c).eventType(Quarantine.QUARANTINED).decision(null, HOLD, Quarantine.OPERATOR_BURST)
              .by(operator, null).quarantine(Quarantine.OPERATOR_BURST)
          : CaseChange.of(c).eventType(Quarantine.RELEASED).decision(null, RELEASE, heldFor)
              .by(operator, null).release();
      try {
        chain.begin(clock.instant()).change(change).commit();
        return null;
      } catch (Refused conflict) {
        if (attempt == ATTEMPTS) {
          return "changed_meanwhile";
        }
        c = chain.caseView(id);
      }
    }
  }

  private static String whyNotHold(CaseView c) {
    if (c == null) {
      return "not_found";
    }
    if (Quarantine.reason(c.item()) != null) {
      return "already_held";
    }
    if (!HOLDABLE.get(c.kind()).contains(c.status())) {
      return c.status().terminal() ? "ended" : "in_a_match";
    }
    return null;
  }

  private static String whyNotRelease(CaseView c, String reason) {
    if (c == null) {
      return "not_found";
    }
    String heldFor = Quarantine.reason(c.item());
    if (heldFor == null) {
      return "not_held";
    }
    return reason == null || reason.equals(heldFor) ? null : "held_for_another_reason";
  }

  private static String get(Future<String> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /** Counts by reason, for a listing. */
  public static Map<String, Integer> byReason(List<Held> held) {
    Map<String, Integer> out = new LinkedHashMap<>();
    Quarantine.REASONS.stream().sorted().forEach(r -> out.put(r, 0));
    held.forEach(h -> out.merge(h.reason() == null ? "unknown" : h.reason(), 1, Integer::sum));
    return out;
  }
}
