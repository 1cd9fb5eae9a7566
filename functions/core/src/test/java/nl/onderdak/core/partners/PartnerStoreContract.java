package nl.onderdak.core.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PartnerStore} does, whatever keeps it: {@code DynamoPartnerStoreTest} runs it on DynamoDB
 * Local, {@code InMemoryPartnerStoreTest} on the fast tier's store, so that a handler test on the one says what
 * the other would do.
 */
public abstract class PartnerStoreContract {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  protected abstract PartnerStore store();

  private PartnerStore.Created created(PartnerStore store) {
    return store.create("Contract " + System.nanoTime(), Set.of(Role.SCREENING, Role.GUEST_SUPPORT), Set.of("PV26"), NOW);
  }

  @Test
  void aNewOrganisationIsFoundAndListedWithItsRolesAndRegions() {
    PartnerStore store = store();
    PartnerStore.Created c = created(store);
    Partner found = store.find(c.partner().id()).orElseThrow();
    assertEquals(c.partner().name(), found.name());
    assertEquals(Set.of(Role.SCREENING, Role.GUEST_SUPPORT), found.roles());
    assertEquals(Set.of("PV26"), found.regions());
    assertEquals(List.of(), found.endpoints());
    assertTrue(store.all().stream().anyMatch(p -> p.id().equals(c.partner().id())));
    assertEquals(Optional.empty(), store.find("P-NOBODY"));
  }

  @Test
  void aKeyWorksUntilRotatedAwayOrRevokedAndNothingElseWorks() {
    PartnerStore store = store();
    PartnerStore.Created c = created(store);
    String id = c.partner().id();
    String first = c.key().apiKey();
    assertTrue(first.startsWith("odk_"));
    assertEquals(Optional.of(id), store.authenticate(first, NOW));
    assertEquals(Optional.empty(), store.authenticate(first + "x", NOW));
    assertEquals(Optional.empty(), store.authenticate(first.substring(4), NOW), "not a key's shape");
    assertEquals(Optional.empty(), store.authenticate("odk_" + "x".repeat(100), NOW), "too long to be a key");
    assertEquals(Optional.empty(), store.authenticate(null, NOW));

    PartnerStore.IssuedKey second = store.rotateKey(id, Duration.ofHours(2), NOW).orElseThrow();
    assertEquals(Optional.of(id), store.authenticate(first, NOW.plus(Duration.ofHours(1))), "during the overlap");
    assertEquals(Optional.empty(), store.authenticate(first, NOW.plus(Duration.ofHours(2))), "at its end");
    assertEquals(Optional.of(id), store.authenticate(second.apiKey(), NOW.plus(Duration.ofDays(400))));
    // A later rotation with a longer overlap does not lengthen the first key's end.
    store.rotateKey(id, Duration.ofHours(24), NOW.plus(Duration.ofMinutes(1))).orElseThrow();
    assertEquals(Optional.empty(), store.authenticate(first, NOW.plus(Duration.ofHours(3))));
    assertEquals(Optional.of(id), store.authenticate(second.apiKey(), NOW.plus(Duration.ofHours(3))));

    assertTrue(store.revokeKey(id, second.keyId(), NOW));
    assertEquals(Optional.empty(), store.authenticate(second.apiKey(), NOW), "a revoked key stops at once");
    assertFalse(store.revokeKey(id, "NOPE", NOW));
    assertEquals(Optional.empty(), store.rotateKey("P-NOBODY", Duration.ZERO, NOW));
  }

  @Test
  void anEndpointSignsWithItsNewestSecretAndTheOldOnesUntilTheOverlapEnds() {
    PartnerStore store = store();
    String id = created(store).partner().id();
    PartnerStore.IssuedEndpoint e = store.addEndpoint(id, "https://hooks.example.org/onderdak",
        Set.of("match.proposed", "case.assigned"), Instant.now()).orElseThrow();
    assertTrue(e.secret().startsWith("whsec_"));
    Partner.Endpoint shown = store.find(id).orElseThrow().endpoints().get(0);
    assertEquals(e.endpointId(), shown.id());
    assertEquals("https://hooks.example.org/onderdak", shown.url());
    assertEquals(Set.of("match.proposed", "case.assigned"), shown.events());
    assertEquals(List.of(e.secret()), shown.secrets());
    assertFalse(shown.disabled());

    String second = store.rotateSecret(id, e.endpointId(), Duration.ofHours(1), Instant.now()).orElseThrow();
    assertEquals(List.of(second, e.secret()), store.find(id).orElseThrow().endpoints().get(0).secrets(),
        "the newest first, the old one during the overlap");
    String third = store.rotateSecret(id, e.endpointId(), Duration.ZERO, Instant.now()).orElseThrow();
    assertEquals(List.of(third, e.secret()), store.find(id).orElseThrow().endpoints().get(0).secrets(),
        "without overlap the one replaced stops at once; the first keeps its own end");
    assertEquals(Optional.empty(), store.rotateSecret(id, "E-NOPE", Duration.ZERO, Instant.now()));
    assertEquals(Optional.empty(), store.addEndpoint("P-NOBODY", "https://x.example.org", Set.of(), Instant.now()));
  }

  @Test
  void anEndpointIsDisabledWithItsReasonAndEnabledAgainWithout() {
    PartnerStore store = store();
    String id = created(store).partner().id();
    String endpoint = store.addEndpoint(id, "https://hooks.example.org/a", Set.of("match.proposed"), NOW)
        .orElseThrow().endpointId();
    assertTrue(store.setEndpointDisabled(id, endpoint, true, "gone", NOW));
    Partner.Endpoint off = store.find(id).orElseThrow().endpoints().get(0);
    assertTrue(off.disabled());
    assertEquals("gone", off.disabledReason());
    assertFalse(off.wants("match.proposed"), "a disabled endpoint wants nothing");
    assertTrue(store.setEndpointDisabled(id, endpoint, false, null, NOW));
    Partner.Endpoint on = store.find(id).orElseThrow().endpoints().get(0);
    assertFalse(on.disabled());
    assertEquals(null, on.disabledReason());
    assertFalse(store.setEndpointDisabled(id, "E-NOPE", true, "gone", NOW));
  }

  @Test
  void aDisabledOrganisationsKeysStopAtOnceAndWorkAgainWhenEnabled() {
    PartnerStore store = store();
    PartnerStore.Created c = created(store);
    String id = c.partner().id();
    PartnerStore.IssuedKey second = store.rotateKey(id, Duration.ofDays(1), NOW).orElseThrow();
    assertTrue(store.setDisabled(id, true, "offboarded", NOW));
    assertTrue(store.find(id).orElseThrow().disabled());
    assertEquals(Optional.empty(), store.authenticate(c.key().apiKey(), NOW), "every key stops");
    assertEquals(Optional.empty(), store.authenticate(second.apiKey(), NOW));
    assertTrue(store.setDisabled(id, true, "offboarded", NOW), "disabling twice changes nothing");
    assertTrue(store.setDisabled(id, false, null, NOW));
    assertFalse(store.find(id).orElseThrow().disabled());
    assertEquals(Optional.of(id), store.authenticate(second.apiKey(), NOW), "and works again when enabled");
    assertFalse(store.setDisabled("P-NOBODY", true, "offboarded", NOW));
  }

  @Test
  void rolesAndRegionsChangeAndAnEndpointIsDeleted() {
    PartnerStore store = store();
    String id = created(store).partner().id();
    Partner changed = store.change(id, Set.of(Role.PLACEMENT_REVIEW), Set.of("PV27", "PV28"), NOW).orElseThrow();
    assertEquals(Set.of(Role.PLACEMENT_REVIEW), changed.roles());
    assertEquals(Set.of("PV27", "PV28"), changed.regions());
    assertEquals(changed, store.find(id).orElseThrow());
    String endpoint = store.addEndpoint(id, "https://hooks.example.org/a", Set.of("match.proposed"), NOW)
        .orElseThrow().endpointId();
    assertTrue(store.deleteEndpoint(id, endpoint, NOW));
    assertEquals(List.of(), store.find(id).orElseThrow().endpoints());
    assertFalse(store.deleteEndpoint(id, endpoint, NOW), "already gone");
    assertEquals(Optional.empty(), store.change("P-NOBODY", Set.of(Role.SCREENING), Set.of("PV26"), NOW));
  }

  @Test
  void onlyADisabledOrganisationIsDeletedAndThenItAndItsKeysAreGone() {
    PartnerStore store = store();
    PartnerStore.Created c = created(store);
    String id = c.partner().id();
    assertEquals(PartnerStore.Deleted.NOT_DISABLED, store.delete(id, NOW));
    assertTrue(store.find(id).isPresent());
    store.setDisabled(id, true, "offboarded", NOW);
    assertEquals(PartnerStore.Deleted.DELETED, store.delete(id, NOW));
    assertEquals(Optional.empty(), store.find(id));
    assertTrue(store.all().stream().noneMatch(p -> p.id().equals(id)));
    assertEquals(Optional.empty(), store.authenticate(c.key().apiKey(), NOW));
    assertEquals(PartnerStore.Deleted.NOT_FOUND, store.delete(id, NOW));
  }
}
