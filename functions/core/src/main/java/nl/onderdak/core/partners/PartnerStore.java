package nl.onderdak.core.partners;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Partner organisations, their API keys and their webhook endpoints: onboarding, key rotation and revocation,
 * the authorizer's lookup, endpoints and their signing secrets. {@link DynamoPartnerStore} keeps them in the
 * partners table (the proof of storage); the fast tests use an in-memory one of the same rules
 * ({@code InMemoryPartnerStore}, in this module's test artifact), and {@code PartnerStoreContract} holds both to
 * the same behaviour. The rules of keys and secrets are {@link Credentials}'.
 *
 * <p>A rotated key keeps working until the overlap ends; a revoked one stops at once. Only the hash of a key is
 * kept; the key itself is shown once, when it is made. Likewise a signing secret is shown once.
 */
public interface PartnerStore {
  /** A key as the partner receives it: once. */
  record IssuedKey(String keyId, String apiKey, Instant createdAt) {}

  record Created(Partner partner, IssuedKey key) {}

  /** An endpoint with a new signing secret ({@code whsec_…}), shown once. */
  record IssuedEndpoint(String endpointId, String url, String secret) {}

  /** A new organisation with its first key; the routing learns that it holds these roles in these regions. */
  Created create(String name, Set<Role> roles, Set<String> regions, Instant at);

  /**
   * A new key for the partner. Every other key still valid keeps working for {@code overlap} (so the partner can
   * switch without downtime), then stops. Empty for an unknown partner.
   */
  Optional<IssuedKey> rotateKey(String partnerId, Duration overlap, Instant at);

  /** Stops a key at once. False when the partner has no such key. */
  boolean revokeKey(String partnerId, String keyId, Instant at);

  /** The partner a presented key belongs to, if the key is known, not revoked and not past its overlap. */
  Optional<String> authenticate(String presentedKey, Instant now);

  Optional<Partner> find(String partnerId);

  /** Sets how the public reaches the organisation (its desk, not a person); false when there is no such partner. */
  boolean setPublicContact(String partnerId, PublicContact contact, Instant at);

  /** The organisation's name and public contact, for the registrants' own pages; empty when there is none. */
  Optional<PublicContact.Profile> publicProfile(String partnerId);

  /** Every partner (a programme has tens, not thousands). */
  List<Partner> all();

  /** Empty for an unknown partner. */
  Optional<IssuedEndpoint> addEndpoint(String partnerId, String url, Set<String> events, Instant at);

  /** A new secret for an endpoint; the previous ones keep signing until {@code overlap} ends. */
  Optional<String> rotateSecret(String partnerId, String endpointId, Duration overlap, Instant at);

  /** Turns an endpoint off (it answered 410 Gone) or on again (an operator re-enabled it). */
  boolean setEndpointDisabled(String partnerId, String endpointId, boolean disabled, String reason, Instant at);

  // ------------------------------------------------------------------ offboarding

  /**
   * Disables an organisation, or enables it again: while disabled its keys do not work (at once: the same write),
   * it is told nothing, and the routing no longer gives it new cases (its rules are passed over, and it is no
   * longer a holder of its roles). False for an unknown partner.
   */
  boolean setDisabled(String partnerId, boolean disabled, String reason, Instant at);

  /** What the organisation does and where; the routing's holders follow in the same write. Empty if unknown. */
  Optional<Partner> change(String partnerId, Set<Role> roles, Set<String> regions, Instant at);

  /** Removes an endpoint: nothing more is sent to it. False when there is no such endpoint. */
  boolean deleteEndpoint(String partnerId, String endpointId, Instant at);

  /** What became of a deletion. */
  enum Deleted { DELETED, NOT_FOUND, NOT_DISABLED }

  /**
   * Deletes a disabled organisation: its record, its keys and its place in the routing. An enabled one is not
   * deleted ({@link Deleted#NOT_DISABLED}): disabling first stops it at once, and gives time to hand over its cases.
   */
  Deleted delete(String partnerId, Instant at);
}
