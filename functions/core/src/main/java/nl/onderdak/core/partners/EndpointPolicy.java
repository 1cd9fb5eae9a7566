package nl.onderdak.core.partners;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may go. In AWS: {@code https} only, and never to a private, loopback, link-local or
 * metadata address, checked on the addresses the name resolves to at delivery time (a name that
 * resolved to a public address at onboarding may point inward later). In the local runtime: plain
 * {@code http} to this machine is allowed too, and nothing else, so a laptop talks only to itself.
 */
public final class EndpointPolicy {
  private final boolean local;

  public EndpointPolicy(boolean local) {
    this.local = local;
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
      return local && !isLocalName(host) ? "the local runtime only calls this machine (localhost)" : null;
    }
    if (scheme.equals("http") && local && isLocalName(host)) {
      return null;
    }
    return local ? "https, or http to localhost in the local runtime" : "https";
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
    if (a instanceof Inet6Address) {
      // fc00::/7 unique local (includes the EC2 metadata address fd00:ec2::254).
      if ((b[0] & 0xFE) == 0xFC) {
        return "a unique-local IPv6 address";
      }
    } else if ((b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64) {
      return "a carrier-grade NAT address"; // 100.64.0.0/10
    } else if ((b[0] & 0xFF) == 0) {
      return "a 'this network' address";
    }
    return null;
  }

  /** Resolves and checks every address of the host; the first allowed address, or an exception saying why not. */
  public InetAddress resolve(String host) throws UnknownHostException {
    InetAddress[] all = InetAddress.getAllByName(host);
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
