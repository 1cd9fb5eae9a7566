package nl.onderdak.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import nl.onderdak.core.chain.CaseType;
import nl.onderdak.core.chain.Decision;
import nl.onderdak.core.chain.Handovers;
import nl.onderdak.core.chain.Programme;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.chain.Step;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.partners.WebhookEvent;
import nl.onderdak.infra.template.SamTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/partners.md says what the code does: every programme's case types, roles, steps, decisions and reason
 * codes are in its table, every webhook type in its events, and every partner route of the template in its route
 * table. A step, a code or a route added without its documentation fails here.
 */
@Tag("fast")
class ProgrammeDocsTest {
  private final SamTemplate template = SamTemplate.load(SamTemplate.locateFile());

  @Test
  void thePartnersGuideDocumentsEveryStepDecisionReasonRoleRouteAndEvent() throws Exception {
    String guide = Files.readString(template.file().getParent().resolve("docs/partners.md"));
    List<String> missing = new ArrayList<>();
    for (Programme p : Programmes.all()) {
      need(guide, "`" + p.id() + "`", missing);
      for (CaseType t : p.caseTypes()) {
        need(guide, "| `" + t.key() + "` |", missing);
      }
      for (Step s : p.steps()) {
        need(guide, "| `" + s.key() + "` |", missing);
        for (Decision d : s.decisions()) {
          need(guide, "`" + d.code() + "`", missing);
          d.reasons().forEach(r -> need(guide, "`" + r + "`", missing));
        }
      }
    }
    for (Role r : Role.values()) {
      need(guide, "`" + r.wire() + "`", missing);
    }
    Handovers.REASONS.forEach(r -> need(guide, "`" + r + "`", missing));
    for (String type : WebhookEvent.ALL) {
      need(guide, "| `" + type + "` |", missing);
    }
    for (SamTemplate.Function fn : template.functions()) {
      for (SamTemplate.Event event : fn.events().values()) {
        if (!event.type().equals("HttpApi")) {
          continue;
        }
        String path = event.string("Path", "");
        if (path.startsWith("/partner/") || path.startsWith("/admin/partners") || path.startsWith("/admin/routing")
            || path.startsWith("/admin/unassigned")) {
          need(guide, "`" + event.string("Method", "") + " " + path, missing);
        }
      }
    }
    assertEquals(List.of(), missing, "docs/partners.md does not say these");
  }

  private static void need(String guide, String text, List<String> missing) {
    if (!guide.contains(text)) {
      missing.add(text);
    }
  }
}
