package nl.onderdak.core.partners;

import org.junit.jupiter.api.Tag;

/** The fast tier's webhook log, held to the contract the DynamoDB one keeps. */
@Tag("fast")
class InMemoryWebhookLogTest extends WebhookLogContract {
  private final WebhookLog log = new InMemoryWebhookLog();

  @Override
  protected WebhookLog log() {
    return log;
  }
}
