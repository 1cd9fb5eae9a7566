package nl.onderdak.core.support;

import java.security.SecureRandom;
import java.util.regex.Pattern;
import nl.onderdak.core.model.CaseKind;

/**
 * Case ids such as {@code G-7K3M9Q2X4HW8RTZA}: the kind's letter, then 80 random bits in Crockford's
 * base32 (no I, L, O, U: easy to read aloud over the phone). Random, so an id tells nothing about
 * how many registered or when.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final Pattern FORMAT = Pattern.compile("[GH]-[0-9A-HJKMNP-TV-Z]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String newCaseId(CaseKind kind) {
    byte[] bytes = new byte[10];
    RANDOM.nextBytes(bytes);
    StringBuilder sb = new StringBuilder(18).append(kind.idPrefix()).append('-');
    long high = 0;
    for (int i = 0; i < 5; i++) {
      high = (high << 8) | (bytes[i] & 0xff);
    }
    long low = 0;
    for (int i = 5; i < 10; i++) {
      low = (low << 8) | (bytes[i] & 0xff);
    }
    appendBase32(sb, high);
    appendBase32(sb, low);
    return sb.toString();
  }

  private static void appendBase32(StringBuilder sb, long fortyBits) {
    for (int shift = 35; shift >= 0; shift -= 5) {
      sb.append(ALPHABET[(int) ((fortyBits >>> shift) & 31)]);
    }
  }

  /** Any other id: a prefix ({@code HO} for a handover) and 80 random bits, as a case id has. */
  public static String newId(String prefix) {
    String caseLike = newCaseId(nl.onderdak.core.model.CaseKind.GUEST);
    return prefix + caseLike.substring(1);
  }

  public static boolean isId(String prefix, String id) {
    return id != null && id.startsWith(prefix + "-") && FORMAT.matcher("G" + id.substring(prefix.length())).matches();
  }

  public static boolean isCaseId(String id) {
    return id != null && FORMAT.matcher(id).matches();
  }
}
