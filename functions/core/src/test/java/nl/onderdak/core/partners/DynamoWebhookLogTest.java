package nl.onderdak.core.partners;

import nl.onderdak.core.storage.StorageFixture;

/** The webhook log on DynamoDB Local: the proof of storage the in-memory one is held to. */
class DynamoWebhookLogTest extends WebhookLogContract {
  @Override
  protected WebhookLog log() {
    return new DynamoWebhookLog(StorageFixture.client(), StorageFixture.tables().partners());
  }
}
