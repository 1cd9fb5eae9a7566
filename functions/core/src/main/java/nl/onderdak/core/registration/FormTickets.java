package nl.onderdak.core.registration;

import static nl.onderdak.core.storage.Attr.s;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.Tables;
import nl.onderdak.core.support.Secrets;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The public form's tickets: what a registration through the public routes must carry, so that a bot has to do
 * what a person's browser does. The form asks for a ticket when it opens ({@code POST /registrations/tickets});
 * the registration sends it back in the {@code Form-Ticket} header. The server checks it, not the page:
 *
 * <ul>
 *   <li>it was issued here (only its hash is stored, so the table holds nothing a reader could submit);
 *   <li>it is used once: the registration's transaction deletes it, conditioned on it still being there, so two
 *       registrations with one ticket cannot both go in;
 *   <li>the form was open at least the minimum fill time ({@code FormMinFillSeconds}): a person reads and types
 *       for minutes, a script posts at once;
 *   <li>it has not expired (a form left open longer gets a new ticket from the page, which asks again).
 * </ul>
 *
 * Why a stored ticket rather than a signed one: no key has to be shared with the public functions, and a ticket
 * is spent once. The price is one small write per opened form, on the idempotency table (not the personal data).
 */
public final class FormTickets {
  public static final String HEADER = "Form-Ticket";
  public static final Duration LIFETIME = Duration.ofHours(6);
  static final String PREFIX = "TICKET#";

  /** What the page gets: the ticket and when it may be, and must be, used. */
  public record Issued(String ticket, Instant issuedAt, Instant notBefore, Instant expiresAt) {}

  /** Why a ticket was not accepted: the code in the answer's field error. */
  public enum Refusal {
    MISSING("missing", "send the ticket from POST /registrations/tickets in the Form-Ticket header"),
    INVALID("invalid", "this ticket was not issued, was used already or has expired: ask for a new one"),
    TOO_EARLY("too_early", "this ticket is not valid yet: send the form again after its notBefore time");

    private final String code;
    private final String hint;

    Refusal(String code, String hint) {
      this.code = code;
      this.hint = hint;
    }

    public String code() {
      return code;
    }

    public String hint() {
      return hint;
    }
  }

  /** A ticket that was not accepted. Nothing of the registration was written. */
  public static final class TicketRefused extends RuntimeException {
    private final Refusal refusal;
    private final Instant notBefore;

    TicketRefused(Refusal refusal, Instant notBefore) {
      super(refusal.hint(), null, false, false);
      this.refusal = refusal;
      this.notBefore = notBefore;
    }

    public Refusal refusal() {
      return refusal;
    }

    /** For {@link Refusal#TOO_EARLY}: when it will be accepted. */
    public Instant notBefore() {
      return notBefore;
    }
  }

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final Duration minimumFill;

  public FormTickets(DynamoDbClient dynamo, Tables tables, Clock clock, Duration minimumFill) {
    this.dynamo = dynamo;
    this.table = tables.idempotency();
    this.clock = clock;
    this.minimumFill = minimumFill;
  }

  public Duration minimumFill() {
    return minimumFill;
  }

  /** A new ticket, stored by its hash with its times; DynamoDB's TTL removes it after it expires. */
  public Issued issue() {
    String ticket = Secrets.newToken();
    Instant now = clock.instant();
    Issued issued = new Issued(ticket, now, now.plus(minimumFill), now.plus(LIFETIME));
    dynamo.putItem(b -> b.tableName(table).item(Attr.item("pk", key(ticket), "issuedAt", now.toString(),
        "notBefore", issued.notBefore().toString(), "expiresAt", issued.expiresAt().getEpochSecond())));
    return issued;
  }

  /**
   * Checks a ticket (read strongly consistently) and gives the write that spends it, for the registration's
   * transaction.
   *
   * @throws TicketRefused when it is missing, unknown, spent, expired or too early
   */
  public TransactWriteItem spend(String ticket) {
    if (ticket == null || ticket.isBlank()) {
      throw new TicketRefused(Refusal.MISSING, null);
    }
    if (ticket.length() > 128) {
      throw new TicketRefused(Refusal.INVALID, null);
    }
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
        .key(Map.of("pk", s(key(ticket)))).consistentRead(true)).item();
    Instant now = clock.instant();
    // TTL deletes late (within days): an item past its time is as good as gone.
    if (item == null || item.isEmpty() || Attr.num(item, "expiresAt") <= now.getEpochSecond()) {
      throw new TicketRefused(Refusal.INVALID, null);
    }
    Instant notBefore = Instant.parse(Attr.str(item, "issuedAt")).plus(minimumFill);
    if (now.isBefore(notBefore)) {
      throw new TicketRefused(Refusal.TOO_EARLY, notBefore);
    }
    return TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(Map.of("pk", s(key(ticket))))
        .conditionExpression("attribute_exists(pk)").build()).build();
  }

  /** A ticket another registration spent between the check and the transaction. */
  public static TicketRefused spentMeanwhile() {
    return new TicketRefused(Refusal.INVALID, null);
  }

  /** For SnapStart priming: a ticket nobody has, read. */
  public void prime() {
    dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s(key("priming")))).consistentRead(true));
  }

  private static String key(String ticket) {
    return PREFIX + Secrets.sha256Hex(ticket);
  }
}
