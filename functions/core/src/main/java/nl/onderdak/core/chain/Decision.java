package nl.onderdak.core.chain;

import java.util.List;

/**
 * One decision a step offers: its code, the reason codes it takes, whether a reason is required, and what
 * follows. A reason {@code other} always needs a text; texts go with the personal data, never on the case.
 *
 * @param follows what happens next, in words (the programme table in docs/partners.md is held to these)
 * @param webhook the webhook type the decision sends, or null
 * @param system taken by the system (the clock, the matcher), never offered to an organisation
 */
public record Decision(String code, List<String> reasons, boolean reasonRequired, String follows, String webhook,
    boolean system) {
  public static final String OTHER = "other";

  public Decision(String code, List<String> reasons, boolean reasonRequired, String follows, String webhook) {
    this(code, reasons, reasonRequired, follows, webhook, false);
  }

  public boolean allows(String reason) {
    return reasons.contains(reason);
  }
}
