package nl.onderdak.core.chain;

import java.util.List;
import java.util.function.BiPredicate;
import nl.onderdak.core.model.CaseStatus;

/**
 * A step the system takes, no organisation: the registration (the registrant, or a provider offering its own
 * homes) and matching (the matcher proposes, people decide).
 */
public final class SystemStep extends Step {
  public static final String REGISTRATION = "registration";
  public static final String MATCHING = "matching";

  private final BiPredicate<CaseType, CaseStatus> current;
  private final List<Decision> decisions;

  public SystemStep(String key, String title, BiPredicate<CaseType, CaseStatus> current, List<Decision> decisions) {
    super(key, title, null, Subject.CASE);
    this.current = current;
    this.decisions = decisions;
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
