package nl.onderdak.notifications;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed
 * with the secret's bytes (base64 after {@code whsec_}). With several secrets (a rotation) the header
 * carries one signature per secret, separated by spaces; a receiver accepts any that it can verify.
 */
final class WebhookSigner {
  private WebhookSigner() {}

  static String signatureHeader(List<String> secrets, String webhookId, long timestampSeconds, String body) {
    return secrets.stream().map(s -> "v1," + sign(s, webhookId, timestampSeconds, body))
        .collect(Collectors.joining(" "));
  }

  static String sign(String secret, String webhookId, long timestampSeconds, String body) {
    String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
      byte[] digest = mac.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
