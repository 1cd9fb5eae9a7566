package nl.onderdak.core.partners;

import java.util.List;
import java.util.Set;

/**
 * A partner organisation: what it does ({@link Role}s), where (province codes), and where it wants to
 * be told ({@link Endpoint}s). A disabled one (offboarded, or stopped while something is looked into) has no
 * working key, is told nothing and is given no new case.
 */
public record Partner(String id, String name, Set<Role> roles, Set<String> regions, List<Endpoint> endpoints,
    boolean disabled) {

  public Partner(String id, String name, Set<Role> roles, Set<String> regions, List<Endpoint> endpoints) {
    this(id, name, roles, regions, endpoints, false);
  }

  public boolean has(Role role, String region) {
    return roles.contains(role) && region != null && regions.contains(region);
  }

  /**
   * A webhook endpoint. {@code secrets} are {@code whsec_…} values, newest first: during a rotation
   * every delivery is signed with each of them, so the receiver can switch at its own pace.
   */
  public record Endpoint(String id, String url, Set<String> events, List<String> secrets, boolean disabled,
      String disabledReason) {
    public boolean wants(String eventType) {
      return !disabled && events.contains(eventType);
    }
  }
}
