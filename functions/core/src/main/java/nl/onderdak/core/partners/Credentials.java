package nl.onderdak.core.partners;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import nl.onderdak.core.support.Secrets;

/**
 * The rules of partners' API keys and webhook signing secrets, whatever keeps them: how ids, keys and secrets
 * are made, when a key works, what a rotation does to the keys and secrets before it. Shared by every
 * {@link PartnerStore}, so that the fast tests' store cannot drift from the real one's rules.
 */
public final class Credentials {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private Credentials() {}

  /** One signing secret of an endpoint; {@code notAfter} is set once a newer one replaced it. */
  public record Secret(String value, Instant createdAt, Instant notAfter) {
    /** Whether it still signs at {@code now}. */
    public boolean signs(Instant now) {
      return notAfter == null || notAfter.isAfter(now);
    }
  }

  public static String newPartnerId() {
    return "P-" + randomId(10);
  }

  public static String newEndpointId() {
    return "E-" + randomId(8);
  }

  public static PartnerStore.IssuedKey newKey(Instant at) {
    String keyId = randomId(8);
    return new PartnerStore.IssuedKey(keyId, "odk_" + keyId + "_" + Secrets.newToken(), at);
  }

  /** What a key is kept as: its SHA-256, never the key. */
  public static String keyHash(String apiKey) {
    return Secrets.sha256Hex(apiKey);
  }

  /** Whether a presented string could be a key at all (before anything is looked up). */
  public static boolean couldBeKey(String presented) {
    return presented != null && presented.startsWith("odk_") && presented.length() <= 100;
  }

  /** Whether a known key works at {@code now}. */
  public static boolean keyWorks(boolean revoked, Instant notAfter, Instant now) {
    return !revoked && (notAfter == null || now.isBefore(notAfter));
  }

  /**
   * When another key is made at {@code at}: the end this key gets, or null when it keeps what it has (revoked,
   * or already ending before the overlap would).
   */
  public static Instant endAfterRotation(boolean revoked, Instant notAfter, Instant at, Duration overlap) {
    Instant end = at.plus(overlap);
    if (revoked || (notAfter != null && notAfter.isBefore(end))) {
      return null;
    }
    return end;
  }

  /** Standard Webhooks secrets: {@code whsec_} and base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "whsec_" + Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * An endpoint's secrets after {@code fresh} is made at {@code at}: the new one first, then those before it that
   * still sign, each ending at the overlap's end unless it ended already.
   */
  public static List<Secret> afterSecretRotation(List<Secret> before, String fresh, Instant at, Duration overlap) {
    List<Secret> out = new ArrayList<>();
    out.add(new Secret(fresh, at, null));
    for (Secret old : before) {
      Secret ending = old.notAfter() == null ? new Secret(old.value(), old.createdAt(), at.plus(overlap)) : old;
      if (ending.notAfter().isAfter(at)) {
        out.add(ending);
      }
    }
    return out;
  }

  private static String randomId(int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
