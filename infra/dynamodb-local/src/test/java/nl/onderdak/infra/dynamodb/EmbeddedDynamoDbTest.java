package nl.onderdak.infra.dynamodb;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** DynamoDB Local has no authentication: it must be reachable from this machine only. */
class EmbeddedDynamoDbTest {
  @Test
  void itListensOnTheLoopbackAddressOnly() throws Exception {
    InetAddress outward = null;
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (ni.isUp() && !a.isLoopbackAddress() && a instanceof Inet4Address) {
          outward = a;
        }
      }
    }
    Assumptions.assumeTrue(outward != null, "this machine has no address besides the loopback one");
    try (EmbeddedDynamoDb engine = EmbeddedDynamoDb.startInMemory()) {
      try (Socket local = new Socket()) {
        local.connect(new InetSocketAddress(EmbeddedDynamoDb.LOOPBACK, engine.port()), 2_000);
        assertTrue(local.isConnected());
      }
      InetAddress other = outward;
      assertThrows(IOException.class, () -> {
        try (Socket remote = new Socket()) {
          remote.connect(new InetSocketAddress(other, engine.port()), 2_000);
        }
      }, "DynamoDB Local answered on " + other);
      // And it works: a table listing over the loopback endpoint.
      assertTrue(engine.client().listTables().tableNames() != null);
    }
  }
}
