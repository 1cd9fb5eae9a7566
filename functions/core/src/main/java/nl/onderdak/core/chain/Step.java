package nl.onderdak.core.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.partners.Role;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.JsonFields;
import nl.onderdak.core.validation.ValidationException;

/**
 * One step of a programme's chain, as its own class: which role acts, on what, in which statuses the step is
 * the current one, its decisions with their reason codes, what each is followed by and which webhook it sends.
 * A step that takes a decision does it in one transaction through the {@link ChainStore}. After the model of
 * boston-cas's match decisions: the programme is a list of these, and shared code never asks which programme
 * it is in.
 */
public abstract class Step {
  /** What a step acts on. */
  public enum Subject { CASE, MATCH }

  private final String key;
  private final String title;
  private final Role role;
  private final Subject subject;

  /**
   * @param key the step's name, in events ({@code step}), the programme table and metrics
   * @param title in words, for the programme table
   * @param role the role that acts; null for a step the system takes (registration, the matcher)
   */
  protected Step(String key, String title, Role role, Subject subject) {
    this.key = key;
    this.title = title;
    this.role = role;
    this.subject = subject;
  }

  public final String key() {
    return key;
  }

  public final String title() {
    return title;
  }

  public Role role() {
    return role;
  }

  public final Subject subject() {
    return subject;
  }

  /** Whether a case of this type, in this status, is in this step now (it waits for it). */
  public abstract boolean current(CaseType type, CaseStatus status);

  public abstract List<Decision> decisions();

  public Decision decision(String code) {
    for (Decision d : decisions()) {
      if (d.code().equals(code)) {
        return d;
      }
    }
    return null;
  }

  /**
   * The roles for which this step, being current on the case, waits on this organisation (which holds
   * {@code held} there). By default: the step's role, if the organisation holds it.
   */
  public Set<Role> waitsOn(CaseView c, Set<Role> held, String partnerId, MatchContext match) {
    return role() != null && held.contains(role()) ? EnumSet.of(role()) : EnumSet.noneOf(Role.class);
  }

  /** A decision's fields, checked against this step's codes. */
  public record Input(Decision decision, String reason, String text, JsonFields body) {}

  /**
   * Reads {@code decision} (when the step has more than one), {@code reason} and {@code text} from a request
   * body; {@code extra} reads the step's own further fields before unknown ones are refused. A reason
   * {@code other} needs a text; a text is at most 1,000 characters.
   */
  protected Input input(JsonNode body, java.util.function.Consumer<JsonFields> extra) {
    return input(body, null, extra);
  }

  /** The same, for a route that is one decision of the step ({@code decided}): no {@code decision} field is read. */
  protected Input input(JsonNode body, String decided, java.util.function.Consumer<JsonFields> extra) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields fields = JsonFields.root(body, errors);
    Decision decision;
    List<Decision> offered = decisions().stream().filter(d -> !d.system()).toList();
    if (decided != null) {
      decision = decision(decided);
    } else if (offered.size() == 1) {
      decision = offered.get(0);
    } else {
      Set<String> codes = new LinkedHashSet<>();
      offered.forEach(d -> codes.add(d.code()));
      String code = fields.oneOf(decisionField(), true, codes);
      decision = code == null ? null : decision(code);
    }
    String reason = null;
    String text = null;
    if (decision != null && !decision.reasons().isEmpty()) {
      reason = fields.oneOf("reason", decision.reasonRequired(), new LinkedHashSet<>(decision.reasons()));
      text = fields.string("text", Decision.OTHER.equals(reason), 1, 1000);
    } else if (decision == null) {
      text = fields.string("text", false, 1, 1000);
    }
    // A decision without reasons (accept, confirm) keeps no words either: a reason or text sent with it is refused
    // as an unknown field rather than dropped.
    if (extra != null) {
      extra.accept(fields);
    }
    fields.rejectUnknown();
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Input(decision, reason, text, fields);
  }

  /** The body's field naming the decision, for a step with more than one: {@code decision} unless the step names it. */
  protected String decisionField() {
    return "decision";
  }

  /** Refuses an organisation that does not hold this step's role on the case (operators are not held to it). */
  protected void requireRole(Actor actor, CaseView c) {
    if (actor.isPartner() && !c.responsibility().holds(actor.partnerId(), role())) {
      throw Refused.forbidden("missing_role", "this step is taken by the " + role().wire()
          + " organisation responsible for " + c.id());
    }
  }

  @Override
  public String toString() {
    return key();
  }
}
