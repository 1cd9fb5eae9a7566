package nl.onderdak.partners;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import nl.onderdak.core.chain.CaseAccess;
import nl.onderdak.core.chain.CaseFiles;
import nl.onderdak.core.chain.CaseView;
import nl.onderdak.core.chain.Decided;
import nl.onderdak.core.chain.MatchParties;
import nl.onderdak.core.chain.MatchView;
import nl.onderdak.core.chain.PartnerWork;
import nl.onderdak.core.chain.ProposalReviewStep;
import nl.onderdak.core.chain.Step;
import nl.onderdak.core.events.CaseEvent;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.partners.Partner;
import nl.onderdak.core.partners.Role;

/** The JSON the partner API answers with: cases, matches, history, notes, listings. No decisions here. */
final class PartnerViews {
  private PartnerViews() {}

  /** A case with its personal details, for an organisation that may see it. */
  static ObjectNode caseJson(CaseAccess.Sight sight, CaseFiles.Personal personal,
      Function<String, Partner> directory) {
    CaseView c = sight.c();
    ObjectNode out = Json.object();
    Step step = c.step();
    out.put("id", c.id()).put("kind", c.kind().wire()).put("programme", c.programme()).put("type", c.type())
        .put("status", c.status().wire()).put("step", step == null ? null : step.key())
        .put("stepSince", c.stepSince().toString()).put("region", c.region())
        .put("preferredLanguage", c.preferredLanguage())
        .put("registeredAt", c.registeredAt() == null ? null : c.registeredAt().toString())
        .put("updatedAt", c.updatedAt());
    if (c.matchId() != null) {
      out.put("matchId", c.matchId());
    }
    if (c.duplicateOf() != null && sight.holder()) {
      out.put("duplicateOf", c.duplicateOf());
    }
    if (c.profile() != null) {
      out.set("profile", c.profile());
    }
    if (personal != null) {
      if (personal.contact() != null) {
        out.set("contact", personal.contact());
      }
      if (personal.address() != null) {
        out.set("address", personal.address());
      }
    }
    ArrayNode responsible = out.putArray("responsible");
    String lead = c.responsibility().holder(c.caseType().lead());
    c.responsibility().holders().forEach((role, partner) -> {
      Partner p = directory.apply(partner);
      responsible.addObject().put("role", role.wire()).put("partnerId", partner)
          .put("name", p == null ? null : p.name())
          .put("since", String.valueOf(c.responsibility().since().get(role)));
    });
    for (Role missing : c.responsibility().missing(c.caseType().roles())) {
      responsible.addObject().put("role", missing.wire()).putNull("partnerId");
    }
    if (lead != null) {
      Partner p = directory.apply(lead);
      out.putObject("lead").put("role", c.caseType().lead().wire()).put("partnerId", lead)
          .put("name", p == null ? null : p.name());
    }
    ArrayNode yours = out.putArray("yourRoles");
    sight.roles().forEach(r -> yours.add(r.wire()));
    if (!sight.holder()) {
      out.put("seenAs", "reviewer of " + sight.match().id());
    }
    if (sight.holder() && !c.handovers().isEmpty()) {
      ArrayNode pending = out.putArray("handoversPending");
      c.handovers().forEach((role, id) -> pending.addObject().put("role", role.wire()).put("handoverId", id));
    }
    return out;
  }

  /** A match; its decisions' free texts only when the organisation may see them. */
  static ObjectNode matchJson(MatchParties p, Map<String, CaseFiles.Text> texts) {
    ObjectNode out = matchJson(p.match());
    Set<String> reviewers = ProposalReviewStep.reviewers(p.guest(), p.host());
    ArrayNode r = out.putArray("reviewers");
    reviewers.forEach(r::add);
    if ("proposed".equals(p.match().status())) {
      ArrayNode waiting = out.putArray("waitingFor");
      reviewers.stream().filter(id -> !p.match().acceptedBy().contains(id)).forEach(waiting::add);
    }
    if (texts != null) {
      texts.forEach((decision, text) -> out.put(decision + "Text", text.text()));
    }
    return out;
  }

  static ObjectNode matchJson(MatchView m) {
    ObjectNode out = Json.object();
    for (String field : List.of("matchId", "status", "guestId", "hostId", "region", "proposedAt", "decidedAt",
        "decidedBy", "declineReason", "introduction", "decideBy", "introducedAt", "nextStep", "nextStepFor", "moveInDate", "agreedEndDate", "previousEndDate", "endReason",
        "cancelReason")) {
      if (m.str(field) != null) {
        out.put(field, m.str(field));
      }
    }
    out.put("score", m.num("score"));
    if (m.json("scoreParts") != null) {
      out.set("scoreParts", m.json("scoreParts"));
    }
    ArrayNode accepted = out.putArray("acceptedBy");
    m.acceptedBy().stream().sorted().forEach(accepted::add);
    return out;
  }

  static ObjectNode decided(Decided d) {
    ObjectNode out = d.match() != null && d.id().equals(d.match().id()) ? matchJson(d.match()) : Json.object();
    if (!(d.match() != null && d.id().equals(d.match().id()))) {
      out.put("id", d.id()).put("status", d.status());
      if (d.match() != null) {
        out.set("match", matchJson(d.match()));
      }
    }
    if (d.at() != null) {
      out.put("decidedAt", d.at().toString());
    }
    return out;
  }

  /** Every change to the case, who made it and why; free texts and reads for the responsible organisations. */
  static ObjectNode historyJson(CaseAccess.Sight sight, List<CaseEvent> events, Map<Long, CaseFiles.Text> texts,
      List<CaseFiles.Read> reads) {
    ObjectNode out = Json.object().put("id", sight.c().id());
    ArrayNode list = out.putArray("events");
    for (CaseEvent e : events) {
      ObjectNode n = list.addObject();
      n.put("seq", e.seq()).put("at", e.at().toString()).put("actor", e.actor()).put("type", e.type())
          .put("step", e.chain().step()).put("decision", e.chain().decision()).put("role", e.chain().role())
          .put("from", e.fromStatus()).put("to", e.toStatus()).put("reason", e.reason());
      if (e.matchId() != null) {
        n.put("matchId", e.matchId());
      }
      if (!e.chain().assigned().isEmpty()) {
        ObjectNode a = n.putObject("assigned");
        e.chain().assigned().forEach((role, partner) -> a.putObject(role).put("partnerId", partner)
            .put("how", e.chain().assignedHow().get(role)));
      }
      if (e.chain().handoverId() != null) {
        n.putObject("handover").put("handoverId", e.chain().handoverId()).put("role", e.chain().handoverRole())
            .put("from", e.chain().handoverFrom()).put("to", e.chain().handoverTo());
      }
      if (sight.seesTexts() && texts.containsKey(e.seq())) {
        n.put("text", texts.get(e.seq()).text());
      }
    }
    if (sight.seesTexts()) {
      ArrayNode r = out.putArray("reads");
      for (CaseFiles.Read read : reads) {
        r.addObject().put("at", read.at()).put("partnerId", read.partnerId()).put("what", read.what());
      }
    }
    return out;
  }

  /** The homes a housing provider offered, each with its case id and status. */
  static ObjectNode homesJson(List<nl.onderdak.core.partners.ProviderHomes.Offered> offered) {
    ObjectNode out = Json.object();
    ArrayNode created = out.putArray("homes");
    offered.forEach(home -> created.addObject().put("id", home.hostId()).put("status", home.status()));
    return out;
  }

  /** A step's decision as answered: 201 for a new handover, 200 for anything repeated or decided. */
  static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse decided(int status, Decided d) {
    return nl.onderdak.function.HttpResponses.json(d.repeated() && status == 201 ? 200 : status, decided(d));
  }

  static ObjectNode notesJson(String caseId, List<CaseFiles.Text> notes) {
    ObjectNode out = Json.object().put("id", caseId);
    ArrayNode list = out.putArray("notes");
    notes.forEach(n -> list.add(noteJson(n)));
    return out;
  }

  static ObjectNode noteJson(CaseFiles.Text n) {
    return Json.object().put("noteId", n.id()).put("author", n.author()).put("at", n.at().toString())
        .put("text", n.text());
  }

  /** A row of an organisation's listing: the case, its step, the roles held, and what waits on it since when. */
  static ObjectNode rowJson(PartnerWork.Row row) {
    ObjectNode out = Json.object();
    if (row.handover()) {
      out.put("handoverId", row.handoverId()).put("caseId", row.caseId()).put("role", row.handoverRole())
          .put("from", row.from()).put("reason", row.reason()).put("kind", row.kind()).put("programme", row.programme())
          .put("type", row.caseType()).put("status", row.status()).put("step", row.step()).put("region", row.region())
          .put("requestedAt", row.requestedAt());
      return out;
    }
    out.put("id", row.caseId()).put("kind", row.kind()).put("programme", row.programme()).put("type", row.caseType())
        .put("status", row.status()).put("step", row.step()).put("since", row.since()).put("region", row.region());
    if (row.matchId() != null) {
      out.put("matchId", row.matchId());
    }
    strings(out.putArray("roles"), row.roles());
    if (row.lead() != null) {
      out.put("lead", row.lead());
    }
    if (!row.waiting().isEmpty()) {
      ObjectNode waiting = out.putObject("waiting").put("step", row.step()).put("since", row.since());
      strings(waiting.putArray("roles"), row.waiting());
    } else {
      out.putNull("waiting");
    }
    if (!row.handingOver().isEmpty()) {
      strings(out.putArray("handingOver"), row.handingOver());
    }
    return out;
  }

  private static void strings(ArrayNode into, List<String> values) {
    values.forEach(into::add);
  }

  static ObjectNode pageJson(String name, PartnerWork.Page page) {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray(name);
    page.rows().forEach(r -> list.add(rowJson(r)));
    out.put("next", page.cursor());
    return out;
  }

  /**
   * What waits on the organisation, in the sections partners' systems read: hosts to screen, households on hold,
   * proposals to review, accepted matches to place, handovers to decide, stays with a check-in due; anything else
   * under {@code other}.
   */
  static ObjectNode queueJson(PartnerWork.Page page) {
    ObjectNode out = Json.object();
    ArrayNode screen = out.putArray("hostsToScreen");
    ArrayNode hold = out.putArray("householdsOnHold");
    ArrayNode review = out.putArray("proposalsToReview");
    ArrayNode introduce = out.putArray("acceptedToIntroduce");
    ArrayNode place = out.putArray("acceptedToPlace");
    ArrayNode handovers = out.putArray("handoversToDecide");
    ArrayNode checkIns = out.putArray("checkInsDue");
    ArrayNode other = out.putArray("other");
    Set<String> matches = new HashSet<>();
    for (PartnerWork.Row row : page.rows()) {
      ObjectNode r = rowJson(row);
      if (row.handover()) {
        handovers.add(r);
        continue;
      }
      String step = row.step();
      String matchId = row.matchId();
      switch (step == null ? "" : step) {
        case "screening" -> screen.add(r);
        case "duplicate_check" -> hold.add(r);
        case "proposal_review" -> {
          if (matches.add(matchId)) {
            review.add(r);
          }
        }
        case "introduction" -> {
          if (matches.add(matchId)) {
            introduce.add(r);
          }
        }
        case "placement" -> {
          if (matches.add(matchId)) {
            place.add(r);
          }
        }
        case "stay" -> checkIns.add(r);
        default -> other.add(r);
      }
    }
    out.put("next", page.cursor());
    return out;
  }
}
