package nl.onderdak.core.matching;

import static nl.onderdak.core.storage.Attr.s;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.RegistrationItems;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * What partners decide about a proposed match, each decision one transaction over the match item,
 * both cases (conditioned on their status and version) and both cases' history events:
 *
 * <pre>
 * proposed ──accept (every responsible reviewer)──► accepted ──confirm move-in──► placed ──end──► ended
 *    └──decline (any reviewer) / expire──► declined / expired: both sides back in the pool, the pair barred
 * </pre>
 */
public final class MatchDecisions {
  public static final Set<String> DECLINE_REASONS = Set.of("could_not_reach_household", "household_self_resolved",
      "host_withdrew", "health_and_safety", "other");
  public static final Set<String> END_REASONS = Set.of("own_home", "needs_new_place", "returned", "other");

  private final DynamoDbClient dynamo;
  private final Tables tables;
  private final MatchStore matches;

  public MatchDecisions(DynamoDbClient dynamo, Tables tables) {
    this.dynamo = dynamo;
    this.tables = tables;
    this.matches = new MatchStore(dynamo, tables);
  }

  /** Why a decision could not be made; {@link #code} is for machines. */
  public static final class Refused extends RuntimeException {
    private final String code;

    public Refused(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** The outcome, and the match as it now stands. */
  public record Outcome(String status, Map<String, AttributeValue> match) {}

  /**
   * One reviewer (a partner id) accepts. The match is accepted when every reviewer responsible for it has (the set is
   * fixed at the first review, from {@code responsible}); until then the acceptance is recorded.
   */
  public Outcome accept(String matchId, String partnerId, Set<String> responsible, Instant at) {
    return accept(matchId, partnerId, Set.of(), responsible, at);
  }

  /**
   * @param alsoSatisfies stand-ins this partner's acceptance counts for, such as
   *     {@code role:care_provider} for a care provider (see {@code PartnerAccess.ANY_CARE_PROVIDER})
   */
  public Outcome accept(String matchId, String partnerId, Set<String> alsoSatisfies, Set<String> responsible,
      Instant at) {
    Map<String, AttributeValue> match = requireMatch(matchId);
    String status = Attr.str(match, "status");
    if (!"proposed".equals(status)) {
      if ("accepted".equals(status) || "placed".equals(status)) {
        return new Outcome(status, match); // said twice: same answer
      }
      throw new Refused("not_proposed", "match " + matchId + " is " + status);
    }
    // The set of reviewers is fixed by the first review (if_not_exists); acceptances are added atomically,
    // and whoever's acceptance completes the set moves the match on (the move is conditioned on
    // "proposed", so two completing at once cannot both move it).
    Set<String> mine = new LinkedHashSet<>(alsoSatisfies);
    mine.add(partnerId);
    Set<String> firstRequired = new LinkedHashSet<>(responsible);
    firstRequired.add(partnerId);
    Map<String, AttributeValue> now;
    try {
      now = dynamo.updateItem(b -> b.tableName(tables.cases()).key(matchKey(matchId))
          .updateExpression("SET requiredReviewers = if_not_exists(requiredReviewers, :req) ADD acceptedBy :mine")
          .conditionExpression("#s = :proposed")
          .expressionAttributeNames(Map.of("#s", "status"))
          .expressionAttributeValues(Map.of(":req", AttributeValue.fromSs(List.copyOf(firstRequired)),
              ":mine", AttributeValue.fromSs(List.copyOf(mine)), ":proposed", s("proposed")))
          .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
    } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
      Map<String, AttributeValue> current = requireMatch(matchId);
      if ("accepted".equals(Attr.str(current, "status"))) {
        return new Outcome("accepted", current);
      }
      throw new Refused("conflict", "match " + matchId + " changed meanwhile; read it again");
    }
    Set<String> required = new LinkedHashSet<>(now.get("requiredReviewers").ss());
    Set<String> accepted = new LinkedHashSet<>(now.get("acceptedBy").ss());
    if (!accepted.containsAll(required)) {
      return new Outcome("proposed", now);
    }
    try {
      decide(now, "proposed", "accepted", GuestStatus.PROPOSED, GuestStatus.MATCHED, HostStatus.PROPOSED,
          HostStatus.MATCHED, "partner:" + partnerId, "match_accepted", at, Map.of(), false);
    } catch (Refused r) {
      Map<String, AttributeValue> current = requireMatch(matchId);
      if ("accepted".equals(Attr.str(current, "status"))) {
        return new Outcome("accepted", current); // the other completing acceptance moved it
      }
      throw r;
    }
    return new Outcome("accepted", requireMatch(matchId));
  }

  /** A reviewer declines, or the review time ran out ({@code expired}): both back in the pool, the pair barred. */
  public Outcome decline(String matchId, String actor, String reason, String text, boolean expired, Instant at) {
    Map<String, AttributeValue> match = requireMatch(matchId);
    String status = Attr.str(match, "status");
    String to = expired ? "expired" : "declined";
    if (!"proposed".equals(status)) {
      if (to.equals(status)) {
        return new Outcome(status, match);
      }
      throw new Refused("not_proposed", "match " + matchId + " is " + status);
    }
    Map<String, AttributeValue> extra = new HashMap<>(Attr.item("declineReason", reason, "declineText", text));
    decide(match, "proposed", to, GuestStatus.PROPOSED, GuestStatus.OPEN, HostStatus.PROPOSED, HostStatus.APPROVED,
        actor, (expired ? "match_expired:" : "match_declined:") + reason, at, extra, true);
    return new Outcome(to, requireMatch(matchId));
  }

  /** After acceptance: the household moved in on {@code moveIn}. */
  public Outcome confirmPlacement(String matchId, String actor, LocalDate moveIn, Instant at) {
    Map<String, AttributeValue> match = requireMatch(matchId);
    String status = Attr.str(match, "status");
    if (!"accepted".equals(status)) {
      if ("placed".equals(status) && moveIn.toString().equals(Attr.str(match, "moveInDate"))) {
        return new Outcome(status, match);
      }
      throw new Refused("not_accepted", "match " + matchId + " is " + status + "; only an accepted match is placed");
    }
    decide(match, "accepted", "placed", GuestStatus.MATCHED, GuestStatus.PLACED, HostStatus.MATCHED,
        HostStatus.HOSTING, actor, "placement_confirmed", at, Map.of("moveInDate", s(moveIn.toString())), false);
    return new Outcome("placed", requireMatch(matchId));
  }

  /**
   * The stay ended. "needs_new_place" puts the household back in the pool at the front of the queue;
   * any other reason closes its case. The host is matchable again.
   */
  public Outcome endPlacement(String matchId, String actor, String reason, String text, Instant at) {
    Map<String, AttributeValue> match = requireMatch(matchId);
    String status = Attr.str(match, "status");
    if (!"placed".equals(status)) {
      if ("ended".equals(status)) {
        return new Outcome(status, match);
      }
      throw new Refused("not_placed", "match " + matchId + " is " + status + "; only a placement can end");
    }
    boolean again = "needs_new_place".equals(reason);
    decide(match, "placed", "ended", GuestStatus.PLACED, again ? GuestStatus.OPEN : GuestStatus.CLOSED,
        HostStatus.HOSTING, HostStatus.APPROVED, actor, "placement_ended:" + reason, at,
        new HashMap<>(Attr.item("endReason", reason, "endText", text)), false);
    return new Outcome("ended", requireMatch(matchId));
  }

  /**
   * A household or host withdraws (told to a partner). With a proposal or an accepted match the match
   * is cancelled and the other side goes back to the pool; after acceptance this is an alert (the
   * case's event goes from {@code matched} to {@code withdrawn}, which the partners hear as
   * {@code case.alert}). A placement is not withdrawn from: its stay is ended instead.
   */
  public Outcome withdraw(String caseId, String actor, String reason, Instant at) {
    Map<String, AttributeValue> item = matches.caseItem(caseId);
    if (item == null) {
      throw new Refused("not_found", "no case " + caseId);
    }
    CaseKind kind = CaseKind.fromWire(Attr.str(item, "kind"));
    CaseStatus from = CaseStatus.fromWire(kind, Attr.str(item, "status"));
    CaseStatus withdrawn = kind == CaseKind.GUEST ? GuestStatus.WITHDRAWN : HostStatus.WITHDRAWN;
    if (from == withdrawn) {
      return new Outcome(withdrawn.wire(), null);
    }
    if (from == GuestStatus.PLACED || from == HostStatus.HOSTING) {
      throw new Refused("placed", caseId + " is " + from.wire() + "; end the stay (POST /partner/matches/{id}/end) instead");
    }
    if (!from.canMoveTo(withdrawn)) {
      throw new Refused("not_withdrawable", caseId + " is " + from.wire());
    }
    String matchId = Attr.str(item, "matchId");
    Map<String, AttributeValue> match = matchId == null ? null : matches.match(matchId);
    String matchStatus = match == null ? null : Attr.str(match, "status");
    List<TransactWriteItem> items = new ArrayList<>();
    if ("proposed".equals(matchStatus) || "accepted".equals(matchStatus)) {
      String otherId = kind == CaseKind.GUEST ? Attr.str(match, "hostId") : Attr.str(match, "guestId");
      Map<String, AttributeValue> other = matches.caseItem(otherId);
      CaseKind otherKind = kind == CaseKind.GUEST ? CaseKind.HOST : CaseKind.GUEST;
      CaseStatus otherFrom = CaseStatus.fromWire(otherKind, Attr.str(other, "status"));
      CaseStatus otherTo = otherKind == CaseKind.GUEST ? GuestStatus.OPEN : HostStatus.APPROVED;
      items.add(TransactWriteItem.builder().update(Update.builder().tableName(tables.cases()).key(matchKey(matchId))
          .updateExpression("SET #s = :cancelled, decidedAt = :at, decidedBy = :actor, cancelReason = :why REMOVE poolKey")
          .conditionExpression("#s = :was")
          .expressionAttributeNames(Map.of("#s", "status"))
          .expressionAttributeValues(Attr.item(":cancelled", "cancelled", ":at", at.toString(), ":actor", actor,
              ":why", kind.wire() + "_withdrew", ":was", matchStatus)).build()).build());
      items.addAll(move(other, otherFrom, otherTo, actor, "match_cancelled:" + kind.wire() + "_withdrew", matchId, at,
          null, false));
    }
    items.addAll(move(item, from, withdrawn, actor, "withdrawn:" + reason, matchId, at, null, false));
    try {
      dynamo.transactWriteItems(b -> b.transactItems(items));
    } catch (TransactionCanceledException e) {
      throw new Refused("conflict", caseId + " changed meanwhile; read it again");
    }
    return new Outcome(withdrawn.wire(), match == null ? null : requireMatch(matchId));
  }

  public Map<String, AttributeValue> requireMatch(String matchId) {
    Map<String, AttributeValue> match = matches.match(matchId);
    if (match == null) {
      throw new Refused("not_found", "no match " + matchId);
    }
    return match;
  }

  private void decide(Map<String, AttributeValue> match, String matchFrom, String matchTo, GuestStatus guestFrom,
      GuestStatus guestTo, HostStatus hostFrom, HostStatus hostTo, String actor, String reason, Instant at,
      Map<String, AttributeValue> matchAttributes, boolean barPair) {
    String matchId = Attr.str(match, "matchId");
    String guestId = Attr.str(match, "guestId");
    String hostId = Attr.str(match, "hostId");
    Map<String, AttributeValue> guest = matches.caseItem(guestId);
    Map<String, AttributeValue> host = matches.caseItem(hostId);
    if (guest == null || host == null || !guestFrom.wire().equals(Attr.str(guest, "status"))
        || !hostFrom.wire().equals(Attr.str(host, "status"))) {
      throw new Refused("conflict", "the household or host of " + matchId + " moved on; read the match again");
    }
    List<TransactWriteItem> items = new ArrayList<>();
    // The match.
    Map<String, AttributeValue> values = new HashMap<>(matchAttributes);
    StringBuilder set = new StringBuilder("SET #s = :to, decidedAt = :at, decidedBy = :actor");
    for (String name : matchAttributes.keySet()) {
      set.append(", ").append(name).append(" = :").append(name);
    }
    Map<String, AttributeValue> placeholders = new HashMap<>();
    matchAttributes.forEach((k, v) -> placeholders.put(":" + k, v));
    placeholders.put(":to", s(matchTo));
    placeholders.put(":from", s(matchFrom));
    placeholders.put(":at", s(at.toString()));
    placeholders.put(":actor", s(actor));
    String pool = "ended".equals(matchTo) || "declined".equals(matchTo) || "expired".equals(matchTo) ? null
        : "match#" + matchTo + "#" + Attr.str(match, "region");
    if (pool != null) {
      set.append(", poolKey = :pool");
      placeholders.put(":pool", s(pool));
    }
    items.add(TransactWriteItem.builder().update(Update.builder().tableName(tables.cases()).key(matchKey(matchId))
        .updateExpression(set + (pool == null ? " REMOVE poolKey" : ""))
        .conditionExpression("#s = :from")
        .expressionAttributeNames(Map.of("#s", "status"))
        .expressionAttributeValues(placeholders).build()).build());
    // The two cases, and their history.
    items.addAll(move(guest, guestFrom, guestTo, actor, reason, matchId, at, barPair ? hostId : null,
        guestTo == GuestStatus.OPEN && reason.startsWith("placement_ended")));
    items.addAll(move(host, hostFrom, hostTo, actor, reason, matchId, at, null, false));
    try {
      dynamo.transactWriteItems(b -> b.transactItems(items));
    } catch (TransactionCanceledException e) {
      throw new Refused("conflict", matchId + " changed meanwhile; read it again");
    }
  }

  private List<TransactWriteItem> move(Map<String, AttributeValue> item, CaseStatus from, CaseStatus to, String actor,
      String reason, String matchId, Instant at, String barHost, boolean frontOfQueue) {
    String caseId = Attr.str(item, "caseId");
    CaseKind kind = from.kind();
    long version = Attr.num(item, "version");
    String region = Attr.str(item, "region");
    CaseEvent event = new CaseEvent(caseId, kind, version + 1, CaseEvent.STATUS_CHANGED, region, from.wire(), to.wire(),
        at, actor, reason, matchId).withOrigin(RegistrationItems.origin(item));
    String pool = CaseRecord.poolKey(kind, to, region);
    boolean backInPool = to == GuestStatus.OPEN || to == HostStatus.APPROVED;
    StringBuilder set = new StringBuilder("SET #s = :to, #v = :next, updatedAt = :at");
    StringBuilder remove = new StringBuilder();
    Map<String, AttributeValue> values = new HashMap<>(Attr.item(":to", to.wire(), ":from", from.wire(),
        ":expected", version, ":next", version + 1, ":at", at.toString()));
    if (pool != null) {
      set.append(", poolKey = :pool");
      values.put(":pool", s(pool));
    } else {
      remove.append(" poolKey,");
    }
    if (backInPool) {
      remove.append(" matchId,");
    }
    if (frontOfQueue) {
      // Sorts before every registration time: the next run looks at this household first.
      set.append(", poolOrder = :front");
      values.put(":front", s("0000-00-00T00:00:00Z#" + caseId));
    }
    String update = set.toString();
    if (barHost != null) {
      update += " ADD declinedHosts :bar";
      values.put(":bar", AttributeValue.fromSs(List.of(barHost)));
    }
    if (!remove.isEmpty()) {
      update += " REMOVE" + remove.substring(0, remove.length() - 1);
    }
    String expression = update;
    return List.of(
        TransactWriteItem.builder().update(Update.builder().tableName(tables.cases())
            .key(Attr.key(CaseEvent.partitionKey(caseId), CaseRecord.SORT_KEY))
            .updateExpression(expression)
            .conditionExpression("#s = :from AND #v = :expected")
            .expressionAttributeNames(Map.of("#s", "status", "#v", "version"))
            .expressionAttributeValues(values).build()).build(),
        TransactWriteItem.builder().put(Put.builder().tableName(tables.cases()).item(event.toItem())
            .conditionExpression("attribute_not_exists(pk)").build()).build());
  }

  private static Map<String, AttributeValue> matchKey(String matchId) {
    return Attr.key("MATCH#" + matchId, MatchStore.MATCH_ITEM);
  }
}
