package nl.onderdak.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.chain.Programme;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.chain.Step;
import nl.onderdak.core.chain.WithdrawalStep;
import nl.onderdak.core.chain.Quarantine;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.partners.WebhookEvent;

/**
 * The reconciliation (what was sent against what the store, the partners and {@code /ops} hold) and the
 * figures a coordinator and an operator want, as text ({@code report.txt}), charts ({@code report.html})
 * and numbers ({@code summary.json}).
 */
final class Report {
  private static final Set<String> ACTIVE = Set.of("proposed", "accepted", "placed");

  private final Settings settings;
  private final Rehearsal.Run run;
  private final Rehearsal.Run greedy;
  /** Everything that must not happen and did: empty when the rehearsal is clean. */
  final List<String> problems = new ArrayList<>();
  final Map<String, Object> figures = new LinkedHashMap<>();
  final Map<String, Long> checks = new LinkedHashMap<>();
  private final double[] toProposalHours;
  private final double[] toPlacementHours;
  private final double[] lagMillis;
  private Map<String, List<String>> expected = Map.of();
  private final StaysReport stays;

  Report(Settings settings, Rehearsal.Run run, Rehearsal.Run greedy) {
    this.settings = settings;
    this.run = run;
    this.greedy = greedy;
    reconcileRegistrations();
    reconcileBookings();
    expected = expectedWebhooks(run.store);
    reconcileWebhooks();
    reconcileChain();
    reconcileOps();
    reconcileFlood();
    stays = new StaysReport(run);
    checks.putAll(stays.checks);
    problems.addAll(stays.problems);
    run.settleNotes.forEach(problems::add);
    toProposalHours = waits(run, "proposed");
    toPlacementHours = waits(run, "placed");
    lagMillis = lags();
    figures();
  }

  boolean clean() {
    return problems.isEmpty();
  }

  // ------------------------------------------------------------------ reconciliation

  private void reconcileRegistrations() {
    Map<String, Integer> byId = new HashMap<>();
    long unanswered = 0;
    long missing = 0;
    for (Rehearsal.Run.Sent s : run.sent) {
      if (s.id == null) {
        unanswered++;
        continue;
      }
      byId.merge(s.id, 1, Integer::sum);
      if (!run.store.cases.containsKey(s.id)) {
        missing++;
      }
    }
    long shared = byId.values().stream().filter(n -> n > 1).count();
    // The bot flood's accepted fakes are in the store too: counted apart (reconcileFlood).
    Set<String> fakes = run.fakeIds();
    long stored = run.store.cases.keySet().stream().filter(id -> !fakes.contains(id)).count();
    long extra = run.store.cases.keySet().stream().filter(id -> !byId.containsKey(id) && !fakes.contains(id)).count();
    checks.put("registrations sent (distinct)", (long) run.sent.size());
    checks.put("registrations in the store", stored);
    checks.put("sent, never answered", unanswered);
    checks.put("answered, not in the store (lost)", missing);
    checks.put("in the store, never sent (duplicated)", extra);
    checks.put("two registrations given one id", shared);
    checks.put("retries answered with another id", run.idempotencyBroken.get());
    if (unanswered > 0) {
      problems.add(unanswered + " registration(s) got no answer after every retry");
    }
    if (missing > 0) {
      problems.add(missing + " registration(s) answered but not in the store: lost");
    }
    if (extra > 0) {
      problems.add(extra + " case(s) in the store that no distinct registration explains: duplicated");
    }
    if (shared > 0) {
      problems.add(shared + " id(s) given to two different registrations");
    }
    if (run.idempotencyBroken.get() > 0) {
      problems.add(run.idempotencyBroken.get() + " retry/ies with the same Idempotency-Key answered with another id");
    }
    long repeats = run.sent.stream().filter(s -> s.repeatOfPerson).count();
    // Whichever of the two reached the store second is the one held (a slow client can make the first arrive last).
    long repeatsHeld = run.sent.stream().filter(s -> s.repeatOfPerson && s.id != null && s.first != null)
        .filter(s -> held(s.id) || held(s.first.id)).count();
    checks.put("people who registered twice (new key)", repeats);
    checks.put("of those, held or closed as duplicates", repeatsHeld);
  }

  private boolean held(String id) {
    StoreSnapshot.Case c = id == null ? null : run.store.cases.get(id);
    return c != null && Set.of("on_hold", "closed").contains(c.status());
  }

  private void reconcileBookings() {
    Map<String, Integer> activeGuest = new HashMap<>();
    Map<String, Integer> activeHost = new HashMap<>();
    Map<String, Integer> placedGuest = new HashMap<>();
    Map<String, Integer> placedHost = new HashMap<>();
    for (StoreSnapshot.Match m : run.store.matches.values()) {
      if (ACTIVE.contains(m.status())) {
        activeGuest.merge(m.guestId(), 1, Integer::sum);
        activeHost.merge(m.hostId(), 1, Integer::sum);
      }
      if ("placed".equals(m.status())) {
        placedGuest.merge(m.guestId(), 1, Integer::sum);
        placedHost.merge(m.hostId(), 1, Integer::sum);
      }
    }
    long hostsTwice = activeHost.values().stream().filter(n -> n > 1).count();
    long guestsTwice = activeGuest.values().stream().filter(n -> n > 1).count();
    long hostsPlacedTwice = placedHost.values().stream().filter(n -> n > 1).count();
    long guestsPlacedTwice = placedGuest.values().stream().filter(n -> n > 1).count();
    long inconsistent = 0;
    for (StoreSnapshot.Case c : run.store.cases.values()) {
      boolean placedStatus = "host".equals(c.kind()) ? "hosting".equals(c.status()) : "placed".equals(c.status());
      int placed = ("host".equals(c.kind()) ? placedHost : placedGuest).getOrDefault(c.id(), 0);
      if (placedStatus != (placed == 1)) {
        inconsistent++;
      }
    }
    checks.put("hosts with two active matches", hostsTwice);
    checks.put("households with two active matches", guestsTwice);
    checks.put("hosts with two active placements", hostsPlacedTwice);
    checks.put("households with two active placements", guestsPlacedTwice);
    checks.put("case status and placements disagree", inconsistent);
    long outOfOrder = run.partners.stream().mapToLong(p -> p.outOfOrderAccepted.get()).sum();
    checks.put("move-ins confirmed before review (out of order, must be refused)", outOfOrder);
    if (hostsTwice + guestsTwice + hostsPlacedTwice + guestsPlacedTwice > 0) {
      problems.add("double-booked: " + hostsTwice + " host(s), " + guestsTwice + " household(s) with two active matches");
    }
    if (inconsistent > 0) {
      problems.add(inconsistent + " case(s) whose status disagrees with their placements");
    }
    if (outOfOrder > 0) {
      problems.add(outOfOrder + " move-in(s) confirmed before the proposal was accepted");
    }
  }

  /** What each partner should have been told, by its own roles and regions, from the store's matches and hosts. */
  private void reconcileWebhooks() {
    Map<String, Set<String>> deadLettered = new HashMap<>();
    Map<String, Set<String>> delivered = new HashMap<>();
    long unsettled = 0;
    long deadCount = 0;
    long retried = 0;
    long extraAttempts = 0;
    for (StoreSnapshot.LoggedWebhook w : run.store.webhooks) {
      String key = w.type() + "|" + w.subject();
      switch (w.state()) {
        case "delivered" -> delivered.computeIfAbsent(w.partnerId(), k -> new HashSet<>()).add(key);
        case "dead_lettered" -> {
          deadLettered.computeIfAbsent(w.partnerId(), k -> new HashSet<>()).add(key);
          deadCount++;
        }
        default -> {
          unsettled++;
          if (unsettled <= 3) {
            problems.add("webhook " + w.type() + " about " + w.subject() + " for " + w.partnerId() + " is still "
                + w.state() + " after " + w.attempts() + " attempt(s)");
          }
        }
      }
      if (w.attempts() > 1) {
        retried++;
        extraAttempts += w.attempts() - 1;
      }
    }
    long expected = 0;
    long missing = 0;
    long receivedButUnlogged = 0;
    long invalid = 0;
    for (SimulatedPartner p : run.partners) {
      invalid += p.invalidSignatures.get();
      Set<String> got = new HashSet<>();
      p.received.values().forEach(r -> got.add(r.type + "|" + r.subject));
      Set<String> dead = deadLettered.getOrDefault(p.partnerId, Set.of());
      Set<String> logged = new HashSet<>(delivered.getOrDefault(p.partnerId, Set.of()));
      logged.addAll(dead);
      for (String e : expectedFor(p)) {
        expected++;
        if (!got.contains(e) && !dead.contains(e)) {
          missing++;
          if (missing <= 5) {
            problems.add("partner " + p.name + " was never told " + e);
          }
        }
      }
      for (String g : got) {
        if (!logged.contains(g)) {
          receivedButUnlogged++;
        }
      }
    }
    checks.put("webhooks a partner should have had", expected);
    checks.put("of those, neither received nor dead-lettered", missing);
    checks.put("webhooks with an invalid signature", invalid);
    checks.put("webhooks still queued or retrying at the end", unsettled);
    checks.put("webhooks dead-lettered (log)", deadCount);
    checks.put("webhooks in the dead-letter queue", run.deadLetterQueue);
    checks.put("stream batches that failed every retry", run.failedStreamBatches);
    figures.put("webhooksRetried", retried);
    figures.put("webhookExtraAttempts", extraAttempts);
    figures.put("webhooksDeadLettered", deadCount);
    figures.put("webhooksReceivedNotYetMarkedDelivered", receivedButUnlogged);
    if (missing > 5) {
      problems.add("... and " + (missing - 5) + " more webhook(s) never delivered nor dead-lettered");
    }
    if (invalid > 0) {
      problems.add(invalid + " webhook(s) failed signature verification");
    }
    if (unsettled > 0) {
      problems.add(unsettled + " webhook(s) still owed at the end");
    }
    if (run.deadLetterQueue >= 0 && run.deadLetterQueue != deadCount) {
      problems.add("the dead-letter queue holds " + run.deadLetterQueue + " webhook(s), the log says " + deadCount);
    }
    if (run.failedStreamBatches > 0) {
      problems.add(run.failedStreamBatches + " stream batch(es) failed every retry (their records went to the "
          + "failure queue)");
    }
  }

  private List<String> expectedFor(SimulatedPartner p) {
    return expected.getOrDefault(p.partnerId, List.of());
  }

  /**
   * What each organisation should have been told, worked out from the store's events and who they say was
   * responsible at each (not from the code that sends webhooks): the roles it was assigned, each host it had to
   * screen, each decision on a match one of its cases was in, each handover asked of it or decided for it, each
   * withdrawal after acceptance on its cases. Organisation id → {@code type|subject}.
   */
  static Map<String, List<String>> expectedWebhooks(StoreSnapshot store) {
    Map<String, Set<String>> out = new HashMap<>();
    java.util.function.BiConsumer<String, String> tell = (partner, what) -> {
      if (partner != null) {
        out.computeIfAbsent(partner, k -> new java.util.LinkedHashSet<>()).add(what);
      }
    };
    Map<String, StoreSnapshot.Event> sides = new HashMap<>();
    for (StoreSnapshot.Event e : store.events) {
      if (e.matchId() != null && e.decision() != null) {
        sides.put(e.caseId() + "|" + e.matchId() + "|" + e.decision() + "|" + e.at(), e);
      }
    }
    for (StoreSnapshot.Event e : store.events) {
      if (e.held()) {
        continue; // a case held as possibly fake is told to nobody
      }
      switch (e.type() == null ? "" : e.type()) {
        case "registered" -> {
          new java.util.LinkedHashSet<>(e.assigned().values()).forEach(pid -> tell.accept(pid,
              WebhookEvent.CASE_ASSIGNED + "|" + e.caseId()));
          if ("host".equals(e.kind()) && "screening".equals(e.to())) {
            tell.accept(e.responsible().get("screening"), WebhookEvent.HOST_SCREENING_REQUESTED + "|" + e.caseId());
          }
        }
        case "assigned" -> {
          new java.util.LinkedHashSet<>(e.assigned().values()).forEach(pid -> tell.accept(pid,
              WebhookEvent.CASE_ASSIGNED + "|" + e.caseId()));
          if (e.handoverId() != null) {
            tell.accept(e.handoverFrom(), WebhookEvent.CASE_HANDOVER_DECIDED + "|" + e.handoverId());
          }
        }
        case "handover_requested" -> tell.accept(e.handoverTo(), WebhookEvent.CASE_HANDOVER_REQUESTED + "|"
            + e.handoverId());
        case "handover_refused" -> tell.accept(e.handoverFrom(), WebhookEvent.CASE_HANDOVER_DECIDED + "|"
            + e.handoverId());
        default -> {
          String type = MATCH_WEBHOOKS.get(e.step() + "/" + e.decision());
          boolean alert = "withdrawal".equals(e.step())
              && ("withdraw".equals(e.decision()) || "availability_ended".equals(e.decision()));
          if ((type == null || !"host".equals(e.kind()) || e.matchId() == null) && !alert) {
            continue;
          }
          StoreSnapshot.Match m = e.matchId() == null ? null : store.matches.get(e.matchId());
          Set<String> told = new java.util.LinkedHashSet<>(e.responsible().values());
          if (m != null && "stay".equals(e.step()) && "checkin".equals(e.decision())
              && !Set.of("incident_safety", "incident_exploitation").contains(e.reason()) && !"screening".equals(e.to())) {
            continue; // a check-in alerts only on a danger or an urgent re-placement
          }
          if (m != null && "stay".equals(e.step())
              && Set.of("ending_soon", "past_end", "checkin_due", "checkin").contains(e.decision())) {
            // The stays' clock and check-ins tell the household's support organisation and each case's lead only (a
            // check-in due: the support organisation only).
            boolean supportOnly = "checkin_due".equals(e.decision());
            told = new java.util.LinkedHashSet<>();
            StoreSnapshot.Event guestSide = sides.get(m.guestId() + "|" + m.id() + "|" + e.decision() + "|" + e.at());
            for (StoreSnapshot.Event side : java.util.Arrays.asList(e, guestSide)) {
              StoreSnapshot.Case c = side == null ? null : store.cases.get(side.caseId());
              if (c == null) {
                continue;
              }
              String lead = Programmes.of(c.programme()).type(c.type()).lead().wire();
              if (!supportOnly && side.responsible().get(lead) != null) {
                told.add(side.responsible().get(lead));
              }
              if ("guest".equals(c.kind()) && side.responsible().get("guest_support") != null) {
                told.add(side.responsible().get("guest_support"));
              }
            }
            String what = type + "|" + e.matchId();
            told.forEach(pid -> tell.accept(pid, what));
            continue;
          }
          if (m != null) {
            String other = e.caseId().equals(m.guestId()) ? m.hostId() : m.guestId();
            String otherDecision = alert ? "cancelled" : e.decision();
            StoreSnapshot.Event o = sides.get(other + "|" + m.id() + "|" + otherDecision + "|" + e.at());
            if (o != null) {
              told.addAll(o.responsible().values());
            }
          }
          String what = alert ? WebhookEvent.CASE_ALERT + "|" + (e.matchId() == null ? e.caseId() : e.matchId())
              : type + "|" + e.matchId();
          told.forEach(pid -> tell.accept(pid, what));
        }
      }
    }
    Map<String, List<String>> lists = new HashMap<>();
    out.forEach((k, v) -> lists.put(k, new ArrayList<>(v)));
    return lists;
  }

  /** The webhook each decision on a match sends (the host's event speaks for the match). */
  static final Map<String, String> MATCH_WEBHOOKS = Map.ofEntries(
      Map.entry("matching/propose", WebhookEvent.MATCH_PROPOSED),
      Map.entry("proposal_review/accept", WebhookEvent.MATCH_ACCEPTED),
      Map.entry("proposal_review/decline", WebhookEvent.MATCH_DECLINED),
      Map.entry("proposal_review/expire", WebhookEvent.MATCH_EXPIRED),
      Map.entry("introduction/go", WebhookEvent.MATCH_INTRODUCED),
      Map.entry("introduction/no_go", WebhookEvent.MATCH_INTRODUCED),
      Map.entry("introduction/trial", WebhookEvent.MATCH_INTRODUCED),
      Map.entry("introduction/trial_overdue", WebhookEvent.CASE_ALERT),
      Map.entry("placement/confirm", WebhookEvent.PLACEMENT_CONFIRMED),
      Map.entry("stay/extend", WebhookEvent.PLACEMENT_END_CHANGED),
      Map.entry("stay/shorten", WebhookEvent.PLACEMENT_END_CHANGED),
      Map.entry("stay/ending_soon", WebhookEvent.STAY_ENDING_SOON),
      Map.entry("stay/past_end", WebhookEvent.CASE_ALERT),
      Map.entry("stay/checkin_due", WebhookEvent.STAY_CHECKIN_DUE),
      Map.entry("stay/checkin", WebhookEvent.CASE_ALERT),
      Map.entry("stay/end", WebhookEvent.PLACEMENT_ENDED));

  /**
   * The chain's checks: every open case has an organisation for its current step or is listed as waiting
   * unassigned; every read of personal details was by an organisation responsible at that version of the case
   * (or reviewing an active match involving it); every decision by an organisation holding the step's role then.
   * Each is worked out from the events' own record of who held what, independently of the access check.
   */
  private void reconcileChain() {
    StoreSnapshot store = run.store;
    Map<String, Map<Long, StoreSnapshot.Event>> byCase = store.eventsByCase();
    long open = 0;
    long nobody = 0;
    long listedUnassigned = 0;
    for (StoreSnapshot.Case c : store.cases.values()) {
      CaseStatus status = CaseStatus.fromWire(CaseKind.fromWire(c.kind()), c.status());
      if (status.terminal()) {
        continue;
      }
      open++;
      Programme programme = Programmes.of(c.programme());
      Step step = programme.currentStep(programme.type(c.type()), status);
      Set<String> missing = store.unassigned.getOrDefault(c.id(), Set.of());
      if (!missing.isEmpty()) {
        listedUnassigned++;
      }
      if (step == null || step.role() == null) {
        continue;
      }
      String role = step.role().wire();
      if (step instanceof nl.onderdak.core.chain.IntroductionStep intro && !c.responsible().containsKey(role)) {
        role = intro.fallback().wire(); // no introducing organisation on this side: its placement reviewer
      }
      if (!c.responsible().containsKey(role) && !missing.contains(role)) {
        nobody++;
        if (nobody <= 3) {
          problems.add(c.id() + " (" + c.status() + ") has nobody for its step " + step.key() + " and is not listed"
              + " as waiting unassigned");
        }
      }
    }
    checks.put("open cases", open);
    checks.put("open cases listed as waiting unassigned", listedUnassigned);
    checks.put("open cases with nobody for their current step, not listed unassigned", nobody);
    if (nobody > 3) {
      problems.add("... and " + (nobody - 3) + " more open case(s) with nobody for their step");
    }

    long wrongReads = 0;
    for (StoreSnapshot.Read r : store.reads) {
      if (!readAllowed(r, byCase, store)) {
        wrongReads++;
        if (wrongReads <= 3) {
          problems.add("partner " + r.partnerId() + " read " + r.caseId() + " (version " + r.caseVersion() + ", as "
              + r.access() + ") without being responsible for it then");
        }
      }
    }
    checks.put("reads of personal details", (long) store.reads.size());
    checks.put("reads by an organisation not responsible at that moment", wrongReads);
    if (wrongReads > 3) {
      problems.add("... and " + (wrongReads - 3) + " more read(s) by organisations not responsible");
    }

    long decisions = 0;
    long wrongDecisions = 0;
    Map<String, StoreSnapshot.Event> sides = new HashMap<>();
    for (StoreSnapshot.Event e : store.events) {
      if (e.matchId() != null && e.decision() != null) {
        sides.put(e.matchId() + "|" + e.decision() + "|" + e.at() + "|" + e.caseId(), e);
      }
    }
    for (StoreSnapshot.Event e : store.events) {
      if (e.actor() == null || !e.actor().startsWith("partner:") || "registration".equals(e.step())
          || "cancelled".equals(e.decision())) {
        continue;
      }
      decisions++;
      if (!decisionAllowed(e, byCase, store, sides)) {
        wrongDecisions++;
        if (wrongDecisions <= 3) {
          problems.add(e.actor() + " took " + e.step() + "/" + e.decision() + " on " + e.caseId() + " as "
              + e.role() + " without holding the step's role");
        }
      }
    }
    checks.put("decisions by organisations", decisions);
    checks.put("decisions by an organisation without the step's role", wrongDecisions);
    if (wrongDecisions > 3) {
      problems.add("... and " + (wrongDecisions - 3) + " more decision(s) without the step's role");
    }
  }

  private static final Set<String> IN_A_MATCH = Set.of("proposed", "introducing", "matched", "placed", "hosting");

  static boolean readAllowed(StoreSnapshot.Read r, Map<String, Map<Long, StoreSnapshot.Event>> byCase,
      StoreSnapshot store) {
    StoreSnapshot.Event at = byCase.getOrDefault(r.caseId(), Map.of()).get(r.caseVersion());
    if (at == null || at.to() == null) {
      return false;
    }
    CaseStatus status = CaseStatus.fromWire(CaseKind.fromWire(at.kind()), at.to());
    if (status.terminal()) {
      return false;
    }
    if ("holder".equals(r.access())) {
      return at.responsible().containsValue(r.partnerId());
    }
    // A reviewer of an active match involving the case: the match joins this case and the other, it was active
    // when read, and the organisation reviewed it from the other side at that version.
    StoreSnapshot.Match m = r.matchId() == null ? null : store.matches.get(r.matchId());
    StoreSnapshot.Event other = byCase.getOrDefault(r.otherCaseId(), Map.of()).get(r.otherCaseVersion());
    if (m == null || other == null || !IN_A_MATCH.contains(at.to())
        || !Set.of(m.guestId(), m.hostId()).equals(Set.of(r.caseId(), r.otherCaseId()))) {
      return false;
    }
    boolean active = (m.proposedAt() == null || !r.at().isBefore(m.proposedAt()))
        && (Set.of("proposed", "accepted", "placed").contains(m.status()) || m.decidedAt() == null
            || !r.at().isAfter(m.decidedAt()));
    return active && (r.partnerId().equals(other.responsible().get("placement_review"))
        || r.partnerId().equals(other.responsible().get("care_provider"))
        || r.partnerId().equals(at.responsible().get("care_provider")));
  }

  static boolean decisionAllowed(StoreSnapshot.Event e, Map<String, Map<Long, StoreSnapshot.Event>> byCase,
      StoreSnapshot store, Map<String, StoreSnapshot.Event> sides) {
    String partner = e.actor().substring("partner:".length());
    StoreSnapshot.Event before = byCase.getOrDefault(e.caseId(), Map.of()).get(e.seq() - 1);
    Map<String, String> held = before == null ? Map.of() : before.responsible();
    if ("handover_requested".equals(e.type())) {
      return e.role() != null && e.role().equals(e.handoverRole()) && partner.equals(held.get(e.role()));
    }
    if ("assigned".equals(e.type()) || "handover_refused".equals(e.type())) {
      return partner.equals(e.handoverTo());
    }
    StoreSnapshot.Case c = store.cases.get(e.caseId());
    Programme programme = Programmes.of(c == null ? null : c.programme());
    Step step = e.step() == null ? null : programme.step(e.step());
    if (step == null || e.role() == null) {
      return false;
    }
    if (step instanceof WithdrawalStep w) {
      return e.role().equals(w.roleFor(programme.type(c.type())).wire()) && partner.equals(held.get(e.role()));
    }
    if (step.subject() == Step.Subject.CASE) {
      return step.role() != null && e.role().equals(step.role().wire()) && partner.equals(held.get(e.role()));
    }
    // A match step: the organisation held the role on this case or on the other one of the match, just before.
    if (partner.equals(held.get(e.role()))) {
      return true;
    }
    StoreSnapshot.Match m = e.matchId() == null ? null : store.matches.get(e.matchId());
    if (m == null) {
      return false;
    }
    String otherId = e.caseId().equals(m.guestId()) ? m.hostId() : m.guestId();
    StoreSnapshot.Event otherSide = sides.get(m.id() + "|" + e.decision() + "|" + e.at() + "|" + otherId);
    StoreSnapshot.Event otherBefore = otherSide == null ? null
        : byCase.getOrDefault(otherId, Map.of()).get(otherSide.seq() - 1);
    return otherBefore != null && partner.equals(otherBefore.responsible().get(e.role()));
  }

  /** The operator page's figures against the ones counted here from the store. */
  private void reconcileOps() {
    if (run.ops == null) {
      problems.add("the operator page's data could not be read");
      return;
    }
    JsonNode funnel = run.ops.path("picture").path("funnel");
    Map<String, Long> ours = new LinkedHashMap<>();
    ours.put("householdsRegistered", count(c -> "guest".equals(c.kind())));
    ours.put("hostsRegistered", count(c -> "host".equals(c.kind())));
    ours.put("openHouseholds", count(c -> "guest".equals(c.kind()) && "open".equals(c.status())));
    ours.put("approvedHosts", count(c -> "host".equals(c.kind()) && "approved".equals(c.status())));
    ours.put("activePlacements", count(c -> "guest".equals(c.kind()) && "placed".equals(c.status())));
    // Status changes only: an assignment or a handover of a proposed household is no proposal.
    ours.put("proposals", run.store.events.stream().filter(e -> "guest".equals(e.kind()) && "proposed".equals(e.to())
        && !"proposed".equals(e.from())).count());
    ours.put("placements", run.store.events.stream().filter(e -> "guest".equals(e.kind()) && "placed".equals(e.to())
        && !"placed".equals(e.from())).count());
    ours.put("hostsApproved", run.store.events.stream()
        .filter(e -> "host".equals(e.kind()) && "screening".equals(e.from()) && "approved".equals(e.to())).count());
    ours.forEach((name, value) -> {
      long shown = funnel.path(name).asLong(-1);
      checks.put("/ops " + name + " (store: " + value + ")", shown);
      if (shown != value) {
        problems.add("/ops shows " + name + " = " + shown + ", the store says " + value);
      }
    });
    // The chain on the operator page: the open cases each organisation holds, as counted by the case-events reader,
    // against the store's own cases.
    long heldDisagree = 0;
    for (JsonNode o : run.ops.path("chain").path("organisations")) {
      String partner = o.path("partnerId").asText();
      long store = count(c -> !CaseStatus.fromWire(CaseKind.fromWire(c.kind()), c.status()).terminal()
          && c.responsible().containsValue(partner));
      if (o.path("held").asLong(-1) != store) {
        heldDisagree++;
        problems.add("/ops shows " + o.path("name").asText() + " holding " + o.path("held").asLong()
            + " open case(s), the store says " + store);
      }
    }
    checks.put("/ops cases held per organisation that differ from the store", heldDisagree);
    for (JsonNode q : run.ops.path("queues")) {
      if (q.path("name").asText().equals("WebhookDeadLetterQueue") && run.deadLetterQueue >= 0
          && q.path("visible").asLong() != run.deadLetterQueue) {
        problems.add("/ops shows " + q.path("visible").asLong() + " dead-lettered webhook(s), the queue holds "
            + run.deadLetterQueue);
      }
    }
  }

  /**
   * The bot flood: every script's request refused or (hidden field) held, no fake case in any match or any webhook,
   * no held case in a pool the matcher reads, no real person refused, and the operator's list shows what is held.
   */
  private void reconcileFlood() {
    BotFlood flood = run.flood;
    long heldOpen = run.store.cases.values().stream().filter(c -> c.quarantine() != null && c.poolKey() != null
        && !c.poolKey().startsWith("quarantine#")).count();
    checks.put("held cases in a pool the matcher reads", heldOpen);
    if (heldOpen > 0) {
      problems.add(heldOpen + " held case(s) filed in an open pool");
    }
    checks.put("real registrations refused by the bot checks", run.client.refusedByBotChecks.get());
    if (run.client.refusedByBotChecks.get() > 0) {
      problems.add(run.client.refusedByBotChecks.get() + " real registration(s) refused by the bot checks");
    }
    if (flood == null) {
      return;
    }
    Set<String> fakes = flood.fakeIds;
    long inMatch = run.store.matches.values().stream()
        .filter(m -> fakes.contains(m.guestId()) || fakes.contains(m.hostId())).count();
    long notHeld = fakes.stream().filter(id -> {
      StoreSnapshot.Case c = run.store.cases.get(id);
      return c == null || !Quarantine.FORM_HONEYPOT.equals(c.quarantine());
    }).count();
    long told = run.store.webhooks.stream().filter(w -> fakes.contains(w.subject())).count()
        + run.partners.stream().flatMap(p -> p.received.values().stream()).filter(r -> fakes.contains(r.subject))
            .count();
    long heldInStore = run.store.cases.values().stream().filter(c -> c.quarantine() != null).count();
    checks.put("fake registrations sent by the bot flood", flood.total(flood.sent));
    checks.put("of those, refused by the form's checks or held, as they should be", flood.total(flood.asExpected));
    checks.put("of those, answered otherwise (got past a check, or no answer)", flood.total(flood.otherwise));
    checks.put("fake cases stored (hidden field filled), answered like any other", (long) fakes.size());
    checks.put("too-fast registrations answered after the fill time had passed (not judged)",
        (long) flood.lateIds.size());
    checks.put("of those, not held out of matching", notHeld);
    checks.put("fake cases in a match (proposed to a host, or a fake host proposed)", inMatch);
    checks.put("webhooks that named a fake case", told);
    checks.put("held cases the operator's list shows (store: " + heldInStore + ")", run.heldListed);
    if (flood.total(flood.otherwise) > 0) {
      problems.add(flood.total(flood.otherwise) + " bot request(s) not refused or held as they should be: "
          + flood.otherwise);
    }
    if (notHeld > 0) {
      problems.add(notHeld + " fake case(s) stored without being held");
    }
    if (inMatch > 0) {
      problems.add(inMatch + " match(es) with a fake case: proposed to a real person");
    }
    if (told > 0) {
      problems.add(told + " webhook(s) told an organisation of a fake case");
    }
    if (run.heldListed != heldInStore) {
      problems.add("the operator's list shows " + run.heldListed + " held case(s), the store holds " + heldInStore);
    }
    if (fakes.isEmpty()) {
      problems.add("the bot flood stored no fake case: the hidden-field check was not exercised");
    }
  }

  private long count(java.util.function.Predicate<StoreSnapshot.Case> p) {
    return run.store.cases.values().stream().filter(p).count();
  }

  // ------------------------------------------------------------------ figures

  /** Per household, simulated hours from registration to the first time it reached this status. */
  private static double[] waits(Rehearsal.Run r, String status) {
    Map<String, Instant> first = new HashMap<>();
    for (StoreSnapshot.Event e : r.store.events) {
      if ("guest".equals(e.kind()) && status.equals(e.to()) && e.at() != null) {
        first.merge(e.caseId(), e.at(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    List<Double> out = new ArrayList<>();
    first.forEach((id, at) -> {
      StoreSnapshot.Case c = r.store.cases.get(id);
      if (c != null && c.registeredAt() != null) {
        out.add(SimClock.hoursBetween(c.registeredAt(), at));
      }
    });
    return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** Real milliseconds from each event to its first arrival at a partner. */
  private double[] lags() {
    List<Double> out = new ArrayList<>();
    for (SimulatedPartner p : run.partners) {
      for (SimulatedPartner.Received rec : p.received.values()) {
        try {
          long eventWall = run.clock.wallMillisAt(Instant.parse(rec.eventAt));
          out.add((double) Math.max(0, rec.firstAtWall - eventWall));
        } catch (RuntimeException unreadable) {
          // A payload without a timestamp is not measured.
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double[] latencies(Rehearsal.Run r, String group) {
    return r.client.samples(group).stream().mapToDouble(Api.Sample::millis).sorted().toArray();
  }

  private static long placements(Rehearsal.Run r) {
    return r.store.events.stream().filter(e -> "guest".equals(e.kind()) && "placed".equals(e.to()))
        .map(StoreSnapshot.Event::caseId).distinct().count();
  }

  private static long proposed(Rehearsal.Run r) {
    return r.store.events.stream().filter(e -> "guest".equals(e.kind()) && "proposed".equals(e.to()))
        .map(StoreSnapshot.Event::caseId).distinct().count();
  }

  private void figures() {
    double seconds = Math.max(1, run.arrivalsToWall - run.arrivalsFromWall) / 1000.0;
    List<Api.Sample> regs = run.client.samples("registration");
    figures.put("registrationsSent", run.sent.size());
    figures.put("registrationsPerSecondSustained", round(run.sent.size() / seconds));
    figures.put("registrationsPerSecondPeak10s", peak(regs));
    figures.put("arrivalSeconds", round(seconds));
    double[] reg = latencies(run, "registration");
    double[] partner = latencies(run, "partner");
    figures.put("registrationLatencyMs", Map.of("p50", percentile(reg, 50), "p95", percentile(reg, 95),
        "p99", percentile(reg, 99), "count", reg.length));
    figures.put("partnerApiLatencyMs", Map.of("p50", percentile(partner, 50), "p95", percentile(partner, 95),
        "p99", percentile(partner, 99), "count", partner.length));
    figures.put("clientRetries", run.client.retries.get());
    figures.put("serverErrorsSeen", run.client.serverErrors.get());
    figures.put("duplicateRequestsSent", run.duplicatesSent.get());
    figures.put("householdsProposed", proposed(run));
    figures.put("householdsPlaced", placements(run));
    figures.put("handoversAccepted", run.store.events.stream()
        .filter(e -> "assigned".equals(e.type()) && e.handoverId() != null).count());
    figures.put("handoversRefused", run.store.events.stream().filter(e -> "handover_refused".equals(e.type())).count());
    figures.put("readsOfPersonalDetails", (long) run.store.reads.size());
    figures.put("readsAsReviewer", run.store.reads.stream().filter(r -> "reviewer".equals(r.access())).count());
    figures.put("timeToProposalHours", Map.of("median", round(percentile(toProposalHours, 50)),
        "p90", round(percentile(toProposalHours, 90))));
    figures.put("timeToPlacementHours", Map.of("median", round(percentile(toPlacementHours, 50)),
        "p90", round(percentile(toPlacementHours, 90))));
    figures.put("webhookLagMs", Map.of("p50", percentile(lagMillis, 50), "p95", percentile(lagMillis, 95),
        "p99", percentile(lagMillis, 99), "count", lagMillis.length));
    figures.put("webhooksRefusedByPartnerFaults", run.partners.stream().mapToLong(p -> p.refusedByFault.get()).sum());
    figures.put("functionFailuresInjected", run.faults.injected());
    figures.put("moveInsBeforeReviewRefused", run.partners.stream().flatMap(p -> p.actions.entrySet().stream())
        .filter(e -> e.getKey().startsWith("placement_before_review_4")).mapToLong(e -> e.getValue().get()).sum());
    figures.put("restartMillis", run.restartedAtWall < 0 ? null : run.restartMillis);
    Map<String, Long> matchStatuses = new LinkedHashMap<>();
    run.store.matches.values().forEach(m -> matchStatuses.merge(m.status(), 1L, Long::sum));
    figures.put("matchesByStatus", matchStatuses);
    if (greedy != null) {
      figures.put("greedyHouseholdsPlaced", placements(greedy));
      figures.put("greedyHouseholdsProposed", proposed(greedy));
      double[] g = waits(greedy, "proposed");
      figures.put("greedyTimeToProposalHours", Map.of("median", round(percentile(g, 50)), "p90", round(percentile(g, 90))));
    }
    double busy = run.samples.stream().filter(s -> s.processCpu() >= 0.85).count() / (double) Math.max(1, run.samples.size());
    figures.put("cpuBusyShare", round(busy));
    figures.put("storageThreadBusyMean", round(run.samples.stream().mapToDouble(Rehearsal.Run.Sample::storageBusy)
        .average().orElse(0)));
    figures.put("maxMatchingIteratorAgeMs", run.samples.stream().mapToLong(Rehearsal.Run.Sample::matchingAgeMs).max().orElse(0));
    figures.put("maxCaseEventsIteratorAgeMs", run.samples.stream().mapToLong(Rehearsal.Run.Sample::caseEventsAgeMs).max().orElse(0));
    figures.put("maxBehindScheduleMs", run.samples.stream().mapToLong(Rehearsal.Run.Sample::behindMillis).max().orElse(0));
    figures.put("cpuMillisByPart", run.cpuByPart);
    if (run.flood != null) {
      BotFlood flood = run.flood;
      double floodSeconds = Math.max(1, flood.toWall - flood.fromWall) / 1000.0;
      List<Api.Sample> during = regs.stream().filter(x -> x.atMillis() >= flood.fromWall && x.atMillis() < flood.toWall)
          .toList();
      List<Api.Sample> outside = regs.stream().filter(x -> x.atMillis() < flood.fromWall || x.atMillis() >= flood.toWall)
          .toList();
      double[] duringMs = during.stream().mapToDouble(Api.Sample::millis).sorted().toArray();
      double[] outsideMs = outside.stream().mapToDouble(Api.Sample::millis).sorted().toArray();
      double[] botMs = flood.latencies.stream().mapToDouble(Long::doubleValue).sorted().toArray();
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("seconds", round(floodSeconds));
      f.put("botRequestsPerSecond", round(botMs.length / floodSeconds));
      f.put("realRegistrationsAcceptedPerSecond", round(during.stream().filter(x -> x.status() == 201).count()
          / floodSeconds));
      f.put("realRegistrationLatencyMsDuring", Map.of("p50", percentile(duringMs, 50), "p95", percentile(duringMs, 95),
          "p99", percentile(duringMs, 99), "count", duringMs.length));
      f.put("realRegistrationLatencyMsOutside", Map.of("p50", percentile(outsideMs, 50), "p95",
          percentile(outsideMs, 95), "p99", percentile(outsideMs, 99), "count", outsideMs.length));
      f.put("botLatencyMs", Map.of("p50", percentile(botMs, 50), "p95", percentile(botMs, 95), "p99",
          percentile(botMs, 99), "count", botMs.length));
      Map<String, Long> byKind = new LinkedHashMap<>();
      flood.sent.forEach((k, v) -> byKind.put(k.wire(), v.get()));
      f.put("sentByKind", byKind);
      f.put("fakeCasesStoredAndHeld", (long) flood.fakeIds.size());
      f.put("fakeCasesProposed", checks.get("fake cases in a match (proposed to a host, or a fake host proposed)"));
      figures.put("botFlood", f);
    }
    figures.put("stays", stays.figures);
    figures.put("ranOutFirst", ranOutFirst());
  }

  /** Where the machine ran out first, from the samples and the CPU time by part. */
  private String ranOutFirst() {
    List<Rehearsal.Run.Sample> samples = new ArrayList<>(run.samples);
    int n = Math.max(1, samples.size());
    long cpuTotal = run.cpuByPart.values().stream().mapToLong(Long::longValue).sum();
    long storage = run.cpuByPart.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDB Local"))
        .mapToLong(Map.Entry::getValue).sum();
    double cpuBusy = samples.stream().filter(s -> s.processCpu() >= 0.85).count() / (double) n;
    double storageBusy = samples.stream().filter(s -> s.storageBusy() >= 0.8).count() / (double) n;
    long behind = samples.stream().mapToLong(Rehearsal.Run.Sample::behindMillis).max().orElse(0);
    double lagP50 = percentile(lagMillis, 50);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "CPU: the process used 85%%+ of the machine in %.0f%% of the samples; "
        + "DynamoDB Local took %.0f%% of all CPU time, and its one SQLite thread (every statement runs on it) was "
        + "80%%+ busy in %.0f%% of the samples. ", cpuBusy * 100, cpuTotal == 0 ? 0.0 : 100.0 * storage / cpuTotal,
        storageBusy * 100));
    long matchingAge = samples.stream().mapToLong(Rehearsal.Run.Sample::matchingAgeMs).max().orElse(0);
    long caseEventsAge = samples.stream().mapToLong(Rehearsal.Run.Sample::caseEventsAgeMs).max().orElse(0);
    b.append(String.format(Locale.ROOT, "The stream consumers' iterator age reached %.0f s for matching and %.0f s "
        + "for the case-events reader (webhook lag median %.1f s); the clients were behind the arrival curve by at "
        + "most %.1f s. ", matchingAge / 1000.0, caseEventsAge / 1000.0, lagP50 / 1000, behind / 1000.0));
    if (cpuBusy >= 0.5 && storage * 2 >= cpuTotal) {
      b.append("Verdict: CPU ran out first, most of it in DynamoDB Local; the stream consumers, which write one "
          + "transaction after another, fell behind.");
    } else if (storageBusy >= 0.5) {
      b.append("Verdict: DynamoDB Local's single SQLite thread ran out first.");
    } else if (cpuBusy >= 0.5) {
      b.append("Verdict: CPU ran out first.");
    } else if (lagP50 > 10_000 || matchingAge > 60_000) {
      b.append("Verdict: the stream consumers fell behind first, with CPU to spare: each waits on DynamoDB Local's "
          + "calls one after another (matching takes one batch at a time, by design; the case-events reader four).");
    } else {
      b.append("Verdict: nothing ran out at this rate.");
    }
    return b.toString();
  }

  private static double peak(List<Api.Sample> samples) {
    Map<Long, Integer> per10s = new HashMap<>();
    samples.forEach(s -> per10s.merge(s.atMillis() / 10_000, 1, Integer::sum));
    return per10s.values().stream().mapToInt(Integer::intValue).max().orElse(0) / 10.0;
  }

  private static double round(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
  }

  // ------------------------------------------------------------------ output

  String text() {
    StringBuilder b = new StringBuilder();
    b.append("\nOnderdak surge rehearsal — ").append(clean() ? "CLEAN: nothing lost, duplicated or double-booked"
        : "FAILED: " + problems.size() + " problem(s)").append('\n');
    b.append(String.format(Locale.ROOT, "  %d households + %d hosts over %.0f simulated days (+%.0f after); clock %.0fx; "
        + "faults: %s; seed %d%n", settings.households(), settings.hosts(), settings.days(), settings.tailDays(),
        settings.speed(), settings.faults().isEmpty() ? "none" : String.join(",", settings.faults()), settings.seed()));
    b.append("\nRegistrations\n");
    b.append(String.format(Locale.ROOT, "  sustained %.1f/s over %.0f s (peak 10 s: %.1f/s); %d retries by clients, "
        + "%d duplicate requests sent%n", figures.get("registrationsPerSecondSustained"), figures.get("arrivalSeconds"),
        figures.get("registrationsPerSecondPeak10s"), run.client.retries.get(), run.duplicatesSent.get()));
    b.append("  API latency, registrations: ").append(ms(figures.get("registrationLatencyMs"))).append('\n');
    b.append("  API latency, partner actions: ").append(ms(figures.get("partnerApiLatencyMs"))).append('\n');
    b.append("\nThe chain (times in simulated hours)\n");
    b.append(String.format(Locale.ROOT, "  households proposed: %s; time to proposal median %s h, p90 %s h%n",
        figures.get("householdsProposed"), h(toProposalHours, 50), h(toProposalHours, 90)));
    b.append(String.format(Locale.ROOT, "  households placed:   %s; time to placement median %s h, p90 %s h%n",
        figures.get("householdsPlaced"), h(toPlacementHours, 50), h(toPlacementHours, 90)));
    b.append("  matches by status: ").append(figures.get("matchesByStatus")).append('\n');
    b.append(String.format(Locale.ROOT, "  handovers: %s accepted, %s refused; reads of personal details: %s (%s by a"
        + " reviewer of the other side)%n", figures.get("handoversAccepted"), figures.get("handoversRefused"),
        figures.get("readsOfPersonalDetails"), figures.get("readsAsReviewer")));
    if (greedy != null) {
      long o = placements(run);
      long g = placements(greedy);
      b.append(String.format(Locale.ROOT, "  greedy matching on the same surge: %d placed (optimal: %d, %+d), %d proposed%n",
          g, o, o - g, proposed(greedy)));
    }
    b.append(stays.text());
    b.append("\nWebhooks\n");
    b.append("  delivery lag (event to partner, real ms): ").append(ms(figures.get("webhookLagMs"))).append('\n');
    b.append(String.format(Locale.ROOT, "  %s retried (%s extra attempts), %s refused by partner faults, %s dead-lettered%n",
        figures.get("webhooksRetried"), figures.get("webhookExtraAttempts"), figures.get("webhooksRefusedByPartnerFaults"),
        figures.get("webhooksDeadLettered")));
    b.append("\nFaults\n");
    b.append(String.format(Locale.ROOT, "  function failures injected: %d; runtime restart: %s%n", run.faults.injected(),
        run.restartedAtWall < 0 ? "no" : "back after " + run.restartMillis + " ms"));
    run.partners.forEach(p -> b.append("  ").append(p.name).append(": ").append(new java.util.TreeMap<>(p.actions))
        .append('\n'));
    if (figures.get("botFlood") instanceof Map<?, ?> f) {
      b.append("\nBot flood (").append(BotFlood.CLIENTS).append(" clients during the peak)\n");
      b.append(String.format(Locale.ROOT, "  %s s, %s bot requests/s %s; real registrations accepted %s/s, latency "
          + "during %s, outside %s%n", f.get("seconds"), f.get("botRequestsPerSecond"), f.get("sentByKind"),
          f.get("realRegistrationsAcceptedPerSecond"), ms(f.get("realRegistrationLatencyMsDuring")),
          ms(f.get("realRegistrationLatencyMsOutside"))));
      b.append(String.format(Locale.ROOT, "  fake cases stored and held: %s; fake cases proposed: %s%n",
          f.get("fakeCasesStoredAndHeld"), f.get("fakeCasesProposed")));
    }
    b.append("\nWhere the machine ran out first\n  ").append(figures.get("ranOutFirst")).append('\n');
    b.append("  CPU time by part (ms; threads alive at the end, so after the restart): ").append(run.cpuByPart)
        .append('\n');
    b.append("\nReconciliation\n");
    checks.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-62s %d%n", k, v)));
    if (!problems.isEmpty()) {
      b.append("\nProblems\n");
      problems.forEach(p -> b.append("  - ").append(p).append('\n'));
    }
    b.append("\nReport: ").append(settings.out().resolve("report.html").toAbsolutePath()).append('\n');
    return b.toString();
  }

  private static String h(double[] sorted, double p) {
    return sorted.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", percentile(sorted, p));
  }

  @SuppressWarnings("unchecked")
  private static String ms(Object o) {
    Map<String, Object> m = (Map<String, Object>) o;
    return String.format(Locale.ROOT, "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms (%s)", (Double) m.get("p50"),
        (Double) m.get("p95"), (Double) m.get("p99"), m.get("count"));
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report.txt"), text(), StandardCharsets.UTF_8);
    ObjectNode json = Json.object().put("clean", clean());
    json.set("problems", Json.mapper().valueToTree(problems));
    json.set("checks", Json.mapper().valueToTree(checks));
    json.set("figures", Json.mapper().valueToTree(figures));
    Files.writeString(dir.resolve("summary.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json),
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.html"), new Charts(settings, run, greedy, this).html(), StandardCharsets.UTF_8);
  }

  double[] toProposalHours() {
    return toProposalHours;
  }

  double[] lagMillis() {
    return lagMillis;
  }

  static double[] copy(double[] a) {
    return Arrays.copyOf(a, a.length);
  }
}
