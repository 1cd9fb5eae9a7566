package nl.onderdak.core.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The chain's reads and writes in DynamoDB: cases and matches read strongly consistently, and a step's writes
 * committed as one transaction ({@link Tx}) that either happens whole or not at all. A transaction that loses to
 * another change of the same case or match is refused as a conflict (nothing of it was written).
 */
public final class ChainStore {
  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final Duration retention;

  public ChainStore(DynamoDbClient dynamo, Tables tables, Duration personalDataRetention) {
    this.dynamo = dynamo;
    this.tables = tables;
    this.retention = personalDataRetention;
  }

  public Tables tables() {
    return tables;
  }

  public DynamoDbClient dynamo() {
    return dynamo;
  }

  public Duration retention() {
    return retention;
  }

  public CaseView caseView(String caseId) {
    if (caseId == null) {
      return null;
    }
    return CaseView.of(dynamo.getItem(b -> b.tableName(tables.cases())
        .key(Attr.key(CaseEvent.partitionKey(caseId), CaseRecord.SORT_KEY)).consistentRead(true)).item());
  }

  /** Both cases of a match in one call, strongly consistent: id → case. */
  public Map<String, CaseView> caseViews(Collection<String> caseIds) {
    Map<String, CaseView> out = new LinkedHashMap<>();
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    new LinkedHashSet<>(caseIds).forEach(id -> keys.add(Attr.key(CaseEvent.partitionKey(id), CaseRecord.SORT_KEY)));
    for (int from = 0; from < keys.size(); from += 100) {
      Map<String, KeysAndAttributes> request = Map.of(tables.cases(), KeysAndAttributes.builder()
          .keys(keys.subList(from, Math.min(keys.size(), from + 100))).consistentRead(true).build());
      while (request != null && !request.isEmpty()) {
        var wanted = request;
        var response = dynamo.batchGetItem(b -> b.requestItems(wanted));
        response.responses().getOrDefault(tables.cases(), List.of()).forEach(i -> {
          CaseView c = CaseView.of(i);
          out.put(c.id(), c);
        });
        request = response.unprocessedKeys();
      }
    }
    return out;
  }

  public MatchView match(String matchId) {
    if (matchId == null || !matchId.matches("M-[0-9A-Z]{16}")) {
      return null;
    }
    return MatchView.of(dynamo.getItem(b -> b.tableName(tables.cases())
        .key(Attr.key("MATCH#" + matchId, "MATCH")).consistentRead(true)).item());
  }

  /**
   * The proposals in a province made before {@code cutoff}, oldest first, read lazily page by page from the
   * {@code ByPool} index ({@code match#proposed#<province>}, ordered by proposal time): only those are read.
   */
  public Iterable<MatchView> proposedBefore(String province, Instant cutoff) {
    var query = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder().tableName(tables.cases())
        .indexName("ByPool").keyConditionExpression("poolKey = :pool AND poolOrder < :cutoff")
        .expressionAttributeValues(Map.of(":pool", Attr.s("match#proposed#" + province),
            ":cutoff", Attr.s(cutoff.toString())))
        .build();
    var items = dynamo.queryPaginator(query).items();
    return () -> new java.util.Iterator<>() {
      private final java.util.Iterator<Map<String, AttributeValue>> it = items.iterator();

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public MatchView next() {
        return MatchView.of(it.next());
      }
    };
  }

  /** How long a request's {@code Idempotency-Key} answers its retry alike ({@link Tx#claimRequestKey}). */
  public static final Duration REQUEST_KEY_KEPT = Duration.ofHours(24);

  /**
   * Whether a repeatable decision (a check-in, advice) was already taken under this {@code Idempotency-Key} by this
   * actor: the subject it was taken on, or null when the key is new.
   */
  public String requestKeySubject(Actor actor, String what, String key) {
    Map<String, AttributeValue> seen = dynamo.getItem(b -> b.tableName(tables.idempotency())
        .key(requestKey(actor, what, key)).consistentRead(true)).item();
    return seen == null || seen.isEmpty() ? null : Attr.str(seen, "subject");
  }

  private static Map<String, AttributeValue> requestKey(Actor actor, String what, String key) {
    return Map.of("pk", Attr.s(what.toUpperCase(java.util.Locale.ROOT) + "#" + actor.wire() + "#" + key));
  }

  /** Every item the {@code ByPool} index files under this pool, in its order, read lazily page by page. */
  public Iterable<Map<String, AttributeValue>> pool(String poolKey) {
    return dynamo.queryPaginator(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
        .tableName(tables.cases()).indexName("ByPool").keyConditionExpression("poolKey = :pool")
        .expressionAttributeValues(Map.of(":pool", Attr.s(poolKey))).build()).items();
  }

  /** What a case's waiting rows need of its match while it is under review: read only then. */
  public MatchContext matchContext(CaseView c, MatchView known) {
    boolean reviewing = c.status() == GuestStatus.PROPOSED || c.status() == HostStatus.PROPOSED;
    if (!reviewing || c.matchId() == null) {
      return MatchContext.NONE;
    }
    MatchView m = known != null && known.id().equals(c.matchId()) ? known : match(c.matchId());
    if (m == null) {
      return MatchContext.NONE;
    }
    return contextFor(c, m);
  }

  /** Whether a check-in on the stay was noticed due and not yet recorded. */
  public static boolean checkInDue(MatchView m) {
    return "placed".equals(m.status()) && m.num("checkInsDue") > m.num("checkInsRecorded");
  }

  /** The waiting context of one side of a match, from the match item alone. */
  public static MatchContext contextFor(CaseView c, MatchView m) {
    Set<Role> extra = Set.of();
    if (c.id().equals(m.guestId()) && m.str("hostProgramme") != null && m.str("hostType") != null) {
      extra = Programmes.of(m.str("hostProgramme")).type(m.str("hostType")).counterpartReviewRoles();
    }
    return new MatchContext(m.acceptedBy(), extra, checkInDue(m));
  }

  public Tx begin(Instant at) {
    return new Tx(at);
  }

  /** One transaction's writes. */
  public final class Tx {
    private final Instant at;
    private final List<TransactWriteItem> items = new ArrayList<>();
    private final List<CaseEvent> events = new ArrayList<>();

    private Tx(Instant at) {
      this.at = at;
    }

    public Instant at() {
      return at;
    }

    public Tx change(CaseChange change) {
      items.addAll(change.writes(tables, at, retention));
      events.add(change.event(at));
      return this;
    }

    /**
     * Claims the request's {@code Idempotency-Key} in this transaction (kept {@link #REQUEST_KEY_KEPT}), so that the
     * decision is taken once under it: a retry finds it ({@link #requestKeySubject}), two at once conflict.
     */
    public Tx claimRequestKey(Actor actor, String what, String key, String subject) {
      Map<String, AttributeValue> item = new java.util.HashMap<>(requestKey(actor, what, key));
      item.putAll(Attr.item("subject", subject, "at", at.toString(),
          "expiresAt", at.plus(REQUEST_KEY_KEPT).getEpochSecond()));
      items.add(TransactWriteItem.builder().put(p -> p.tableName(tables.idempotency()).item(item)
          .conditionExpression("attribute_not_exists(pk)")).build());
      return this;
    }

    public Tx write(TransactWriteItem item) {
      items.add(item);
      return this;
    }

    /** The case must still be at the version read, though this transaction does not change it. */
    public Tx unchanged(CaseView c) {
      items.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(tables.cases())
          .key(Attr.key(CaseEvent.partitionKey(c.id()), CaseRecord.SORT_KEY))
          .conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
          .expressionAttributeValues(Map.of(":v", Attr.n(c.version()))).build()).build());
      return this;
    }

    public List<CaseEvent> events() {
      return events;
    }

    public int size() {
      return items.size();
    }

    List<TransactWriteItem> items() {
      return items;
    }

    /**
     * Writes it all or nothing.
     *
     * @throws Refused a conflict when anything in it changed since it was read
     */
    public void commit() {
      if (items.isEmpty()) {
        return;
      }
      try {
        dynamo.transactWriteItems(b -> b.transactItems(items));
      } catch (TransactionCanceledException e) {
        throw Refused.conflict("conflict", "the case changed meanwhile; read it again");
      }
    }
  }
}
