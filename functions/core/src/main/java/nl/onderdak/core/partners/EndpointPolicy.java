package nl.onderdak.core.partners;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where webhooks may go. In AWS: {@code https} on port 443 only, and never to a private, loopback, link-local,
 * metadata or other special-purpose address, checked on the addresses the name resolves to at delivery time (a
 * name that resolved to a public address at onboarding may point inward later), and the delivery connects to the
 * address that was checked. In the local runtime: plain
 * {@code http} to this machine is allowed too, and nothing else, so a laptop talks only to itself.
 */
public final class EndpointPolicy {
  private final boolean local;
  private final Resolver resolver;

  /** How a name becomes addresses: the system's resolver, or a test's. */
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  public EndpointPolicy(boolean local) {
    this(local, InetAddress::getAllByName);
  }

  public EndpointPolicy(boolean local, Resolver resolver) {
    this.local = local;
    this.resolver = resolver;
  }

  /** The local runtime sets {@code ONDERDAK_LOCAL_RUNTIME=true} for every function. */
  public static EndpointPolicy fromEnv() {
    return new EndpointPolicy("true".equals(nl.onderdak.core.support.Env.get("ONDERDAK_LOCAL_RUNTIME")));
  }

  public boolean local() {
    return local;
  }

  /** Why this URL may not be an endpoint, or null when it may. Checks the form only. */
  public String refuseUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return "not a URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (host == null || uri.getUserInfo() != null || uri.getFragment() != null) {
      return "a URL with a host, and no user name or fragment";
    }
    if (scheme.equals("https")) {
      if (local) {
        return isLocalName(host) ? null : "the local runtime only calls this machine (localhost)";
      }
      // Port 443 only: an endpoint may not aim the deliverer at another service on a public address.
      return uri.getPort() == -1 || uri.getPort() == 443 ? null : "https on port 443";
    }
    if (scheme.equals("http") && local && isLocalName(host)) {
      return null;
    }
    return local ? "https, or http to localhost in the local runtime" : "https";
  }

  /**
   * The address blocks a webhook never goes to outside the local runtime, besides loopback, link-local, private
   * and multicast (which {@link InetAddress} recognises): IANA's special-purpose blocks that are not global unicast,
   * and every IPv6 block that carries an IPv4 address inside it (which could be an inward one).
   */
  private static final List<Block> REFUSED = List.of(
      Block.of("0.0.0.0/8", "a 'this network' address"),
      Block.of("100.64.0.0/10", "a carrier-grade NAT address"),
      Block.of("192.0.0.0/24", "an IETF protocol assignment"),
      Block.of("192.0.2.0/24", "a documentation address"),
      Block.of("192.88.99.0/24", "a 6to4 relay address"),
      Block.of("198.18.0.0/15", "a benchmarking address"),
      Block.of("198.51.100.0/24", "a documentation address"),
      Block.of("203.0.113.0/24", "a documentation address"),
      Block.of("240.0.0.0/4", "a reserved address"),
      Block.of("::/96", "an IPv4-compatible IPv6 address"),
      Block.of("::ffff:0:0/96", "an IPv4-mapped IPv6 address"),
      Block.of("64:ff9b::/96", "a NAT64 address"),
      Block.of("64:ff9b:1::/48", "a local NAT64 address"),
      Block.of("100::/64", "a discard-only address"),
      Block.of("2001::/32", "a Teredo address"),
      Block.of("2001:db8::/32", "a documentation address"),
      Block.of("2002::/16", "a 6to4 address"),
      Block.of("fc00::/7", "a unique-local IPv6 address"));

  /** An address block (CIDR) and what it is. */
  record Block(byte[] network, int prefix, String what) {
    static Block of(String cidr, String what) {
      String[] parts = cidr.split("/");
      try {
        return new Block(InetAddress.getByName(parts[0]).getAddress(), Integer.parseInt(parts[1]), what);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(cidr, e);
      }
    }

    boolean contains(byte[] address) {
      if (network.length != address.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((network[bit / 8] & mask) != (address[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Why this address may not be called, or null when it may. For the addresses a name resolved to. */
  public String refuseAddress(InetAddress a) {
    if (local) {
      return a.isLoopbackAddress() ? null : "the local runtime only calls this machine";
    }
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return "a private, loopback, link-local or multicast address";
    }
    byte[] b = a.getAddress();
    for (Block block : REFUSED) {
      if (block.contains(b)) {
        return block.what();
      }
    }
    return null;
  }

  /**
   * Resolves and checks every address of the host; the first allowed address, or an exception saying why not. The
   * deliverer then connects to exactly this address (keeping the name for TLS and the Host header), so a name
   * that resolves elsewhere a moment later (DNS rebinding) is never followed.
   */
  public InetAddress resolve(String host) throws UnknownHostException {
    InetAddress[] all = resolver.resolve(host);
    for (InetAddress a : all) {
      String refusal = refuseAddress(a);
      if (refusal != null) {
        // One inward address is enough to refuse: a name that points both ways is not trusted.
        throw new UnknownHostException(host + " resolves to " + a.getHostAddress() + ", " + refusal);
      }
    }
    return all[0];
  }

  private static boolean isLocalName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
  }
}
