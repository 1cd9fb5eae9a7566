package nl.onderdak.core.model;

/** The two sides of the process. The id prefix tells them apart without a read. */
public enum CaseKind {
  GUEST('G', "guest"),
  HOST('H', "host");

  private final char idPrefix;
  private final String wire;

  CaseKind(char idPrefix, String wire) {
    this.idPrefix = idPrefix;
    this.wire = wire;
  }

  public char idPrefix() {
    return idPrefix;
  }

  /** The name used in JSON and in stored items. */
  public String wire() {
    return wire;
  }

  public static CaseKind ofId(String id) {
    if (id != null && id.length() > 2 && id.charAt(1) == '-') {
      for (CaseKind k : values()) {
        if (k.idPrefix == id.charAt(0)) {
          return k;
        }
      }
    }
    return null;
  }

  public static CaseKind fromWire(String wire) {
    for (CaseKind k : values()) {
      if (k.wire.equals(wire)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown case kind " + wire);
  }
}
