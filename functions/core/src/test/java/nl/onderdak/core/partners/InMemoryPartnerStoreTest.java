package nl.onderdak.core.partners;

import org.junit.jupiter.api.Tag;

/** The fast tier's partner store, held to the contract the DynamoDB one keeps. */
@Tag("fast")
class InMemoryPartnerStoreTest extends PartnerStoreContract {
  private final PartnerStore store = new InMemoryPartnerStore();

  @Override
  protected PartnerStore store() {
    return store;
  }
}
