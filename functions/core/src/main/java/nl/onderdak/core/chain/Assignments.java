package nl.onderdak.core.chain;

import java.util.Map;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.partners.Role;

/**
 * Cases waiting unassigned get the roles nobody holds, by the routing as it is now: after operators change the
 * rules, or onboard the organisation a region lacked. Roles already held are never moved (that is a handover).
 */
public final class Assignments {
  private Assignments() {}

  /** What a pass did. */
  public record Result(int assigned, int stillUnassigned, boolean more) {}

  public static Result assignWaiting(Chain chain, Routing routing, PartnerWork work, int max) {
    int assigned = 0;
    int still = 0;
    String cursor = null;
    int seen = 0;
    do {
      PartnerWork.Page page = work.unassigned(cursor, Math.min(PartnerWork.MAX_LIMIT, max - seen));
      for (var row : page.rows()) {
        seen++;
        CaseView c = chain.store().caseView(row.caseId());
        if (c == null || c.terminal()) {
          continue;
        }
        if (assign(chain, routing, c)) {
          assigned++;
        }
        CaseView now = chain.store().caseView(c.id());
        if (!now.responsibility().missing(now.caseType().roles()).isEmpty()) {
          still++;
        }
      }
      cursor = page.cursor();
    } while (cursor != null && seen < max);
    return new Result(assigned, still, cursor != null);
  }

  /** Routes the roles this case lacks; true when any was assigned. A case that moved meanwhile is left. */
  public static boolean assign(Chain chain, Routing routing, CaseView c) {
    Map<Role, String> held = c.responsibility().holders();
    Routing.Assigned routed = routing.assign(c.programmeDefinition(), c.caseType(), c.region(), c.municipality(), held);
    if (routed.partners().isEmpty()) {
      return false;
    }
    ChainStore.Tx tx = chain.store().begin(chain.clock().instant());
    tx.change(CaseChange.of(c).eventType(CaseEvent.ASSIGNED).decision(null, "route", null)
        .by(Actor.system("routing"), null).assign(routed, tx.at())
        .notify(new java.util.LinkedHashSet<>(routed.partners().values()))
        .matchContext(chain.store().matchContext(c, null)));
    try {
      tx.commit();
      return true;
    } catch (Refused conflict) {
      // It changed meanwhile (the matcher, a decision): read it again once; a later pass sees it if it still waits.
      CaseView now = chain.store().caseView(c.id());
      return now != null && !now.terminal() && now.version() != c.version() && assign(chain, routing, now);
    }
  }
}
