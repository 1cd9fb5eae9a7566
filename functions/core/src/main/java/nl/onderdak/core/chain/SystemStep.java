package nl.onderdak.core.chain;

import java.util.List;
import java.util.function.BiPredicate;
import nl.onderdak.core.model.CaseStatus;
import nl.onderdak.core.partners.Role;

/**
 * A step the system takes, no organisation: the registration (the registrant, or a provider offering its own
 * homes) and matching (the matcher proposes, people decide).
 */
public final class SystemStep extends Step {
  public static final String REGISTRATION = "registration";
  public static final String MATCHING = "matching";

  private final String key;
  private final String title;
  private final BiPredicate<CaseType, CaseStatus> current;
  private final List<Decision> decisions;

  public SystemStep(String key, String title, BiPredicate<CaseType, CaseStatus> current, List<Decision> decisions) {
    this.key = key;
    this.title = title;
    this.current = current;
    this.decisions = decisions;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public Role role() {
    return null;
  }

  @Override
  public Subject subject() {
    return Subject.CASE;
  }

  @Override
  public boolean current(CaseType type, CaseStatus status) {
    return current.test(type, status);
  }

  @Override
  public List<Decision> decisions() {
    return decisions;
  }
}
