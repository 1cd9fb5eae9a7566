package nl.onderdak.core.chain;

import static nl.onderdak.core.storage.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.events.ChainFacts;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.model.GuestStatus;
import nl.onderdak.core.model.HostStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.CaseRecord;
import nl.onderdak.core.storage.PersonalKeys;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * One change to one case, as its part of a transaction: the case item updated (conditioned on the status and
 * version it was read at), its event appended (conditioned on not existing), its holder rows rewritten, and the
 * decision's free text, if any, put with the personal data. Every change to a case, whoever makes it (a
 * step, the matcher, a handover, the routing), is written through here: the history, the rows an organisation's
 * work is listed from, and the case can never disagree.
 */
public final class CaseChange {
  private final CaseView before;
  private CaseStatus to;
  private String eventType = CaseEvent.STATUS_CHANGED;
  private String step;
  private String decision;
  private String reason;
  private Role role;
  private Actor actor;
  private String eventMatchId;
  private String setMatchId;
  private boolean removeMatchId;
  private String barHost;
  private final Map<String, String> profileFields = new java.util.LinkedHashMap<>();
  private boolean frontOfQueue;
  private boolean clearUnmatched;
  private Responsibility responsibility;
  private final Map<Role, String> assigned = new EnumMap<>(Role.class);
  private final Map<Role, String> assignedHow = new EnumMap<>(Role.class);
  private Map<Role, String> handovers;
  private String handoverId;
  private Role handoverRole;
  private String handoverFrom;
  private String handoverTo;
  private Set<String> notify;
  private MatchContext match = MatchContext.NONE;
  private String text;
  private String counterpart;
  private boolean erase;
  private String quarantine;
  private boolean release;
  private String detail;

  private CaseChange(CaseView before) {
    this.before = before;
    this.responsibility = before.responsibility();
    this.handovers = new EnumMap<>(Role.class);
    this.handovers.putAll(before.handovers());
  }

  public static CaseChange of(CaseView before) {
    return new CaseChange(before);
  }

  /** A move to another status, as a decision of a step. */
  public CaseChange to(CaseStatus status) {
    this.to = status;
    return this;
  }

  public CaseChange decision(Step step, String decision, String reason) {
    this.step = step == null ? null : step.key();
    this.decision = decision;
    this.reason = reason;
    return this;
  }

  public CaseChange by(Actor actor, Role role) {
    this.actor = actor;
    this.role = role;
    return this;
  }

  public CaseChange eventType(String type) {
    this.eventType = type;
    return this;
  }

  /** The match the change belongs to (on the event). */
  public CaseChange aboutMatch(String matchId) {
    this.eventMatchId = matchId;
    return this;
  }

  /** The case is in this match from now on. */
  public CaseChange enterMatch(String matchId) {
    this.setMatchId = matchId;
    this.eventMatchId = matchId;
    this.clearUnmatched = true;
    return this;
  }

  /** The case leaves its match (the match was declined, expired, cancelled or ended). */
  public CaseChange leaveMatch() {
    this.removeMatchId = true;
    return this;
  }

  /** Sets fields of the case's profile (what matching reads: a registrant's corrected dates). */
  public CaseChange profile(Map<String, String> fields) {
    this.profileFields.putAll(fields);
    return this;
  }

  public CaseChange barHost(String hostId) {
    this.barHost = hostId;
    return this;
  }

  public CaseChange frontOfQueue() {
    this.frontOfQueue = true;
    return this;
  }

  /** Organisations made responsible for roles by this change. */
  public CaseChange assign(Map<Role, String> roles, String how, Instant at) {
    roles.forEach((role, partner) -> {
      assigned.put(role, partner);
      assignedHow.put(role, how);
    });
    this.responsibility = responsibility.with(roles, at);
    return this;
  }

  /** What the routing assigned, each role with how it was chosen. */
  public CaseChange assign(Routing.Assigned routed, Instant at) {
    routed.partners().forEach((role, partner) -> assign(Map.of(role, partner), routed.how().get(role), at));
    return this;
  }

  public CaseChange handover(String id, Role role, String from, String to) {
    this.handoverId = id;
    this.handoverRole = role;
    this.handoverFrom = from;
    this.handoverTo = to;
    return this;
  }

  public CaseChange pendingHandover(Role role, String id) {
    if (id == null) {
      handovers.remove(role);
    } else {
      handovers.put(role, id);
    }
    return this;
  }

  /** Who is told of the event (its webhooks' recipients); by default every organisation responsible after it. */
  public CaseChange notify(Set<String> partners) {
    this.notify = new LinkedHashSet<>(partners);
    return this;
  }

  public CaseChange matchContext(MatchContext context) {
    this.match = context;
    return this;
  }

  /** A decision's free text: stored with the personal data, in the same transaction. */
  public CaseChange text(String text) {
    this.text = text;
    return this;
  }

  /**
   * The case item keeps only what counts need (kind, status, region, programme, who held it): what the
   * registration said of the household or home ({@code profile}) and its link to another case go.
   */
  public CaseChange erasePersonalData() {
    this.erase = true;
    return this;
  }

  /** A further code of the decision, on the event ({@link ChainFacts#detail}). */
  public CaseChange detail(String code) {
    this.detail = code;
    return this;
  }

  /** Holds the case out of matching ({@link Quarantine}), for this reason, until it is released. */
  public CaseChange quarantine(String reason) {
    this.quarantine = reason;
    this.release = false;
    return this;
  }

  /** Lets a held case back into its pool. */
  public CaseChange release() {
    this.release = true;
    this.quarantine = null;
    return this;
  }

  /** Whether the case is held out of matching after this change. */
  public boolean heldAfter() {
    return !release && (quarantine != null || Quarantine.reason(before.item()) != null);
  }

  /** The other case of the match, when the change is one side of a match decision. */
  public CaseChange counterpart(String caseId) {
    this.counterpart = caseId;
    return this;
  }

  public CaseView before() {
    return before;
  }

  public CaseStatus status() {
    return to == null ? before.status() : to;
  }

  /** The case as it will be after the change. */
  public CaseView after(Instant at) {
    CaseStatus status = status();
    Instant since = status != before.status() ? at : before.stepSince();
    String matchId = setMatchId != null ? setMatchId : removeMatchId ? null : before.matchId();
    Map<Role, String> pending = status.terminal() ? Map.of() : handovers;
    return new CaseView(before.id(), before.kind(), status, before.version() + 1, before.region(), before.programme(),
        before.type(), responsibility, since, matchId, before.providerHome(), pending, before.registeredAt(),
        before.item());
  }

  /** The event this change appends. */
  public CaseEvent event(Instant at) {
    CaseView after = after(at);
    // A held case's events tell nobody (Quarantine): a possibly fake case does not reach the organisations.
    Set<String> told = heldAfter() ? Set.of() : notify != null ? notify : after.terminal() && !before.terminal()
        ? before.responsibility().partners() : after.responsibility().partners();
    Instant waited = null;
    if (role != null && actor != null && actor.isPartner()) {
      Instant assignedAt = before.responsibility().since().get(role);
      waited = before.stepSince();
      if (assignedAt != null && (waited == null || assignedAt.isAfter(waited))) {
        waited = assignedAt;
      }
    }
    ChainFacts facts = new ChainFacts(step, decision, role == null ? null : role.wire(),
        Responsibility.wire(responsibility.holders()), Responsibility.wire(assigned), Responsibility.wire(assignedHow),
        told, handoverId, handoverRole == null ? null : handoverRole.wire(), handoverFrom, handoverTo, counterpart,
        text != null, waited, before.programme(), before.type(), heldAfter(), detail);
    return new CaseEvent(before.id(), before.kind(), before.version() + 1, eventType, before.region(),
        before.status().wire(), after.status().wire(), at, actor == null ? "system" : actor.wire(), reason,
        eventMatchId).withOrigin(before.origin()).withChain(facts);
  }

  /** Every write of this change, for one transaction. */
  public List<TransactWriteItem> writes(Tables tables, Instant at, Duration retention) {
    CaseView after = after(at);
    CaseEvent event = event(at);
    List<TransactWriteItem> out = new ArrayList<>();
    out.add(TransactWriteItem.builder().update(caseUpdate(tables, after, at)).build());
    out.add(TransactWriteItem.builder().put(Put.builder().tableName(tables.cases()).item(event.toItem())
        .conditionExpression("attribute_not_exists(pk)").build()).build());
    Set<String> stale = HolderRows.rowOwners(before);
    for (Map<String, AttributeValue> row : HolderRows.rows(after, match, heldAfter())) {
      stale.remove(Attr.str(row, "holder"));
      out.add(TransactWriteItem.builder().put(Put.builder().tableName(tables.cases()).item(row).build()).build());
    }
    for (String holder : stale) {
      out.add(TransactWriteItem.builder().delete(Delete.builder().tableName(tables.cases())
          .key(HolderRows.key(before.id(), holder)).build()).build());
    }
    if (status().terminal()) {
      // A terminal move cancels the handovers still pending: their receivers are no longer asked.
      for (String id : handovers.values()) {
        out.add(TransactWriteItem.builder().update(Update.builder().tableName(tables.cases())
            .key(Attr.key(CaseEvent.partitionKey(before.id()), "HANDOVER#" + id))
            .updateExpression("SET #s = :cancelled, decidedAt = :at REMOVE waitingFor")
            .expressionAttributeNames(Map.of("#s", "status"))
            .expressionAttributeValues(Attr.item(":cancelled", "cancelled", ":at", at.toString())).build()).build());
      }
    }
    if (text != null) {
      out.add(TransactWriteItem.builder().put(Put.builder().tableName(tables.personalData()).item(Attr.item(
          "pk", PersonalKeys.casePartition(before.id()), "sk", PersonalKeys.textSortKey(event.seq()),
          "caseId", before.id(), "seq", event.seq(), "at", at.toString(), "author", event.actor(),
          "step", step, "decision", decision, "text", text,
          // Kept as the case's other personal data: until its end, then for the retention period (Retention).
          "deleteAfter", status().terminal() ? at.plus(retention).getEpochSecond() : null)).build()).build());
    }
    return out;
  }

  private Map<String, String> names() {
    Map<String, String> names = new HashMap<>(Map.of("#s", "status", "#v", "version"));
    int f = 0;
    for (String field : profileFields.keySet()) {
      names.put("#pf" + f++, field);
    }
    return names;
  }

  private Update caseUpdate(Tables tables, CaseView after, Instant at) {
    CaseStatus status = after.status();
    StringBuilder set = new StringBuilder("SET #s = :to, #v = :next, updatedAt = :at, stepSince = :since, "
        + "responsible = :resp, assignedAt = :assignedAt, handovers = :handovers, lastActor = :actor");
    List<String> remove = new ArrayList<>();
    Map<String, AttributeValue> values = new HashMap<>(Attr.item(":to", status.wire(), ":from", before.status().wire(),
        ":expected", before.version(), ":next", before.version() + 1, ":at", at.toString(),
        ":since", after.stepSince().toString(), ":actor", actor == null ? "system" : actor.wire()));
    values.put(":resp", responsibility.holdersValue());
    values.put(":assignedAt", responsibility.sinceValue());
    values.put(":handovers", CaseView.handoversValue(after.handovers()));
    // A held case stays out of its status's pool through every change, until it is released.
    String pool = heldAfter() ? Quarantine.poolKey(before.kind(), status, before.region())
        : CaseRecord.poolKey(before.kind(), status, before.region());
    if (quarantine != null) {
      set.append(", ").append(Quarantine.ATTRIBUTE).append(" = :quarantine");
      values.put(":quarantine", Quarantine.value(quarantine, at));
    } else if (release) {
      remove.add(Quarantine.ATTRIBUTE);
    }
    if (pool != null) {
      set.append(", poolKey = :pool");
      values.put(":pool", s(pool));
    } else {
      remove.add("poolKey");
    }
    if (setMatchId != null) {
      set.append(", matchId = :match");
      values.put(":match", s(setMatchId));
    } else if (removeMatchId) {
      remove.add("matchId");
    }
    if (clearUnmatched) {
      remove.add("unmatchedReason");
      remove.add("unmatchedDetail");
    }
    int f = 0;
    for (Map.Entry<String, String> field : profileFields.entrySet()) {
      set.append(", profile.#pf").append(f).append(" = :pf").append(f);
      values.put(":pf" + f, s(field.getValue()));
      f++;
    }
    if (frontOfQueue) {
      // Sorts before every registration time: the next run looks at this household first.
      set.append(", poolOrder = :front");
      values.put(":front", s("0000-00-00T00:00:00Z#" + before.id()));
    }
    if (erase) {
      set.append(", erasedAt = :at");
      remove.add("profile");
      remove.add("duplicateOf");
    }
    String expression = set.toString();
    if (barHost != null) {
      expression += " ADD declinedHosts :bar";
      values.put(":bar", AttributeValue.fromSs(List.of(barHost)));
    }
    if (!remove.isEmpty()) {
      expression += " REMOVE " + String.join(", ", remove);
    }
    return Update.builder().tableName(tables.cases())
        .key(Attr.key(CaseEvent.partitionKey(before.id()), CaseRecord.SORT_KEY))
        .updateExpression(expression)
        .conditionExpression("#s = :from AND #v = :expected")
        .expressionAttributeNames(names())
        .expressionAttributeValues(values).build();
  }

  /** Back in the matching pool: open for a household, approved for a host. */
  public static boolean backInPool(CaseStatus status) {
    return status == GuestStatus.OPEN || status == HostStatus.APPROVED;
  }
}
