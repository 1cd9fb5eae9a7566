package nl.onderdak.notifications;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One POST of a webhook to an endpoint, signed as Standard Webhooks says, with the same {@code webhook-id} on every
 * attempt, sent to <em>the address the endpoint policy checked</em>: the connection is opened to that address, and
 * the name is used only where it belongs (TLS: server name indication and the certificate's check; HTTP: the
 * {@code Host} header). The JDK's HTTP client resolves a name again itself, so a name that resolved to a public
 * address for the check could resolve inward for the call (DNS rebinding); hence this small HTTP/1.1 client of our
 * own, for exactly one request and its status line and headers. Redirects are never followed (a 3xx is an answer
 * like any other): they could lead where the checks did not look.
 */
final class WebhookSender {
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The most of an answer's head that is read; the body is not read at all. */
  private static final int MAX_HEAD = 16 * 1024;

  /** What the endpoint answered: a status (with its Retry-After), or why none came. */
  record Answer(Integer status, String retryAfter, String error, long millis) {
    String text() {
      return status != null ? "status " + status : error;
    }
  }

  /** @param address where to connect: the address {@code uri}'s host resolved to when it was checked */
  Answer send(URI uri, InetAddress address, List<String> secrets, String webhookId, long timestampSeconds,
      String body) {
    long started = System.nanoTime();
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    String head = "POST " + path + " HTTP/1.1\r\n"
        + "Host: " + host + (uri.getPort() == -1 ? "" : ":" + port) + "\r\n"
        + "Content-Type: application/json\r\n"
        + "User-Agent: Onderdak-Webhooks/1\r\n"
        + "webhook-id: " + webhookId + "\r\n"
        + "webhook-timestamp: " + timestampSeconds + "\r\n"
        + "webhook-signature: " + WebhookSigner.signatureHeader(secrets, webhookId, timestampSeconds, body) + "\r\n"
        + "Content-Length: " + payload.length + "\r\n"
        + "Connection: close\r\n\r\n";
    Socket plain = new Socket();
    try (plain) {
      plain.connect(new InetSocketAddress(address, port), (int) CONNECT_TIMEOUT.toMillis());
      plain.setSoTimeout((int) TIMEOUT.toMillis());
      Socket socket = tls ? secure(plain, host, port) : plain;
      try (socket) {
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.flush();
        return answer(socket.getInputStream(), started);
      }
    } catch (SocketTimeoutException e) {
      return new Answer(null, null, "timeout after " + TIMEOUT.toSeconds() + " s", millisSince(started));
    } catch (IOException | RuntimeException e) {
      return new Answer(null, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          millisSince(started));
    }
  }

  /** TLS over the connection already open to the checked address, for the endpoint's name: SNI and certificate. */
  private static SSLSocket secure(Socket plain, String host, int port) throws IOException {
    SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
        .createSocket(plain, host, port, true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(host)));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** The status line and headers of the answer: its status and Retry-After. */
  private static Answer answer(InputStream in, long started) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : b == '\r' ? 1 : 0;
      if (head.size() > MAX_HEAD) {
        return new Answer(null, null, "an answer head longer than " + MAX_HEAD + " bytes", millisSince(started));
      }
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] status = lines.length == 0 ? new String[0] : lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !status[1].matches("\\d{3}")) {
      return new Answer(null, null, "not an HTTP answer", millisSince(started));
    }
    String retryAfter = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("retry-after")) {
        retryAfter = lines[i].substring(colon + 1).trim();
      }
    }
    return new Answer(Integer.parseInt(status[1]), retryAfter, null, millisSince(started));
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
