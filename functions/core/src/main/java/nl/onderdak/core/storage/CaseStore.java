package nl.onderdak.core.storage;

import static nl.onderdak.core.storage.Attr.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Cases in DynamoDB: creating a registration, reading a case, moving it through its lifecycle.
 * Every write that changes a case also appends its {@link CaseEvent}, in one transaction.
 */
public final class CaseStore {
  private final DynamoDbClient dynamo;
  private final Tables tables;

  public CaseStore(DynamoDbClient dynamo, Tables tables) {
    this.dynamo = dynamo;
    this.tables = tables;
  }

  /** Everything a new registration writes, built by {@link #newRegistration}. */
  public record NewRegistration(
      CaseEvent event,
      Map<String, AttributeValue> caseItem,
      Map<String, AttributeValue> personalItem,
      List<Map<String, AttributeValue>> contactClaims,
      Map<String, AttributeValue> idempotencyItem,
      List<Map<String, AttributeValue>> holderRows,
      TransactWriteItem spendTicket) {

    public NewRegistration(CaseEvent event, Map<String, AttributeValue> caseItem,
        Map<String, AttributeValue> personalItem, List<Map<String, AttributeValue>> contactClaims,
        Map<String, AttributeValue> idempotencyItem) {
      this(event, caseItem, personalItem, contactClaims, idempotencyItem, List.of(), null);
    }
  }

  /** Why a registration transaction did not go through. */
  public enum Refusal { IDEMPOTENCY_KEY_TAKEN, CONTACT_CLAIMED, TICKET_SPENT, CONFLICT }

  public static final class RegistrationRefused extends RuntimeException {
    private final Refusal refusal;

    RegistrationRefused(Refusal refusal, Throwable cause) {
      super(refusal.name(), cause, false, false);
      this.refusal = refusal;
    }

    public Refusal refusal() {
      return refusal;
    }
  }

  /**
   * Writes the case, its first event, its personal data, its contact claims and its idempotency
   * record in one transaction: all of it or none. Each item is conditioned on not existing yet.
   *
   * @throws RegistrationRefused saying which condition failed, so the caller can replay, link or retry
   */
  public void create(NewRegistration r) {
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(putNew(tables.cases(), r.caseItem()));
    writes.add(putNew(tables.cases(), r.event().toItem()));
    writes.add(putNew(tables.personalData(), r.personalItem()));
    // The rows that list the new case under the organisations now responsible for it (or as unassigned).
    r.holderRows().forEach(row -> writes.add(putNew(tables.cases(), row)));
    int idempotencyIndex = -1;
    if (r.idempotencyItem() != null) {
      idempotencyIndex = writes.size();
      writes.add(putNew(tables.idempotency(), r.idempotencyItem()));
    }
    int ticketIndex = -1;
    if (r.spendTicket() != null) {
      // The public form's ticket is spent in the same transaction: two registrations with one cannot both go in.
      ticketIndex = writes.size();
      writes.add(r.spendTicket());
    }
    int firstClaim = writes.size();
    // A claim its case let go of (a registrant's corrected contact: no caseId) may be taken again.
    r.contactClaims().forEach(claim -> writes.add(TransactWriteItem.builder().put(Put.builder()
        .tableName(tables.personalData()).item(claim)
        .conditionExpression("attribute_not_exists(pk) OR attribute_not_exists(caseId)").build()).build()));
    int ticket = ticketIndex;
    try {
      dynamo.transactWriteItems(b -> b.transactItems(writes));
    } catch (TransactionCanceledException e) {
      throw new RegistrationRefused(refusal(e.cancellationReasons(), idempotencyIndex, ticket, firstClaim), e);
    }
  }

  private static Refusal refusal(List<CancellationReason> reasons, int idempotencyIndex, int ticketIndex,
      int firstClaim) {
    if (idempotencyIndex >= 0 && failedCondition(reasons, idempotencyIndex)) {
      return Refusal.IDEMPOTENCY_KEY_TAKEN;
    }
    if (ticketIndex >= 0 && failedCondition(reasons, ticketIndex)) {
      return Refusal.TICKET_SPENT;
    }
    for (int i = firstClaim; i < reasons.size(); i++) {
      if (failedCondition(reasons, i)) {
        return Refusal.CONTACT_CLAIMED;
      }
    }
    return Refusal.CONFLICT;
  }

  private static boolean failedCondition(List<CancellationReason> reasons, int index) {
    return index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private static TransactWriteItem putNew(String table, Map<String, AttributeValue> item) {
    return TransactWriteItem.builder().put(Put.builder()
        .tableName(table)
        .item(item)
        .conditionExpression("attribute_not_exists(pk)")
        .build()).build();
  }

  public Optional<CaseRecord> find(String caseId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b
        .tableName(tables.cases())
        .key(Attr.key(CaseEvent.partitionKey(caseId), CaseRecord.SORT_KEY))
        .consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(CaseRecord.fromItem(item));
  }

  /** The case that first claimed any of these contact keys, if one did. Strongly consistent. */
  /**
   * For SnapStart priming: a registration's transaction, refused by its own condition (a check that an idempotency
   * record which does not exist exists), so the request is marshalled, signed and sent, and nothing is written.
   */
  public void primeTransaction() {
    try {
      dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().conditionCheck(c -> c
          .tableName(tables.idempotency()).key(Map.of("pk", s("PRIMING"))).conditionExpression("attribute_exists(pk)"))
          .build()));
    } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException expected) {
      // refused, as it must be: nothing was written
    }
  }

  public Optional<String> contactOwner(List<String> claimKeys) {
    if (claimKeys.isEmpty()) {
      return Optional.empty();
    }
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    claimKeys.forEach(k -> keys.add(PersonalKeys.claim(k)));
    var response = dynamo.batchGetItem(b -> b.requestItems(Map.of(tables.personalData(),
        KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
    List<Map<String, AttributeValue>> found = response.responses().getOrDefault(tables.personalData(), List.of());
    // Keep the caller's order: the email claim wins over the phone claim when both exist.
    for (String key : claimKeys) {
      for (Map<String, AttributeValue> item : found) {
        if (key.equals(Attr.str(item, "pk")) && Attr.str(item, "caseId") != null) {
          return Optional.of(Attr.str(item, "caseId")); // a released claim (no caseId) is nobody's
        }
      }
    }
    return Optional.empty();
  }

  public Optional<Map<String, AttributeValue>> idempotencyRecord(String key) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b
        .tableName(tables.idempotency())
        .key(Map.of("pk", s(key)))
        .consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  /** A move that the lifecycle forbids, or that lost to another change of the same case. */
  public static final class TransitionRefused extends RuntimeException {
    public TransitionRefused(String message) {
      super(message);
    }
  }

  /**
   * Moves a case from {@code from} to {@code to} and appends the event, in one transaction
   * conditioned on the case still being in {@code from} at the version read. The lifecycle's rule is
   * checked first (no write is tried for a forbidden move); the stored status is checked by the
   * condition, so two concurrent moves from the same status can never both succeed.
   *
   * @return the event written
   * @throws TransitionRefused if the move is not allowed or the case is no longer in {@code from}
   */
  public CaseEvent transition(String caseId, CaseStatus from, CaseStatus to, Instant at, String actor, String reason) {
    if (!from.canMoveTo(to)) {
      throw new TransitionRefused(from.kind().wire() + " cannot move from " + from.wire() + " to " + to.wire());
    }
    nl.onderdak.core.chain.CaseView current = nl.onderdak.core.chain.CaseView.of(dynamo.getItem(b -> b
        .tableName(tables.cases()).key(Attr.key(CaseEvent.partitionKey(caseId), CaseRecord.SORT_KEY))
        .consistentRead(true)).item());
    if (current == null) {
      throw new TransitionRefused("no case " + caseId);
    }
    if (current.status() != from) {
      throw new TransitionRefused(caseId + " is " + current.status().wire() + ", not " + from.wire());
    }
    // Through the one writer of case changes, so that the case's holder rows follow it.
    nl.onderdak.core.chain.CaseChange change = nl.onderdak.core.chain.CaseChange.of(current).to(to)
        .decision(current.step(), to.wire(), reason).by(new nl.onderdak.core.chain.Actor(actor, null), null);
    try {
      dynamo.transactWriteItems(b -> b.transactItems(change.writes(tables, at, java.time.Duration.ZERO)));
    } catch (TransactionCanceledException | ConditionalCheckFailedException e) {
      throw new TransitionRefused(caseId + " changed while moving from " + from.wire() + " to " + to.wire());
    }
    return change.event(at);
  }
}
