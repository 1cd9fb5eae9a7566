package nl.onderdak.core.chain;

/**
 * A step, a handover or a read that cannot be done, with why: the HTTP layer turns it into a problem response
 * ({@link Kind#NOT_FOUND} is answered exactly as an unknown id, so that nobody learns another organisation's
 * case exists).
 */
public final class Refused extends RuntimeException {
  /** What kind of refusal, which decides the status code. */
  public enum Kind {
    /** Not there, or not this organisation's to see: 404. */
    NOT_FOUND(404),
    /** Seen, but the step needs a role this organisation does not hold on the case: 403. */
    FORBIDDEN(403),
    /** The case or match is not (or no longer) where the step applies, or it changed meanwhile: 409. */
    CONFLICT(409);

    public final int status;

    Kind(int status) {
      this.status = status;
    }
  }

  private final Kind kind;
  private final String code;

  public Refused(Kind kind, String code, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
  }

  public static Refused notFound() {
    return new Refused(Kind.NOT_FOUND, "not_found", "nothing here");
  }

  public static Refused conflict(String code, String message) {
    return new Refused(Kind.CONFLICT, code, message);
  }

  public static Refused forbidden(String code, String message) {
    return new Refused(Kind.FORBIDDEN, code, message);
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }
}
