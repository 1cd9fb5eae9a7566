package nl.onderdak.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.Record;

/** Turns stream records as the SDK reads them into the records Lambda hands a function. */
final class StreamRecords {
  private StreamRecords() {}

  static DynamodbStreamRecord toLambda(Record record, String streamArn) {
    var source = record.dynamodb();
    StreamRecord body = new StreamRecord();
    if (source.approximateCreationDateTime() != null) {
      body.setApproximateCreationDateTime(Date.from(source.approximateCreationDateTime()));
    }
    body.setKeys(image(source.keys()));
    body.setNewImage(image(source.newImage()));
    body.setOldImage(image(source.oldImage()));
    body.setSequenceNumber(source.sequenceNumber());
    body.setSizeBytes(source.sizeBytes());
    if (source.streamViewType() != null) {
      body.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType
          .fromValue(source.streamViewTypeAsString()));
    }
    DynamodbStreamRecord out = new DynamodbStreamRecord();
    out.setEventID(record.eventID());
    out.setEventName(record.eventNameAsString());
    out.setEventVersion(record.eventVersion());
    out.setEventSource("aws:dynamodb");
    out.setAwsRegion(Intrinsics.REGION);
    out.setEventSourceARN(streamArn);
    out.setDynamodb(body);
    return out;
  }

  private static Map<String, AttributeValue> image(
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> image) {
    if (image == null || image.isEmpty()) {
      return null;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    image.forEach((k, v) -> out.put(k, value(v)));
    return out;
  }

  static AttributeValue value(software.amazon.awssdk.services.dynamodb.model.AttributeValue v) {
    AttributeValue out = new AttributeValue();
    switch (v.type()) {
      case S -> out.setS(v.s());
      case N -> out.setN(v.n());
      case B -> out.setB(ByteBuffer.wrap(v.b().asByteArray()));
      case BOOL -> out.setBOOL(v.bool());
      case NUL -> out.setNULL(true);
      case SS -> out.setSS(new ArrayList<>(v.ss()));
      case NS -> out.setNS(new ArrayList<>(v.ns()));
      case BS -> {
        List<ByteBuffer> bytes = new ArrayList<>();
        v.bs().forEach(b -> bytes.add(ByteBuffer.wrap(b.asByteArray())));
        out.setBS(bytes);
      }
      case M -> {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        v.m().forEach((k, x) -> m.put(k, value(x)));
        out.setM(m);
      }
      case L -> {
        List<AttributeValue> l = new ArrayList<>();
        v.l().forEach(x -> l.add(value(x)));
        out.setL(l);
      }
      default -> throw new IllegalArgumentException("unknown attribute type " + v.type());
    }
    return out;
  }
}
