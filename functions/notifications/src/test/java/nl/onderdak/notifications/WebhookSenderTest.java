package nl.onderdak.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The webhook sender connects to the address the policy checked, never to what the name resolves to later, and
 * keeps the name in the Host header; it reads the status and Retry-After of whatever answers.
 */
@Tag("fast")
class WebhookSenderTest {
  private final WebhookSender sender = new WebhookSender();

  @Test
  void itConnectsToTheCheckedAddressAndKeepsTheNameForTheHostHeader() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicReference<String> host = new AtomicReference<>();
    AtomicReference<String> body = new AtomicReference<>();
    AtomicReference<String> path = new AtomicReference<>();
    server.createContext("/", exchange -> {
      host.set(exchange.getRequestHeaders().getFirst("Host"));
      path.set(exchange.getRequestURI().toString());
      body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.getResponseHeaders().set("Retry-After", "120");
      exchange.sendResponseHeaders(429, -1);
      exchange.close();
    });
    server.start();
    try {
      int port = server.getAddress().getPort();
      // .invalid never resolves (RFC 2606): the request can only arrive because the given address was used.
      WebhookSender.Answer answer = sender.send(URI.create("http://hooks.invalid:" + port + "/in/onderdak?x=1"),
          InetAddress.getLoopbackAddress(), List.of(secret()), "msg_1", 1_700_000_000L, "{\"type\":\"t\"}");
      assertEquals(429, answer.status(), String.valueOf(answer.error()));
      assertEquals("120", answer.retryAfter());
      assertEquals("hooks.invalid:" + port, host.get());
      assertEquals("/in/onderdak?x=1", path.get());
      assertEquals("{\"type\":\"t\"}", body.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void whatIsNotAnHttpAnswerIsAnErrorNotAStatus() throws Exception {
    try (ServerSocket garbage = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = garbage.accept(); OutputStream out = s.getOutputStream()) {
          s.getInputStream().read(new byte[4096]);
          out.write("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (Exception ignored) {
          // the test reads what the sender made of it
        }
      });
      t.start();
      WebhookSender.Answer answer = sender.send(URI.create("http://hooks.invalid:" + garbage.getLocalPort() + "/"),
          InetAddress.getLoopbackAddress(), List.of(secret()), "msg_2", 1L, "{}");
      t.join(5_000);
      assertNull(answer.status());
      assertEquals("not an HTTP answer", answer.error());
    }
    // Nobody listening: no status, the reason.
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    WebhookSender.Answer refused = sender.send(URI.create("http://hooks.invalid:" + closed + "/"),
        InetAddress.getLoopbackAddress(), List.of(secret()), "msg_3", 1L, "{}");
    assertNull(refused.status());
    assertTrue(refused.error().startsWith("ConnectException"), refused.error());
  }

  private static String secret() {
    return "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
  }
}
