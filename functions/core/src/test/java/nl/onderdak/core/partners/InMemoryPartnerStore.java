package nl.onderdak.core.partners;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link PartnerStore} in memory, for the fast tier: the rules are {@link Credentials}', as in
 * {@link DynamoPartnerStore}, and {@link PartnerStoreContract} holds the two to the same behaviour. What it does
 * not do: tell the routing which roles an organisation holds, or that it is disabled (that is the DynamoDB store's
 * transaction with the routing item; no routing lives here).
 */
public final class InMemoryPartnerStore implements PartnerStore {
  private static final class EndpointRow {
    final String id;
    final String url;
    final Set<String> events;
    List<Credentials.Secret> secrets = new ArrayList<>();
    boolean disabled;
    String disabledReason;

    EndpointRow(String id, String url, Set<String> events) {
      this.id = id;
      this.url = url;
      this.events = events;
    }
  }

  private static final class PartnerRow {
    final String id;
    final String name;
    Set<Role> roles;
    Set<String> regions;
    final List<EndpointRow> endpoints = new ArrayList<>();
    boolean disabled;

    PartnerRow(String id, String name, Set<Role> roles, Set<String> regions) {
      this.id = id;
      this.name = name;
      this.roles = roles;
      this.regions = regions;
    }
  }

  private static final class KeyRow {
    final String partnerId;
    final String keyId;
    boolean revoked;
    Instant notAfter;

    KeyRow(String partnerId, String keyId) {
      this.partnerId = partnerId;
      this.keyId = keyId;
    }
  }

  private final Map<String, PartnerRow> partners = new LinkedHashMap<>();
  /** By the key's hash, as the real store looks keys up: the key itself is kept nowhere. */
  private final Map<String, KeyRow> keys = new LinkedHashMap<>();

  @Override
  public synchronized Created create(String name, Set<Role> roles, Set<String> regions, Instant at) {
    String id = Credentials.newPartnerId();
    IssuedKey key = Credentials.newKey(at);
    partners.put(id, new PartnerRow(id, name, Set.copyOf(roles), new LinkedHashSet<>(regions)));
    keys.put(Credentials.keyHash(key.apiKey()), new KeyRow(id, key.keyId()));
    return new Created(new Partner(id, name, roles, regions, List.of()), key);
  }

  @Override
  public synchronized Optional<IssuedKey> rotateKey(String partnerId, Duration overlap, Instant at) {
    if (!partners.containsKey(partnerId)) {
      return Optional.empty();
    }
    IssuedKey key = Credentials.newKey(at);
    for (KeyRow k : keys.values()) {
      if (k.partnerId.equals(partnerId)) {
        Instant end = Credentials.endAfterRotation(k.revoked, k.notAfter, at, overlap);
        if (end != null) {
          k.notAfter = end;
        }
      }
    }
    keys.put(Credentials.keyHash(key.apiKey()), new KeyRow(partnerId, key.keyId()));
    return Optional.of(key);
  }

  @Override
  public synchronized boolean revokeKey(String partnerId, String keyId, Instant at) {
    for (KeyRow k : keys.values()) {
      if (k.partnerId.equals(partnerId) && k.keyId.equals(keyId)) {
        k.revoked = true;
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized Optional<String> authenticate(String presentedKey, Instant now) {
    if (!Credentials.couldBeKey(presentedKey)) {
      return Optional.empty();
    }
    KeyRow k = keys.get(Credentials.keyHash(presentedKey));
    boolean works = k != null && Credentials.keyWorks(k.revoked, k.notAfter, now) && !partners.get(k.partnerId).disabled;
    return works ? Optional.of(k.partnerId) : Optional.empty();
  }

  @Override
  public synchronized Optional<Partner> find(String partnerId) {
    PartnerRow p = partners.get(partnerId);
    return p == null ? Optional.empty() : Optional.of(partner(p));
  }

  @Override
  public synchronized boolean setPublicContact(String partnerId, PublicContact contact, Instant at) {
    if (find(partnerId).isEmpty()) {
      return false;
    }
    contacts.put(partnerId, contact);
    return true;
  }

  @Override
  public synchronized Optional<PublicContact.Profile> publicProfile(String partnerId) {
    return find(partnerId).map(p -> new PublicContact.Profile(p.name(), contacts.get(partnerId)));
  }

  private final Map<String, PublicContact> contacts = new java.util.HashMap<>();

  @Override
  public synchronized List<Partner> all() {
    return partners.values().stream().map(InMemoryPartnerStore::partner).toList();
  }

  @Override
  public synchronized Optional<IssuedEndpoint> addEndpoint(String partnerId, String url, Set<String> events,
      Instant at) {
    PartnerRow p = partners.get(partnerId);
    if (p == null) {
      return Optional.empty();
    }
    EndpointRow e = new EndpointRow(Credentials.newEndpointId(), url, new LinkedHashSet<>(events));
    String secret = Credentials.newSecret();
    e.secrets.add(new Credentials.Secret(secret, at, null));
    p.endpoints.add(e);
    return Optional.of(new IssuedEndpoint(e.id, url, secret));
  }

  @Override
  public synchronized Optional<String> rotateSecret(String partnerId, String endpointId, Duration overlap,
      Instant at) {
    EndpointRow e = endpoint(partnerId, endpointId);
    if (e == null) {
      return Optional.empty();
    }
    String secret = Credentials.newSecret();
    e.secrets = Credentials.afterSecretRotation(e.secrets, secret, at, overlap);
    return Optional.of(secret);
  }

  @Override
  public synchronized boolean setEndpointDisabled(String partnerId, String endpointId, boolean disabled,
      String reason, Instant at) {
    EndpointRow e = endpoint(partnerId, endpointId);
    if (e == null) {
      return false;
    }
    e.disabled = disabled;
    e.disabledReason = disabled ? reason : null;
    return true;
  }

  @Override
  public synchronized boolean setDisabled(String partnerId, boolean disabled, String reason, Instant at) {
    PartnerRow p = partners.get(partnerId);
    if (p == null) {
      return false;
    }
    p.disabled = disabled;
    return true;
  }

  @Override
  public synchronized Optional<Partner> change(String partnerId, Set<Role> roles, Set<String> regions, Instant at) {
    PartnerRow p = partners.get(partnerId);
    if (p == null) {
      return Optional.empty();
    }
    p.roles = Set.copyOf(roles);
    p.regions = new LinkedHashSet<>(regions);
    return Optional.of(partner(p));
  }

  @Override
  public synchronized boolean deleteEndpoint(String partnerId, String endpointId, Instant at) {
    PartnerRow p = partners.get(partnerId);
    return p != null && p.endpoints.removeIf(e -> e.id.equals(endpointId));
  }

  @Override
  public synchronized Deleted delete(String partnerId, Instant at) {
    PartnerRow p = partners.get(partnerId);
    if (p == null) {
      return Deleted.NOT_FOUND;
    }
    if (!p.disabled) {
      return Deleted.NOT_DISABLED;
    }
    partners.remove(partnerId);
    keys.values().removeIf(k -> k.partnerId.equals(partnerId));
    return Deleted.DELETED;
  }

  private EndpointRow endpoint(String partnerId, String endpointId) {
    PartnerRow p = partners.get(partnerId);
    if (p == null) {
      return null;
    }
    return p.endpoints.stream().filter(e -> e.id.equals(endpointId)).findFirst().orElse(null);
  }

  private static Partner partner(PartnerRow p) {
    Instant now = Instant.now();
    List<Partner.Endpoint> endpoints = new ArrayList<>();
    for (EndpointRow e : p.endpoints) {
      List<String> signing = e.secrets.stream().filter(s -> s.signs(now)).map(Credentials.Secret::value).toList();
      endpoints.add(new Partner.Endpoint(e.id, e.url, new LinkedHashSet<>(e.events), signing, e.disabled,
          e.disabledReason));
    }
    return new Partner(p.id, p.name, p.roles, new LinkedHashSet<>(p.regions), endpoints, p.disabled);
  }
}
