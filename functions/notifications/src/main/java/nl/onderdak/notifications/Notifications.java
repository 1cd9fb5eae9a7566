package nl.onderdak.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.matching.MatchStore;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.core.storage.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which webhook a case event becomes, with its thin payload (ids, times, what a partner needs to
 * decide; personal details only through the partner API), and which partners it is for.
 *
 * <p>A match changes two cases at once, each with its own event; only the host's event speaks for the
 * match, so each match event is sent once.
 */
final class Notifications {
  private final MatchStore matches;

  Notifications(MatchStore matches) {
    this.matches = matches;
  }

  /** One webhook to send: its type, data, and who may receive it. */
  record Notice(String type, ObjectNode data, List<Partner> recipients) {}

  Notice of(CaseEvent e, List<Partner> partners) {
    if (e.kind() == CaseKind.HOST && CaseEvent.REGISTERED.equals(e.type())) {
      ObjectNode data = Json.object().put("hostId", e.caseId()).put("region", e.region())
          .put("registeredAt", e.at().toString());
      return new Notice(WebhookEvent.HOST_SCREENING_REQUESTED, data, with(partners, Role.SCREENING, e.region()));
    }
    if ("withdrawn".equals(e.toStatus()) && "matched".equals(e.fromStatus())) {
      return alert(e, "withdrawn_after_acceptance", partners);
    }
    if (e.kind() != CaseKind.HOST || e.matchId() == null || e.reason() == null) {
      return null;
    }
    String type = typeOf(e.reason());
    if (type == null) {
      return null;
    }
    Map<String, AttributeValue> match = matches.match(e.matchId());
    if (match == null) {
      return null;
    }
    String guestRegion = Attr.str(match, "guestRegion");
    if (guestRegion == null) {
      // A match proposed before matches carried the household's region: read it from the case.
      Map<String, AttributeValue> guest = matches.caseItem(Attr.str(match, "guestId"));
      guestRegion = guest == null ? null : Attr.str(guest, "region");
    }
    ObjectNode data = Json.object()
        .put("matchId", e.matchId())
        .put("guestId", Attr.str(match, "guestId"))
        .put("hostId", Attr.str(match, "hostId"))
        .put("region", Attr.str(match, "region"))
        .put("status", matchStatus(type));
    switch (type) {
      case WebhookEvent.MATCH_PROPOSED -> {
        data.put("score", Attr.num(match, "score"));
        if (match.get("scoreParts") != null) {
          data.set("scoreParts", Attr.toJson(match.get("scoreParts")));
        }
        data.put("proposedAt", Attr.str(match, "proposedAt"));
      }
      case WebhookEvent.MATCH_DECLINED, WebhookEvent.MATCH_EXPIRED -> data.put("reason", Attr.str(match, "declineReason"));
      case WebhookEvent.PLACEMENT_CONFIRMED -> data.put("moveInDate", Attr.str(match, "moveInDate"));
      case WebhookEvent.PLACEMENT_ENDED -> data.put("reason", Attr.str(match, "endReason"));
      default -> { }
    }
    String region = Attr.str(match, "region");
    List<Partner> recipients = new ArrayList<>();
    for (Partner p : partners) {
      boolean reviewer = p.has(Role.PLACEMENT_REVIEW, region);
      boolean support = p.has(Role.GUEST_SUPPORT, guestRegion);
      boolean provider = p.has(Role.CARE_PROVIDER, region) || p.has(Role.HOUSING_PROVIDER, region);
      boolean placement = type.startsWith("placement.");
      if (reviewer || support || (placement && provider)) {
        recipients.add(p);
      }
    }
    return new Notice(type, data, recipients);
  }

  /** Something a person must act on now: to every partner the case or its match is routed to. */
  private Notice alert(CaseEvent e, String alert, List<Partner> partners) {
    Map<String, AttributeValue> match = e.matchId() == null ? null : matches.match(e.matchId());
    String matchRegion = match == null ? null : Attr.str(match, "region");
    ObjectNode data = Json.object().put("alert", alert).put("caseId", e.caseId()).put("kind", e.kind().wire())
        .put("region", e.region()).put("from", e.fromStatus()).put("to", e.toStatus());
    if (e.matchId() != null) {
      data.put("matchId", e.matchId());
    }
    Role caseRole = e.kind() == CaseKind.HOST ? Role.SCREENING : Role.GUEST_SUPPORT;
    List<Partner> recipients = partners.stream().filter(p -> p.has(caseRole, e.region())
        || p.has(Role.PLACEMENT_REVIEW, matchRegion) || p.has(Role.GUEST_SUPPORT, e.region())).toList();
    return new Notice(WebhookEvent.CASE_ALERT, data, recipients);
  }

  static String typeOf(String reason) {
    if (reason.equals("match_proposed")) {
      return WebhookEvent.MATCH_PROPOSED;
    } else if (reason.equals("match_accepted")) {
      return WebhookEvent.MATCH_ACCEPTED;
    } else if (reason.startsWith("match_declined")) {
      return WebhookEvent.MATCH_DECLINED;
    } else if (reason.startsWith("match_expired")) {
      return WebhookEvent.MATCH_EXPIRED;
    } else if (reason.equals("placement_confirmed")) {
      return WebhookEvent.PLACEMENT_CONFIRMED;
    } else if (reason.startsWith("placement_ended")) {
      return WebhookEvent.PLACEMENT_ENDED;
    }
    return null;
  }

  private static String matchStatus(String type) {
    return switch (type) {
      case WebhookEvent.MATCH_PROPOSED -> "proposed";
      case WebhookEvent.MATCH_ACCEPTED -> "accepted";
      case WebhookEvent.MATCH_DECLINED -> "declined";
      case WebhookEvent.MATCH_EXPIRED -> "expired";
      case WebhookEvent.PLACEMENT_CONFIRMED -> "placed";
      default -> "ended";
    };
  }

  private static List<Partner> with(List<Partner> partners, Role role, String region) {
    return partners.stream().filter(p -> p.has(role, region)).toList();
  }
}
