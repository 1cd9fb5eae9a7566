package nl.onderdak.core.storage;

import java.util.List;
import nl.onderdak.core.support.Env;

/**
 * The physical table names, given to every function by {@code template.yaml} as environment variables.
 * No table name is written anywhere else in the code; a test checks these variables against the template.
 */
public record Tables(String cases, String personalData, String idempotency, String regionStats, String partners,
    String audit) {
  public static final String CASES = "CASES_TABLE";
  public static final String PERSONAL_DATA = "PERSONAL_DATA_TABLE";
  public static final String IDEMPOTENCY = "IDEMPOTENCY_TABLE";
  public static final String REGION_STATS = "REGION_STATS_TABLE";
  public static final String PARTNERS = "PARTNERS_TABLE";
  /** Operators' requests, on record: who, what, when, from which request (OperatorAudit). */
  public static final String AUDIT = "AUDIT_TABLE";

  public Tables(String cases, String personalData, String idempotency, String regionStats, String partners) {
    this(cases, personalData, idempotency, regionStats, partners, null);
  }

  /** Every variable the code reads a table name from. */
  public static final List<String> VARIABLES = List.of(CASES, PERSONAL_DATA, IDEMPOTENCY, REGION_STATS, PARTNERS,
      AUDIT);

  /** Reads the variables that are set; a store fails at first use of a table it was not given. */
  public static Tables fromEnv() {
    return new Tables(Env.get(CASES), Env.get(PERSONAL_DATA), Env.get(IDEMPOTENCY), Env.get(REGION_STATS),
        Env.get(PARTNERS), Env.get(AUDIT));
  }
}
