package nl.onderdak.core.matching;

import static nl.onderdak.core.storage.Attr.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import nl.onderdak.core.chain.Actor;
import nl.onderdak.core.chain.CaseChange;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.MatchContext;
import nl.onderdak.core.chain.ProposalReviewStep;
import nl.onderdak.core.chain.Step;
import nl.onderdak.core.chain.SystemStep;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The matching pools and the proposals, in the cases table.
 *
 * <p>A proposal is one transaction: the household moves from {@code open} to {@code proposed} and the
 * host from {@code approved} to {@code proposed}, each conditioned on still being in that status at the
 * version the matcher read, each with its event appended, and the match item is created. Two matcher
 * runs at once can therefore never book a host twice or promise a household twice, and a proposal is
 * never half written.
 */
public class MatchStore {
  public static final String MATCH_ITEM = "MATCH";
  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final String table;

  public MatchStore(DynamoDbClient dynamo, Tables tables) {
    this.dynamo = dynamo;
    this.tables = tables;
    this.table = tables.cases();
  }

  /** Every case item in one pool ({@code guest#open#PV26}, {@code host#approved#PV27}), longest waiting first. */
  public List<Map<String, AttributeValue>> pool(CaseKind kind, String status, String region) {
    QueryRequest query = QueryRequest.builder()
        .tableName(table)
        .indexName("ByPool")
        .keyConditionExpression("poolKey = :pool")
        .expressionAttributeValues(Map.of(":pool", s(kind.wire() + "#" + status + "#" + region)))
        .build();
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    dynamo.queryPaginator(query).items().forEach(out::add);
    return out;
  }

  /** A case item read strongly consistently (the index may lag a moment behind the table). */
  public Map<String, AttributeValue> caseItem(String caseId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Attr.key(CaseEvent.partitionKey(caseId), CaseRecord.SORT_KEY)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? null : item;
  }

  /**
   * Case items by id, read strongly consistently a hundred at a time (BatchGetItem), rather than one call per
   * case: a matching batch of a surge holds hundreds of triggers. Ids without an item are left out.
   */
  public Map<String, Map<String, AttributeValue>> caseItems(java.util.Collection<String> caseIds) {
    return batchGet(caseIds, id -> Attr.key(CaseEvent.partitionKey(id), CaseRecord.SORT_KEY), "caseId");
  }


  private static void pauseBeforeUnprocessed(int attempt) {
    try {
      Thread.sleep(Math.min(1000, 25L << Math.min(attempt, 5)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading cases", e);
    }
  }

  /** What the matcher decided for one pair, with why: the two cases as the run read them. */
  public record Proposal(String matchId, CaseView guest, CaseView host, int score, Map<String, Integer> scoreParts,
      String runId) {

    public static Proposal of(String matchId, Map<String, AttributeValue> guestItem,
        Map<String, AttributeValue> hostItem, int score, Map<String, Integer> scoreParts, String runId) {
      return new Proposal(matchId, CaseView.of(guestItem), CaseView.of(hostItem), score, scoreParts, runId);
    }

    public String guestId() {
      return guest.id();
    }

    public String hostId() {
      return host.id();
    }

    /** The host's province: where the match is reviewed and counted. */
    public String hostRegion() {
      return host.region();
    }
  }

  /**
   * Writes one proposal, all or nothing.
   *
   * @return false when either side was no longer free at the version read (another run or a partner got
   *     there first): nothing was written, and the caller re-reads and solves again
   */
  public boolean propose(Proposal p, Instant at) {
    try {
      dynamo.transactWriteItems(b -> b.transactItems(writes(p, at)));
      return true;
    } catch (TransactionCanceledException e) {
      return false;
    }
  }

  /**
   * Writes several proposals, as many as fit in one transaction (a hundred items: each proposal is both cases,
   * their events and holder rows, and the match): all of a group or none of it. When a group is cancelled (a
   * case in it moved meanwhile) its proposals are tried one by one, so that each is written or not on its own,
   * exactly as {@link #propose} would. A surge's run proposes a hundred pairs; one transaction each made the
   * proposals most of a run's time.
   *
   * @return for each proposal, in order, whether it was written
   */
  public List<Boolean> proposeAll(List<Proposal> proposals, Instant at) {
    List<Boolean> written = new ArrayList<>();
    int from = 0;
    while (from < proposals.size()) {
      List<TransactWriteItem> writes = new ArrayList<>();
      int to = from;
      while (to < proposals.size() && to - from < PROPOSALS_PER_TRANSACTION) {
        List<TransactWriteItem> next = writes(proposals.get(to), at);
        if (!writes.isEmpty() && writes.size() + next.size() > MAX_TRANSACTION_ITEMS) {
          break;
        }
        writes.addAll(next);
        to++;
      }
      List<Proposal> group = proposals.subList(from, to);
      boolean all;
      try {
        dynamo.transactWriteItems(b -> b.transactItems(writes));
        all = true;
      } catch (TransactionCanceledException e) {
        all = false;
      }
      for (Proposal p : group) {
        written.add(all || (group.size() > 1 && propose(p, at)));
      }
      from = to;
    }
    return written;
  }

  static final int PROPOSALS_PER_TRANSACTION = 20;
  static final int MAX_TRANSACTION_ITEMS = 100;

  /**
   * The writes of one proposal: both cases moved to proposed (conditioned on status and version), their events
   * and holder rows (the review now waits on the reviewers of both sides), and the match.
   */
  private List<TransactWriteItem> writes(Proposal p, Instant at) {
    CaseView guest = p.guest();
    CaseView host = p.host();
    Set<String> told = new LinkedHashSet<>(guest.responsibility().partners());
    told.addAll(host.responsibility().partners());
    Step matching = guest.programmeDefinition().step(SystemStep.MATCHING);
    CaseChange g = CaseChange.of(guest).to(GuestStatus.PROPOSED).decision(matching, "propose", null)
        .by(Actor.MATCHER, null).enterMatch(p.matchId()).counterpart(host.id()).notify(told)
        .matchContext(new MatchContext(Set.of(), host.caseType().counterpartReviewRoles()));
    CaseChange h = CaseChange.of(host).to(HostStatus.PROPOSED).decision(matching, "propose", null)
        .by(Actor.MATCHER, null).enterMatch(p.matchId()).counterpart(guest.id()).notify(told)
        .matchContext(new MatchContext(Set.of(), guest.caseType().counterpartReviewRoles()));
    Map<String, AttributeValue> parts = new HashMap<>();
    p.scoreParts().forEach((k, v) -> parts.put(k, Attr.n(v)));
    Map<String, AttributeValue> match = Attr.item(
        "pk", "MATCH#" + p.matchId(),
        "sk", MATCH_ITEM,
        "itemType", MATCH_ITEM,
        "matchId", p.matchId(),
        "status", "proposed",
        "version", 1L,
        "guestId", guest.id(),
        "hostId", host.id(),
        "region", host.region(),
        "guestRegion", guest.region(),
        "guestProgramme", guest.programme(),
        "guestType", guest.type(),
        "hostProgramme", host.programme(),
        "hostType", host.type(),
        "score", (long) p.score(),
        "scoreParts", AttributeValue.fromM(parts),
        "runId", p.runId(),
        "reviewers", AttributeValue.fromSs(List.copyOf(ProposalReviewStep.reviewers(guest, host))),
        "proposedAt", at.toString(),
        "poolKey", "match#proposed#" + host.region(),
        "poolOrder", at + "#" + p.matchId());
    List<TransactWriteItem> out = new ArrayList<>(g.writes(tables, at, Duration.ZERO));
    out.addAll(h.writes(tables, at, Duration.ZERO));
    out.add(putNew(match));
    return out;
  }

  private TransactWriteItem putNew(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
        .conditionExpression("attribute_not_exists(pk)").build()).build();
  }

  /**
   * Records why an open household was not matched in a run, on its case item, only if it is still open
   * at the version read (a later change wins). Not a change of state: no event, no version bump.
   */
  /**
   * Records why an open household was not matched in this run, unless that is what it says already.
   *
   * @return true when the explanation changed (it is then worth a log line)
   */
  public boolean recordUnmatched(String guestId, long version, String reason, String detail, Instant at) {
    try {
      dynamo.updateItem(b -> b.tableName(table)
          .key(Attr.key(CaseEvent.partitionKey(guestId), CaseRecord.SORT_KEY))
          .updateExpression("SET unmatchedReason = :reason, unmatchedDetail = :detail, unmatchedAt = :at")
          .conditionExpression("#status = :open AND #version = :version AND (attribute_not_exists(unmatchedReason)"
              + " OR unmatchedReason <> :reason OR unmatchedDetail <> :detail)")
          .expressionAttributeNames(Map.of("#status", "status", "#version", "version"))
          .expressionAttributeValues(Attr.item(":reason", reason, ":detail", detail, ":at", at.toString(),
              ":open", GuestStatus.OPEN.wire(), ":version", version)));
      return true;
    } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
      // It moved on meanwhile (the explanation no longer applies), or it says this already.
      return false;
    }
  }

  /**
   * Match items by id, a hundred at a time (BatchGetItem, strongly consistent): the case-events reader needs the
   * match of every match event of a batch, and one call each was most of its time in a surge. Ids without an item
   * are left out.
   */
  public Map<String, Map<String, AttributeValue>> matches(java.util.Collection<String> matchIds) {
    return batchGet(matchIds, id -> Attr.key("MATCH#" + id, MATCH_ITEM), "matchId");
  }

  /**
   * Items by id, a hundred at a time, strongly consistent, keyed by their {@code idAttribute}; DynamoDB may return
   * part of a batch (throttling, 16 MB), so the rest is asked for again after a pause.
   */
  private Map<String, Map<String, AttributeValue>> batchGet(java.util.Collection<String> wantedIds,
      java.util.function.Function<String, Map<String, AttributeValue>> key, String idAttribute) {
    Map<String, Map<String, AttributeValue>> out = new java.util.LinkedHashMap<>();
    List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(wantedIds));
    for (int from = 0; from < ids.size(); from += 100) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      ids.subList(from, Math.min(ids.size(), from + 100)).forEach(id -> keys.add(key.apply(id)));
      Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request = Map.of(table,
          software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).consistentRead(true)
              .build());
      for (int attempt = 0; request != null && !request.isEmpty(); attempt++) {
        if (attempt > 0) {
          pauseBeforeUnprocessed(attempt);
        }
        var asked = request;
        var response = dynamo.batchGetItem(b -> b.requestItems(asked));
        response.responses().getOrDefault(table, List.of())
            .forEach(item -> out.put(Attr.str(item, idAttribute), item));
        request = response.unprocessedKeys();
      }
    }
    return out;
  }


  /** {@link #matches}, read as views. */
  public Map<String, nl.onderdak.core.chain.MatchView> matchViews(java.util.Collection<String> matchIds) {
    Map<String, nl.onderdak.core.chain.MatchView> out = new java.util.LinkedHashMap<>();
    matches(matchIds).forEach((id, item) -> out.put(id, nl.onderdak.core.chain.MatchView.of(item)));
    return out;
  }

  /** A match item by id. */
  public Map<String, AttributeValue> match(String matchId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Attr.key("MATCH#" + matchId, MATCH_ITEM)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? null : item;
  }
}
