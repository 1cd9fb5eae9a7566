package nl.onderdak.core.chain;

import nl.onderdak.core.partners.Partner;

/**
 * Who makes a change: a partner organisation (through the partner API), an operator (an IAM principal, on an
 * admin route), the registrant, the matcher or the clock. Only partners are held to the steps' roles;
 * operators may take the decisions offered to them on admin routes, and the system steps are the system's.
 *
 * @param wire how the actor is written in a case's history: {@code partner:P-…}, {@code admin:arn…},
 *     {@code registrant}, {@code matcher}, {@code system:…}
 */
public record Actor(String wire, Partner partner) {
  public static final Actor REGISTRANT = new Actor("registrant", null);
  public static final Actor MATCHER = new Actor("matcher", null);

  public static Actor of(Partner partner) {
    return new Actor("partner:" + partner.id(), partner);
  }

  public static Actor operator(String principal) {
    return new Actor(principal == null ? "admin" : "admin:" + principal, null);
  }

  public static Actor system(String what) {
    return new Actor("system:" + what, null);
  }

  public boolean isPartner() {
    return partner != null;
  }

  public boolean isOperator() {
    return wire.startsWith("admin");
  }

  /** The partner's id, or null for anyone else. */
  public String partnerId() {
    return partner == null ? null : partner.id();
  }
}
