package nl.onderdak.core.partners;

import java.util.Map;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which cases and matches a partner may see and act on: by its roles and the regions it serves. Every
 * partner route asks here first, and answers {@code 404} for anything not routed to the partner, so a
 * partner cannot even learn that another's case exists.
 *
 * <ul>
 *   <li>a host: the screening partners of its province; once it has a match, the match's reviewers;
 *   <li>a household: the guest-support partners of its province; once it has a match, the match's reviewers;
 *   <li>a match: the placement reviewers of its province (the host's) act on it; the household's
 *       guest-support partners and the province's care and housing providers see it.
 * </ul>
 */
public final class PartnerAccess {
  private PartnerAccess() {}

  public static boolean seesCase(Partner p, Map<String, AttributeValue> caseItem, Map<String, AttributeValue> match) {
    String kind = Attr.str(caseItem, "kind");
    String region = Attr.str(caseItem, "region");
    boolean reviewer = match != null && p.has(Role.PLACEMENT_REVIEW, Attr.str(match, "region"));
    if ("host".equals(kind)) {
      return p.has(Role.SCREENING, region) || reviewer;
    }
    return p.has(Role.GUEST_SUPPORT, region) || reviewer;
  }

  public static boolean seesMatch(Partner p, Map<String, AttributeValue> match, String guestRegion) {
    String region = Attr.str(match, "region");
    return reviews(p, match) || p.has(Role.GUEST_SUPPORT, guestRegion) || p.has(Role.CARE_PROVIDER, region)
        || p.has(Role.HOUSING_PROVIDER, region);
  }

  public static boolean reviews(Partner p, Map<String, AttributeValue> match) {
    return p.has(Role.PLACEMENT_REVIEW, Attr.str(match, "region"));
  }

  /**
   * A match into a housing provider's home is decided by the placement reviewers and, before it is
   * final, a care provider of the province.
   */
  public static boolean reviews(Partner p, Map<String, AttributeValue> match, boolean providerHome) {
    return reviews(p, match) || (providerHome && p.has(Role.CARE_PROVIDER, Attr.str(match, "region")));
  }

  /** The stand-in, in a match's required reviewers, for "any care provider of the province". */
  public static final String ANY_CARE_PROVIDER = "role:care_provider";

  public static boolean screens(Partner p, Map<String, AttributeValue> hostItem) {
    return "host".equals(Attr.str(hostItem, "kind")) && p.has(Role.SCREENING, Attr.str(hostItem, "region"));
  }
}
