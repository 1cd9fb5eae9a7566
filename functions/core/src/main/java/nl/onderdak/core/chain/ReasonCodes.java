package nl.onderdak.core.chain;

import java.util.Set;
import java.util.TreeSet;

/**
 * Every reason code the programmes know: their steps' decisions' reasons, the handovers' and the erasures'. A reason is logged,
 * counted in a metric or sent in a webhook only when it is one of these; anything else (free text in an older
 * event, or a word that only looks like a code) is personal data and is shown as {@link #UNLISTED}.
 */
public final class ReasonCodes {
  /** What stands in the logs and metrics for a reason that is not a known code. */
  public static final String UNLISTED = "unlisted";
  /** Why an operator erased a person's data (a code: the request itself is the data protection officer's file). */
  public static final Set<String> ERASURE = Set.of("subject_request", "no_longer_needed", "unlawful",
      "consent_withdrawn");
  private static final Set<String> ALL = collect();

  private ReasonCodes() {}

  public static boolean known(String reason) {
    return reason != null && ALL.contains(reason);
  }

  /** The reason if it is a known code, else {@link #UNLISTED}; null stays null. */
  public static String safe(String reason) {
    return reason == null ? null : known(reason) ? reason : UNLISTED;
  }

  private static Set<String> collect() {
    Set<String> out = new TreeSet<>(Handovers.REASONS);
    out.addAll(ERASURE);
    out.addAll(Quarantine.REASONS);
    for (Programme p : Programmes.all()) {
      for (Step s : p.steps()) {
        for (Decision d : s.decisions()) {
          out.addAll(d.reasons());
        }
      }
    }
    return Set.copyOf(out);
  }
}
