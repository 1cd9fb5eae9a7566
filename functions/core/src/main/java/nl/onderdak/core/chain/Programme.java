package nl.onderdak.core.chain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.model.CaseStatus;

/**
 * A programme, in code: its case types (which roles work on each, which leads) and its steps in order (each a
 * {@link Step} class that owns who acts, its decisions and reason codes, what follows and which webhook it
 * sends). Adding a programme adds a definition in {@link Programmes} and, at most, new step classes.
 */
public final class Programme {
  private final String id;
  private final String name;
  private final Map<String, CaseType> types = new LinkedHashMap<>();
  private final List<Step> steps;

  public Programme(String id, String name, List<CaseType> caseTypes, List<Step> steps) {
    this.id = id;
    this.name = name;
    caseTypes.forEach(t -> types.put(t.key(), t));
    this.steps = List.copyOf(steps);
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public List<CaseType> caseTypes() {
    return List.copyOf(types.values());
  }

  public CaseType type(String key) {
    CaseType t = types.get(key);
    if (t == null) {
      throw new IllegalArgumentException("programme " + id + " has no case type " + key);
    }
    return t;
  }

  public List<Step> steps() {
    return steps;
  }

  /** The step with this key, or null when the programme has none. */
  public Step step(String key) {
    for (Step s : steps) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    return null;
  }

  /** The step of this programme's own class, for code that takes a decision of a known kind. */
  public <S extends Step> S step(Class<S> kind) {
    for (Step s : steps) {
      if (kind.isInstance(s)) {
        return kind.cast(s);
      }
    }
    return null;
  }

  /** The step a case of this type is in, in this status; null when it is in none (a terminal status). */
  public Step currentStep(CaseType type, CaseStatus status) {
    for (Step s : steps) {
      if (s.current(type, status)) {
        return s;
      }
    }
    return null;
  }
}
