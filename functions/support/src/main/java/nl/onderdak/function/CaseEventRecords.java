package nl.onderdak.function;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.HashMap;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;

/** Reading case events from the cases table's stream records, for every consumer of the stream. */
public final class CaseEventRecords {
  private CaseEventRecords() {}

  /** The case event an inserted item carries, or null for anything else (case items, reads, matches). */
  public static CaseEvent caseEvent(DynamodbStreamRecord record) {
    if (!"INSERT".equals(record.getEventName()) || record.getDynamodb().getNewImage() == null) {
      return null;
    }
    Map<String, String> flat = new HashMap<>();
    for (Map.Entry<String, AttributeValue> a : record.getDynamodb().getNewImage().entrySet()) {
      AttributeValue v = a.getValue();
      if (v.getS() != null) {
        flat.put(a.getKey(), v.getS());
      } else if (v.getN() != null) {
        flat.put(a.getKey(), v.getN());
      }
    }
    return CaseEvent.fromAttributes(flat);
  }
}
