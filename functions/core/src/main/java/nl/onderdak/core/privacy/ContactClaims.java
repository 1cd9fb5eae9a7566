package nl.onderdak.core.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.Contact;
import nl.onderdak.core.registration.RegistrationService;
import nl.onderdak.core.storage.Attr;
import nl.onderdak.core.storage.PersonalKeys;
import nl.onderdak.core.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The contact claims a case holds (a claim first made by another case is that case's): for retention and erasure. */
final class ContactClaims {
  private ContactClaims() {}

  /** @param details the case's {@code DETAILS} item, or null when there is none (then it holds none) */
  static List<String> heldBy(DynamoDbClient dynamo, Tables tables, String caseId, CaseKind kind,
      Map<String, AttributeValue> details) {
    if (details == null || details.isEmpty() || details.get("contact") == null) {
      return List.of();
    }
    Map<String, AttributeValue> c = details.get("contact").m();
    List<String> out = new ArrayList<>();
    for (String key : RegistrationService.claimKeys(kind, new Contact(Attr.str(c, "name"), Attr.str(c, "email"),
        Attr.str(c, "phone")))) {
      Map<String, AttributeValue> claim = dynamo.getItem(b -> b.tableName(tables.personalData())
          .key(PersonalKeys.claim(key)).consistentRead(true)).item();
      if (claim != null && caseId.equals(Attr.str(claim, "caseId"))) {
        out.add(key);
      }
    }
    return out;
  }
}
