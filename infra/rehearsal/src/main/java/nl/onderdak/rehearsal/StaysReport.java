package nl.onderdak.rehearsal;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import nl.onderdak.core.chain.CaseType;
import nl.onderdak.core.chain.IntroductionStep;
import nl.onderdak.core.chain.Programmes;
import nl.onderdak.core.chain.StayStep;
import nl.onderdak.core.chain.WithdrawalStep;
import nl.onderdak.core.partners.WebhookEvent;

/**
 * After the yes, as the store holds it: introductions, stays with their agreed ends, check-ins and incidents, how
 * stays ended and who was placed again. Its reconciliation: no stay past its agreed end (when the partners wound
 * down) without an end or an extension; every safety or exploitation incident alerted to the household's support
 * organisation and both leads with the incident's own event (one delivery, not a later clock's run).
 */
final class StaysReport {
  /** A stay is past its end when the whole day after it passed before the partners wound down. */
  static final int GRACE_DAYS = 1;

  final Map<String, Long> checks = new LinkedHashMap<>();
  final List<String> problems = new ArrayList<>();
  final Map<String, Object> figures = new LinkedHashMap<>();
  private final StoreSnapshot store;

  StaysReport(Rehearsal.Run run) {
    this.store = run.store;
    pastTheirEnd(run.windDownAt == null ? null : LocalDate.ofInstant(run.windDownAt, ZoneOffset.UTC));
    incidentsAlerted();
    figures();
  }

  private void pastTheirEnd(LocalDate windDown) {
    if (windDown == null) {
      return;
    }
    List<String> past = new ArrayList<>();
    for (StoreSnapshot.Match m : store.matches.values()) {
      if ("placed".equals(m.status()) && m.agreedEndDate() != null
          && LocalDate.parse(m.agreedEndDate()).plusDays(GRACE_DAYS).isBefore(windDown)) {
        past.add(m.id() + " (agreed end " + m.agreedEndDate() + ")");
      }
    }
    checks.put("stays past their agreed end without an end or extension", (long) past.size());
    if (!past.isEmpty()) {
      past.sort(Comparator.naturalOrder());
      problems.add(past.size() + " stay(s) still running more than " + GRACE_DAYS + " day(s) past their agreed end "
          + "when the partners wound down (" + windDown + "): " + String.join(", ", past.subList(0,
              Math.min(5, past.size()))));
    }
  }

  /**
   * Each alerting incident (on the household's case) is told as {@code case.alert} {@code incident}, stamped with the
   * incident's own event, to the household's support organisation and the lead of each case as they were then.
   */
  private void incidentsAlerted() {
    Map<String, List<StoreSnapshot.LoggedWebhook>> alerts = new HashMap<>();
    for (StoreSnapshot.LoggedWebhook w : store.webhooks) {
      if (WebhookEvent.CASE_ALERT.equals(w.type()) && StayStep.INCIDENT_ALERT.equals(w.alert())) {
        alerts.computeIfAbsent(w.subject(), k -> new ArrayList<>()).add(w);
      }
    }
    Map<String, StoreSnapshot.Event> hostSide = new HashMap<>();
    for (StoreSnapshot.Event e : store.events) {
      if ("host".equals(e.kind()) && StayStep.CHECKIN.equals(e.decision()) && e.matchId() != null) {
        hostSide.put(e.matchId() + "|" + e.at(), e);
      }
    }
    long incidents = 0;
    long missing = 0;
    long retried = 0;
    List<String> examples = new ArrayList<>();
    for (StoreSnapshot.Event e : store.events) {
      if (!"guest".equals(e.kind()) || !StayStep.CHECKIN.equals(e.decision()) || !StayStep.ALERTING.contains(e.reason())
          || e.matchId() == null) {
        continue;
      }
      incidents++;
      StoreSnapshot.Match m = store.matches.get(e.matchId());
      Set<String> owed = new LinkedHashSet<>();
      addHolder(owed, e.responsible(), "guest_support");
      addHolder(owed, e.responsible(), lead(store.cases.get(e.caseId())));
      StoreSnapshot.Event host = hostSide.get(e.matchId() + "|" + e.at());
      if (host != null && m != null) {
        addHolder(owed, host.responsible(), lead(store.cases.get(m.hostId())));
      }
      String stamp = e.at() == null ? null : e.at().toString();
      for (String partner : owed) {
        StoreSnapshot.LoggedWebhook told = alerts.getOrDefault(e.matchId(), List.of()).stream()
            .filter(w -> w.partnerId().equals(partner) && java.util.Objects.equals(w.timestamp(), stamp))
            .findFirst().orElse(null);
        if (told == null) {
          missing++;
          if (examples.size() < 5) {
            examples.add(e.reason() + " on " + e.matchId() + " for " + partner);
          }
        } else if (told.attempts() > 1) {
          retried++;
        }
      }
    }
    checks.put("safety/exploitation incidents not alerted with their own event", missing);
    figures.put("alertingIncidents", incidents);
    figures.put("incidentAlertsRetried", retried);
    if (missing > 0) {
      problems.add(missing + " incident alert(s) owed and never logged with the incident's event: "
          + String.join(", ", examples));
    }
  }

  private static void addHolder(Set<String> out, Map<String, String> responsible, String role) {
    if (responsible != null && role != null && responsible.get(role) != null) {
      out.add(responsible.get(role));
    }
  }

  /** The role that leads a case of this programme and type (null when unknown). */
  private static String lead(StoreSnapshot.Case c) {
    if (c == null || c.programme() == null || c.type() == null) {
      return null;
    }
    CaseType t = Programmes.of(c.programme()).type(c.type());
    return t == null || t.lead() == null ? null : t.lead().wire();
  }

  private void figures() {
    Map<String, Long> introductions = new TreeMap<>();
    Map<String, Long> endings = new TreeMap<>();
    Map<String, Long> nextSteps = new TreeMap<>();
    Map<String, Long> checkIns = new TreeMap<>();
    Map<String, Long> incidents = new TreeMap<>();
    long extended = 0;
    long shortened = 0;
    long availabilityEnded = 0;
    long urgent = 0;
    Map<String, List<StoreSnapshot.Event>> placedByGuest = new HashMap<>();
    for (StoreSnapshot.Event e : store.events) {
      if ("guest".equals(e.kind()) && "placed".equals(e.to()) && !"placed".equals(e.from()) && e.matchId() != null) {
        List<StoreSnapshot.Event> placements = placedByGuest.computeIfAbsent(e.caseId(), k -> new ArrayList<>());
        if (placements.stream().noneMatch(p -> p.matchId().equals(e.matchId()))) {
          placements.add(e); // the move-in; the stay's later events stay in "placed"
        }
      }
      if (WithdrawalStep.AVAILABILITY_ENDED.equals(e.decision())) {
        availabilityEnded++;
      }
      if (!"host".equals(e.kind()) || e.matchId() == null) {
        continue; // one event per match: the host's
      }
      if (IntroductionStep.KEY.equals(e.step()) && e.decision() != null
          && !IntroductionStep.TRIAL_OVERDUE.equals(e.decision())) {
        introductions.merge(e.decision(), 1L, Long::sum);
      }
      switch (e.decision() == null ? "" : e.decision()) {
        case "end" -> endings.merge(e.detail() == null ? "no_agreed_end" : e.detail(), 1L, Long::sum);
        case StayStep.EXTEND -> extended++;
        case StayStep.SHORTEN -> shortened++;
        case StayStep.NEXT -> nextSteps.merge(String.valueOf(e.reason()), 1L, Long::sum);
        case StayStep.CHECKIN -> {
          checkIns.merge(e.reason().startsWith("incident_") ? "incident" : e.reason(), 1L, Long::sum);
          if (e.reason().startsWith("incident_")) {
            incidents.merge(e.reason().substring("incident_".length()) + "/" + e.detail(), 1L, Long::sum);
          }
          if ("screening".equals(e.to())) {
            urgent++;
          }
        }
        default -> { }
      }
    }
    long started = store.matches.values().stream().filter(m -> m.moveInDate() != null).count();
    long running = store.matches.values().stream().filter(m -> "placed".equals(m.status())).count();
    figures.put("staysStarted", started);
    figures.put("staysRunningAtWindDown", running);
    figures.put("introductions", introductions);
    figures.put("staysEnded", endings);
    figures.put("staysExtended", extended);
    figures.put("staysShortened", shortened);
    figures.put("urgentReplacements", urgent);
    figures.put("nextSteps", nextSteps);
    figures.put("checkIns", checkIns);
    figures.put("incidentsByCategoryAndSeverity", incidents);
    figures.put("hostsWhoseAvailabilityEnded", availabilityEnded);
    figures.put("householdsPlacedAgain", placedByGuest.values().stream().filter(l -> l.size() > 1).count());
    figures.put("daysFromEndToNextMoveIn", gaps(placedByGuest));
  }

  /**
   * For each household placed again: the days from its previous stay's end to its next move-in, by how the previous
   * one ended ({@code planned}: a re-match on record before the end; {@code broke_down}: early or urgent), as
   * median and count.
   */
  private Map<String, Object> gaps(Map<String, List<StoreSnapshot.Event>> placedByGuest) {
    Map<String, List<Double>> byKind = new TreeMap<>();
    Map<String, StoreSnapshot.Event> endOf = new HashMap<>();
    for (StoreSnapshot.Event e : store.events) {
      if ("guest".equals(e.kind()) && e.matchId() != null && "open".equals(e.to())
          && ("end".equals(e.decision()) || StayStep.CHECKIN.equals(e.decision()))) {
        endOf.put(e.matchId(), e);
      }
    }
    for (List<StoreSnapshot.Event> placements : placedByGuest.values()) {
      placements.sort(Comparator.comparing(StoreSnapshot.Event::at));
      for (int i = 1; i < placements.size(); i++) {
        StoreSnapshot.Match before = store.matches.get(placements.get(i - 1).matchId());
        StoreSnapshot.Match after = store.matches.get(placements.get(i).matchId());
        StoreSnapshot.Event ended = before == null ? null : endOf.get(before.id());
        if (ended == null || after == null || after.moveInDate() == null) {
          continue;
        }
        double days = java.time.Duration.between(ended.at(), LocalDate.parse(after.moveInDate())
            .atStartOfDay(ZoneOffset.UTC).toInstant()).toHours() / 24.0;
        String kind = StayStep.CHECKIN.equals(ended.decision()) || "early".equals(ended.detail()) ? "broke_down"
            : "rematch".equals(before.nextStep()) ? "planned" : "other";
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(Math.max(0, days));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    byKind.forEach((kind, days) -> {
      double[] sorted = days.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      out.put(kind, Map.of("medianDays", Math.round(Report.percentile(sorted, 50) * 10) / 10.0,
          "count", sorted.length));
    });
    return out;
  }

  /** The report's section. */
  String text() {
    StringBuilder b = new StringBuilder("\nAfter the yes (the store's own records)\n");
    b.append(String.format(Locale.ROOT, "  introductions: %s%n", figures.get("introductions")));
    b.append(String.format(Locale.ROOT, "  stays started %s, still running at the wind-down %s; ended %s; extended %s,"
        + " shortened %s; urgent re-placements %s%n", figures.get("staysStarted"), figures.get("staysRunningAtWindDown"),
        figures.get("staysEnded"), figures.get("staysExtended"), figures.get("staysShortened"),
        figures.get("urgentReplacements")));
    b.append(String.format(Locale.ROOT, "  next steps on record: %s%n", figures.get("nextSteps")));
    b.append(String.format(Locale.ROOT, "  check-ins: %s; incidents: %s (alerting: %s, of whose alerts %s needed a "
        + "retry)%n", figures.get("checkIns"), figures.get("incidentsByCategoryAndSeverity"),
        figures.get("alertingIncidents"), figures.get("incidentAlertsRetried")));
    b.append(String.format(Locale.ROOT, "  hosts whose availability ended: %s; households placed again: %s; days from "
        + "an end to the next move-in: %s%n", figures.get("hostsWhoseAvailabilityEnded"),
        figures.get("householdsPlacedAgain"), figures.get("daysFromEndToNextMoveIn")));
    return b.toString();
  }
}
