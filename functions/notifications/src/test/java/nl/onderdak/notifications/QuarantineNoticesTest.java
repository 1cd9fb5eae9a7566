package nl.onderdak.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.chain.Quarantine;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.events.ChainFacts;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A held case reaches nobody; a release tells what was withheld, and only that. */
@Tag("fast")
class QuarantineNoticesTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
  private static final Map<String, Partner> PARTNERS = Map.of("P-S", new Partner("P-S", "Screening",
      Set.of(Role.SCREENING, Role.PLACEMENT_REVIEW), Set.of("PV26"), List.of()));
  private final Notifications notifications = new Notifications(null);

  private static CaseEvent hostEvent(String type, String reason, boolean held) {
    ChainFacts facts = new ChainFacts(null, null, null, Map.of("screening", "P-S", "placement_review", "P-S"),
        CaseEvent.REGISTERED.equals(type) ? Map.of("screening", "P-S", "placement_review", "P-S") : Map.of(),
        Map.of("screening", "rule", "placement_review", "rule"), held ? Set.of() : Set.of("P-S"), null, null, null,
        null, null, false, null, "host_family", "host_offer", held, null);
    return new CaseEvent("H-1", CaseKind.HOST, 1, type, "PV26", null, "screening", AT, "registrant", reason, null,
        null, AT, facts);
  }

  @Test
  void aHeldRegistrationIsToldToNobodyAndItsReleaseTellsWhatWasWithheld() {
    assertEquals(List.of(), notifications.of(hostEvent(CaseEvent.REGISTERED, null, true), PARTNERS, Map.of()));
    List<String> told = notifications.of(hostEvent(CaseEvent.REGISTERED, null, false), PARTNERS, Map.of()).stream()
        .map(Notifications.Notice::type).sorted().toList();
    assertEquals(List.of(WebhookEvent.CASE_ASSIGNED, WebhookEvent.HOST_SCREENING_REQUESTED), told, "not held: told");

    List<Notifications.Notice> released = notifications.of(hostEvent(Quarantine.RELEASED, Quarantine.FORM_HONEYPOT,
        false), PARTNERS, Map.of());
    assertEquals(List.of(WebhookEvent.CASE_ASSIGNED, WebhookEvent.HOST_SCREENING_REQUESTED),
        released.stream().map(Notifications.Notice::type).sorted().toList());
    Notifications.Notice assigned = released.stream().filter(n -> n.type().equals(WebhookEvent.CASE_ASSIGNED))
        .findFirst().orElseThrow();
    assertEquals("release", assigned.data().get("how").asText());
    assertTrue(assigned.recipients().stream().allMatch(p -> p.id().equals("P-S")));

    assertEquals(List.of(), notifications.of(hostEvent(Quarantine.RELEASED, Quarantine.OPERATOR_BURST, false),
        PARTNERS, Map.of()), "held by an operator after it was told: nothing new to tell");
  }
}
