package nl.onderdak.infra.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Amazon DynamoDB Local, started in this JVM and served over HTTP on a local port, so that the
 * handlers, the tests, the AWS CLI and NoSQL Workbench all talk to the same real engine (streams
 * included). In memory by default; a data folder keeps the tables across restarts.
 *
 * <p>DynamoDB Local leaves non-daemon threads behind even after {@link #close()}: a program that
 * starts it must end with {@code System.exit}.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
  public static final Region REGION = Region.EU_WEST_1;
  /** DynamoDB Local accepts any credentials; -sharedDb makes every client see the same tables. */
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  /** Held so the setting sticks: DynamoDB Local's SDK v1 warns about JAXB on every start, to no purpose. */
  private static final java.util.logging.Logger QUIET_SDK_V1 = java.util.logging.Logger.getLogger("com.amazonaws");

  private final DynamoDBProxyServer server;
  private final int port;
  private final Path dataDir;

  private EmbeddedDynamoDb(DynamoDBProxyServer server, int port, Path dataDir) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
  }

  /** In memory, on a free port. */
  public static EmbeddedDynamoDb startInMemory() {
    return start(0, null);
  }

  /**
   * @param port the port to serve on; 0 picks a free one
   * @param dataDir a folder to keep the tables in, or null for memory only
   */
  public static EmbeddedDynamoDb start(int port, Path dataDir) {
    if (Boolean.getBoolean("onderdak.fastTier")) {
      // mvn -Pfast: a test tagged fast that reaches storage is in the wrong tier.
      throw new IllegalStateException("the fast tier starts no DynamoDB Local: this test needs storage, so it is "
          + "not @Tag(\"fast\")");
    }
    prepareNativeLibraries();
    QUIET_SDK_V1.setLevel(java.util.logging.Level.SEVERE);
    int chosen = port == 0 ? freePort() : port;
    List<String> args = new ArrayList<>(List.of("-port", Integer.toString(chosen), "-sharedDb", "-disableTelemetry"));
    try {
      if (dataDir == null) {
        args.add("-inMemory");
      } else {
        Files.createDirectories(dataDir);
        args.add("-dbPath");
        args.add(dataDir.toAbsolutePath().toString());
      }
      DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
      loopbackOnly(server);
      server.start();
      return new EmbeddedDynamoDb(server, chosen, dataDir);
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not start on port " + chosen + ": " + e.getMessage(), e);
    }
  }

  /**
   * DynamoDB Local has no authentication and no option for the address it listens on: its Jetty server would take
   * every interface, and anyone on the network could scan the personal data and the webhook secrets. So its one
   * connector is bound to the loopback address before it starts. If a later DynamoDB Local changes its insides
   * so that this cannot be done, it does not start at all (fail closed), rather than listen on every interface.
   */
  private static void loopbackOnly(DynamoDBProxyServer server) {
    try {
      java.lang.reflect.Field field = DynamoDBProxyServer.class.getDeclaredField("server");
      field.setAccessible(true);
      org.eclipse.jetty.server.Server jetty = (org.eclipse.jetty.server.Server) field.get(server);
      int bound = 0;
      for (org.eclipse.jetty.server.Connector c : jetty.getConnectors()) {
        if (c instanceof org.eclipse.jetty.server.ServerConnector connector) {
          connector.setHost(LOOPBACK);
          bound++;
        }
      }
      if (bound == 0 || bound != jetty.getConnectors().length) {
        throw new IllegalStateException("unexpected connectors " + java.util.Arrays.toString(jetty.getConnectors()));
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("DynamoDB Local cannot be held to the loopback address, so it is not "
          + "started: " + e, e);
    }
  }

  /** The only address DynamoDB Local listens on. */
  public static final String LOOPBACK = "127.0.0.1";

  public int port() {
    return port;
  }

  public URI endpoint() {
    return URI.create("http://" + LOOPBACK + ":" + port);
  }

  public Path dataDir() {
    return dataDir;
  }

  public DynamoDbClient client() {
    return client(endpoint());
  }

  public DynamoDbStreamsClient streamsClient() {
    return DynamoDbStreamsClient.builder()
        .endpointOverride(endpoint())
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public static DynamoDbClient client(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not stop", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * sqlite4java loads its native library from {@code sqlite4java.library.path}. The libraries travel
   * inside this module's jar (see its pom); copy them to a temporary folder once per JVM.
   */
  private static synchronized void prepareNativeLibraries() {
    if (System.getProperty("sqlite4java.library.path") != null) {
      return;
    }
    try {
      Path target = Files.createTempDirectory("onderdak-sqlite4java");
      target.toFile().deleteOnExit();
      URL marker = EmbeddedDynamoDb.class.getResource("/sqlite4java-native/");
      if (marker == null) {
        throw new IllegalStateException("sqlite4java native libraries are missing from the classpath");
      }
      if (marker.getProtocol().equals("file")) {
        try (var files = Files.list(Path.of(marker.toURI()))) {
          for (Path lib : (Iterable<Path>) files::iterator) {
            Files.copy(lib, target.resolve(lib.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      } else {
        String jarPath = marker.getPath().substring("file:".length(), marker.getPath().indexOf("!"));
        try (JarFile jar = new JarFile(Path.of(URI.create("file:" + jarPath)).toFile())) {
          var entries = jar.entries();
          while (entries.hasMoreElements()) {
            var entry = entries.nextElement();
            if (entry.getName().startsWith("sqlite4java-native/") && !entry.isDirectory()) {
              String name = entry.getName().substring("sqlite4java-native/".length());
              try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
              }
            }
          }
        }
      }
      try (var files = Files.list(target)) {
        files.forEach(f -> f.toFile().deleteOnExit());
      }
      System.setProperty("sqlite4java.library.path", target.toString());
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare sqlite4java native libraries", e);
    }
  }
}
