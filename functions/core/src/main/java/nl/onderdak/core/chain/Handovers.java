package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.support.Ids;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A case handed from one organisation to another for one role: the holder asks, the receiver accepts or refuses,
 * and until it accepts the sender stays responsible, so the case is never between two chairs. One pending
 * handover per role. Each request and decision is a change of the case (its history, its rows) in one
 * transaction with the handover item ({@code HANDOVER#<id>} in the case's item collection, listed for the
 * receiver by {@code ByWaiting} while it waits).
 */
public final class Handovers {
  public static final List<String> REASONS = List.of("capacity", "language", "region", "specialism",
      "conflict_of_interest", Decision.OTHER);
  public static final String ITEM_TYPE = "HANDOVER";
  public static final String STEP = "handover";

  private Handovers() {}

  /** {@code {"role", "to", "reason", "text"}}: asks {@code to} to take over the sender's role on the case. */
  public static Decided request(Chain chain, Actor actor, CaseView c, JsonNode body,
      Function<String, Partner> partners) {
    for (int attempt = 1; ; attempt++) {
      try {
        return requestOnce(chain, actor, c, body, partners);
      } catch (Refused r) {
        // Another change of the case (the matcher, a review) came between the read and the write: read again.
        if (!"conflict".equals(r.code()) || attempt >= ATTEMPTS) {
          throw r;
        }
        c = chain.store().caseView(c.id());
        if (c == null || c.terminal()) {
          throw Refused.notFound();
        }
      }
    }
  }

  static final int ATTEMPTS = 4;

  private static Decided requestOnce(Chain chain, Actor actor, CaseView c, JsonNode body,
      Function<String, Partner> partners) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields fields = JsonFields.root(body, errors);
    Set<String> roles = new LinkedHashSet<>();
    c.caseType().allRoles().forEach(r -> roles.add(r.wire()));
    String roleWire = fields.oneOf("role", true, roles);
    String to = fields.string("to", true, 1, 40);
    String reason = fields.oneOf("reason", true, new LinkedHashSet<>(REASONS));
    String text = fields.string("text", Decision.OTHER.equals(reason), 1, 1000);
    fields.rejectUnknown();
    Role role = Role.fromWire(roleWire);
    Partner receiver = to == null ? null : partners.apply(to);
    if (role != null && to != null && (receiver == null || !receiver.roles().contains(role))) {
      fields.error("to", FieldError.Codes.INVALID_VALUE, "no organisation with the " + roleWire + " role has this id");
    } else if (to != null && to.equals(actor.partnerId())) {
      fields.error("to", FieldError.Codes.INVALID_VALUE, "a case is handed to another organisation");
    }
    if (role != null && !c.responsibility().holds(actor.partnerId(), role)) {
      throw Refused.forbidden("missing_role", "only the organisation holding " + roleWire + " on " + c.id()
          + " hands it over");
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    if (c.handovers().containsKey(role)) {
      throw Refused.conflict("handover_pending", "a handover of " + roleWire + " on " + c.id()
          + " waits for its receiver already");
    }
    String id = Ids.newId("HO");
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    Step step = c.step();
    tx.write(TransactWriteItem.builder().put(Put.builder().tableName(chain.store().tables().cases()).item(Attr.item(
        "pk", CaseEvent.partitionKey(c.id()), "sk", "HANDOVER#" + id, "itemType", ITEM_TYPE, "handoverId", id,
        "caseId", c.id(), "kind", c.kind().wire(), "programme", c.programme(), "caseType", c.type(),
        "region", c.region(), "caseStatus", c.status().wire(), "step", step == null ? null : step.key(),
        "role", roleWire, "from", actor.partnerId(), "to", to, "reason", reason, "status", "requested",
        "requestedAt", tx.at().toString(), "waitingFor", to, "holderOrder", tx.at() + "#" + c.id()))
        .conditionExpression("attribute_not_exists(pk)").build()).build());
    tx.change(CaseChange.of(c).eventType(CaseEvent.HANDOVER_REQUESTED).decision(null, "request", reason)
        .by(actor, role).handover(id, role, actor.partnerId(), to).pendingHandover(role, id).text(text)
        .notify(Set.of(to)).matchContext(chain.store().matchContext(c, null)));
    tx.commit();
    return new Decided(id, "requested", null, tx.at(), false);
  }

  /** The handover item, or null. */
  public static Map<String, AttributeValue> find(ChainStore store, String caseId, String handoverId) {
    if (!Ids.isCaseId(caseId) || !Ids.isId("HO", handoverId)) {
      return null;
    }
    Map<String, AttributeValue> item = store.dynamo().getItem(b -> b.tableName(store.tables().cases())
        .key(Attr.key(CaseEvent.partitionKey(caseId), "HANDOVER#" + handoverId)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? null : item;
  }

  /** {@code {"decision": "accept" | "refuse", "reason", "text"}} by the receiver. */
  public static Decided decide(Chain chain, Actor actor, String caseId, String handoverId, JsonNode body) {
    for (int attempt = 1; ; attempt++) {
      try {
        return decideOnce(chain, actor, caseId, handoverId, body);
      } catch (Refused r) {
        // The case changed between the read and the write for another reason (the matcher proposed it, say): the
        // handover is still asked, so read again and decide again.
        if (!"conflict".equals(r.code()) || attempt >= ATTEMPTS) {
          throw r;
        }
      }
    }
  }

  private static Decided decideOnce(Chain chain, Actor actor, String caseId, String handoverId, JsonNode body) {
    Map<String, AttributeValue> item = find(chain.store(), caseId, handoverId);
    String from = item == null ? null : Attr.str(item, "from");
    String to = item == null ? null : Attr.str(item, "to");
    if (item == null || !(actor.partnerId().equals(to) || actor.partnerId().equals(from))) {
      throw Refused.notFound(); // nobody else learns that it exists
    }
    if (!actor.partnerId().equals(to)) {
      throw Refused.forbidden("not_the_receiver", "the organisation asked to take the case over decides");
    }
    List<FieldError> errors = new ArrayList<>();
    JsonFields fields = JsonFields.root(body, errors);
    String decision = fields.oneOf("decision", true, Set.of("accept", "refuse"));
    String reason = fields.oneOf("reason", "refuse".equals(decision), new LinkedHashSet<>(REASONS));
    String text = fields.string("text", Decision.OTHER.equals(reason), 1, 1000);
    fields.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    String status = Attr.str(item, "status");
    String target = decision.equals("accept") ? "accepted" : "refused";
    if (target.equals(status)) {
      return new Decided(handoverId, status, null, null, true);
    }
    if (!"requested".equals(status)) {
      throw Refused.conflict("handover_decided", "handover " + handoverId + " was " + status);
    }
    Role role = Role.fromWire(Attr.str(item, "role"));
    CaseView c = chain.store().caseView(caseId);
    if (c == null || c.terminal() || !handoverId.equals(c.handovers().get(role))
        || !c.responsibility().holds(from, role)) {
      throw Refused.conflict("case_moved_on", caseId + " is no longer where the handover was asked");
    }
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.write(TransactWriteItem.builder().update(Update.builder().tableName(chain.store().tables().cases())
        .key(Attr.key(CaseEvent.partitionKey(caseId), "HANDOVER#" + handoverId))
        .updateExpression("SET #s = :to, decidedAt = :at, decidedBy = :by" + ("refuse".equals(decision) ? ", refusal = :why" : "")
            + " REMOVE waitingFor")
        .conditionExpression("#s = :requested")
        .expressionAttributeNames(Map.of("#s", "status"))
        .expressionAttributeValues(Attr.item(":to", target, ":at", tx.at().toString(), ":by", actor.wire(),
            ":requested", "requested", ":why", "refuse".equals(decision) ? reason : null)).build()).build());
    CaseChange change = CaseChange.of(c).by(actor, role).handover(handoverId, role, from, to).pendingHandover(role, null)
        .matchContext(chain.store().matchContext(c, null));
    if (decision.equals("accept")) {
      change.eventType(CaseEvent.ASSIGNED).decision(null, "accept", null).assign(Map.of(role, to), "handover", tx.at())
          .notify(Set.of(to, from));
    } else {
      change.eventType(CaseEvent.HANDOVER_REFUSED).decision(null, "refuse", reason).text(text).notify(Set.of(from));
    }
    tx.change(change);
    tx.commit();
    return new Decided(handoverId, target, null, tx.at(), false);
  }
}
