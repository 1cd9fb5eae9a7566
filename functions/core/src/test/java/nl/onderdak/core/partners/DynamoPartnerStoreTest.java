package nl.onderdak.core.partners;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import nl.onderdak.core.chain.Routing;
import nl.onderdak.core.chain.RoutingStore;
import nl.onderdak.core.storage.StorageFixture;
import org.junit.jupiter.api.Test;

/**
 * The partner store on DynamoDB Local: the proof of storage the in-memory one is held to, and what only storage
 * can show: the key itself is kept nowhere, and onboarding tells the routing in the same transaction.
 */
class DynamoPartnerStoreTest extends PartnerStoreContract {
  @Override
  protected PartnerStore store() {
    return new DynamoPartnerStore(StorageFixture.client(), StorageFixture.tables().partners());
  }

  @Test
  void onlyTheHashOfAKeyIsStored() {
    PartnerStore.Created c = store().create("Hashed", Set.of(Role.SCREENING), Set.of("PV26"), Instant.now());
    StorageFixture.client().scanPaginator(b -> b.tableName(StorageFixture.tables().partners())).items()
        .forEach(item -> item.values().forEach(v -> assertFalse(c.key().apiKey().equals(v.s()),
            "the key itself is stored nowhere")));
  }

  @Test
  void onboardingTellsTheRoutingWhichRolesTheOrganisationHoldsWhere() {
    String id = store().create("Two provinces", Set.of(Role.GUEST_SUPPORT, Role.SCREENING), Set.of("PV22", "PV23"),
        Instant.now()).partner().id();
    Routing routing = new RoutingStore(StorageFixture.client(), StorageFixture.tables().partners()).read();
    for (String province : List.of("PV22", "PV23")) {
      assertTrue(routing.holding(Role.GUEST_SUPPORT, province).contains(id), province);
      assertTrue(routing.holding(Role.SCREENING, province).contains(id), province);
    }
    assertFalse(routing.holding(Role.PLACEMENT_REVIEW, "PV22").contains(id));
    assertFalse(routing.holding(Role.GUEST_SUPPORT, "PV24").contains(id));
  }

  @Test
  void aDisabledOrganisationIsNoLongerChosenByTheRoutingAndIsAgainWhenEnabled() {
    PartnerStore store = store();
    String id = store.create("Disabled later", Set.of(Role.SCREENING), Set.of("PV21"), Instant.now()).partner().id();
    RoutingStore routing = new RoutingStore(StorageFixture.client(), StorageFixture.tables().partners());
    assertTrue(routing.read().holding(Role.SCREENING, "PV21").contains(id));
    store.setDisabled(id, true, "offboarded", Instant.now());
    Routing off = routing.read();
    assertFalse(off.holding(Role.SCREENING, "PV21").contains(id), "no longer a holder");
    assertTrue(off.disabled().contains(id), "its rules are passed over");
    store.setDisabled(id, false, null, Instant.now());
    assertTrue(routing.read().holding(Role.SCREENING, "PV21").contains(id));
    assertFalse(routing.read().disabled().contains(id));
    // A change of regions moves its holdings with it.
    store.change(id, Set.of(Role.SCREENING), Set.of("PV20"), Instant.now());
    assertFalse(routing.read().holding(Role.SCREENING, "PV21").contains(id));
    assertTrue(routing.read().holding(Role.SCREENING, "PV20").contains(id));
  }
}
