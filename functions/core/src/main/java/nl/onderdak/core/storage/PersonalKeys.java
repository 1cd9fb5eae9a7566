package nl.onderdak.core.storage;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The keys of the personal-data table. Everything that names a person or was typed by one sits here, in the
 * case's own item collection, so that it can be protected, read on record, handed over and deleted on its own:
 *
 * <pre>
 * CASE#&lt;id&gt;   DETAILS                      contact, address, the registrant's own notes
 * CASE#&lt;id&gt;   NOTE#&lt;time&gt;#&lt;noteId&gt;        a note by an organisation responsible for the case
 * CASE#&lt;id&gt;   TEXT#&lt;event seq&gt;              the free text of a decision recorded in that event
 * MATCH#&lt;id&gt;  TEXT#&lt;decision&gt;               the free text of a decision on a match (a decline, an end)
 * CONTACT#…   CLAIM                        a hashed contact first seen on a case (duplicate detection)
 * </pre>
 */
public final class PersonalKeys {
  public static final String DETAILS = "DETAILS";
  public static final String CLAIM = "CLAIM";
  public static final String NOTE = "NOTE#";
  public static final String TEXT = "TEXT#";

  private PersonalKeys() {}

  public static Map<String, AttributeValue> details(String caseId) {
    return Attr.key("CASE#" + caseId, DETAILS);
  }

  public static Map<String, AttributeValue> claim(String claimKey) {
    return Attr.key(claimKey, CLAIM);
  }

  public static String casePartition(String caseId) {
    return "CASE#" + caseId;
  }

  public static String matchPartition(String matchId) {
    return "MATCH#" + matchId;
  }

  public static String textSortKey(long seq) {
    return String.format("%s%06d", TEXT, seq);
  }

  public static String noteSortKey(Instant at, String noteId) {
    return NOTE + at + "#" + noteId;
  }
}
