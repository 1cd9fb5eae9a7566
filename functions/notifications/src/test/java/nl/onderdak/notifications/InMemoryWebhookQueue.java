package nl.onderdak.notifications;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook queues in memory, for the fast tier: what was sent, hidden for a retry (by receipt handle, for how
 * long) and parked (with why), for a test to read back.
 */
final class InMemoryWebhookQueue implements WebhookQueue {
  record ParkedMessage(String body, Parked why) {}

  final List<String> sent = new ArrayList<>();
  final Map<String, Integer> hidden = new LinkedHashMap<>();
  final List<ParkedMessage> parked = new ArrayList<>();

  @Override
  public synchronized void send(List<String> bodies) {
    sent.addAll(bodies);
  }

  @Override
  public synchronized void retryIn(String receiptHandle, int seconds) {
    hidden.put(receiptHandle, seconds);
  }

  @Override
  public synchronized void park(String body, Parked why) {
    parked.add(new ParkedMessage(body, why));
  }

  @Override
  public synchronized void parkAll(List<String> bodies, List<Parked> why) {
    for (int i = 0; i < bodies.size(); i++) {
      park(bodies.get(i), why.get(i));
    }
  }
}
