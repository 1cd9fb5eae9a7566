package nl.onderdak.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import nl.onderdak.function.Wiring;
import nl.onderdak.function.batch.QueueBatch;

/**
 * Delivers webhooks from the queue ({@link WebhookDelivery}), ten at a time; a message not finished with (to be
 * retried) is reported, so it comes back when the wait its attempt set on it is over ({@link RetrySchedule}).
 */
public final class WebhookDeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final QueueBatch batch = new QueueBatch("webhook-delivery", 10);
  private final WebhookDelivery delivery;

  public WebhookDeliveryHandler() {
    this(Wiring.fromEnv());
    // SnapStart: parsing a message and looking up its endpoint, of a partner that does not exist (nothing sent).
    nl.onderdak.function.Priming.register("WebhookDeliveryHandler", delivery::prime);
  }

  WebhookDeliveryHandler(Wiring wiring) {
    this(new WebhookDelivery(wiring.partners(), wiring.webhookLog(), WebhookQueue.fromEnv(wiring),
        wiring.endpointPolicy(), RetrySchedule.scaled(wiring.get("WEBHOOK_RETRY_SCALE")), new WebhookSender(),
        wiring.clock(), java.time.Clock.systemUTC()));
  }

  WebhookDeliveryHandler(WebhookDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return batch.process(event, m -> delivery.deliver(m.getBody(),
        Integer.parseInt(m.getAttributes().getOrDefault("ApproximateReceiveCount", "1")), m.getReceiptHandle()));
  }
}
