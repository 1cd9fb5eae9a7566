package nl.onderdak.function;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    return CaseEvent.fromItem(item(record.getDynamodb().getNewImage()));
  }

  /** A stream image in the SDK's own attribute values, so that the domain reads it as it reads a stored item. */
  public static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item(
      Map<String, AttributeValue> image) {
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> out = new LinkedHashMap<>();
    image.forEach((k, v) -> {
      var converted = value(v);
      if (converted != null) {
        out.put(k, converted);
      }
    });
    return out;
  }

  private static software.amazon.awssdk.services.dynamodb.model.AttributeValue value(AttributeValue v) {
    if (v.getS() != null) {
      return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(v.getS());
    }
    if (v.getN() != null) {
      return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(v.getN());
    }
    if (v.getBOOL() != null) {
      return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(v.getBOOL());
    }
    if (v.getSS() != null) {
      return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromSs(v.getSS());
    }
    if (v.getNS() != null) {
      return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNs(v.getNS());
    }
    if (v.getM() != null) {
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> m = new LinkedHashMap<>();
      v.getM().forEach((k, x) -> {
        var c = value(x);
        if (c != null) {
          m.put(k, c);
        }
      });
      return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(m);
    }
    if (v.getL() != null) {
      List<software.amazon.awssdk.services.dynamodb.model.AttributeValue> l = new ArrayList<>();
      v.getL().forEach(x -> {
        var c = value(x);
        if (c != null) {
          l.add(c);
        }
      });
      return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(l);
    }
    return null;
  }
}
