package nl.onderdak.core.chain;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.events.CaseEvent;

/**
 * What an organisation reads of a case, and the notes it writes: every read asks {@link CaseAccess} first and
 * puts on record that it was made ({@link CaseFiles#recordRead}: by whom, of what, at which version, by what
 * right), in the same order on every route: sight, read, record. Free texts (decision texts, notes, the record
 * of reads) go only to the organisations responsible for the case; a reviewer asking for notes gets the same
 * {@link Refused#notFound()} as an unknown id.
 */
public final class CaseDesk {
  private final CaseAccess access;
  private final CaseFiles files;
  private final Clock clock;

  public CaseDesk(CaseAccess access, CaseFiles files, Clock clock) {
    this.access = access;
    this.files = files;
    this.clock = clock;
  }

  public record Details(CaseAccess.Sight sight, CaseFiles.Personal personal) {}

  public record History(CaseAccess.Sight sight, List<CaseEvent> events, Map<Long, CaseFiles.Text> texts,
      List<CaseFiles.Read> reads) {}

  public record MatchRead(MatchParties parties, Map<String, CaseFiles.Text> texts) {}

  /** The case with its personal details. */
  public Details details(String partnerId, String caseId, String requestId) {
    CaseAccess.Sight sight = access.caseFor(partnerId, caseId);
    Details out = new Details(sight, files.details(caseId));
    files.recordRead(sight, partnerId, "details", requestId, clock.instant());
    return out;
  }

  /** Every change; with the texts and the record of reads for the responsible organisations (a read on record). */
  public History history(String partnerId, String caseId, String requestId) {
    CaseAccess.Sight sight = access.caseFor(partnerId, caseId);
    if (!sight.seesTexts()) {
      return new History(sight, files.history(caseId), Map.of(), List.of());
    }
    History out = new History(sight, files.history(caseId), files.decisionTexts(caseId), files.reads(caseId));
    files.recordRead(sight, partnerId, "history", requestId, clock.instant());
    return out;
  }

  /** The notes, the household's own among them: for the responsible organisations only. */
  public List<CaseFiles.Text> notes(String partnerId, String caseId, String requestId) {
    CaseAccess.Sight sight = responsibleSight(partnerId, caseId);
    List<CaseFiles.Text> out = files.notes(caseId);
    files.recordRead(sight, partnerId, "notes", requestId, clock.instant());
    return out;
  }

  /** A note to write: its text and the key a retry sends again. */
  public record NewNote(String text, String idempotencyKey) {}

  /**
   * A note, once per idempotency key: the note and whether it was written before (a retry). The request is read
   * only once sight is established, so an organisation without it learns nothing from how its request is refused.
   *
   * @throws CaseFiles.NoteKeyReused when the key was used for another text
   */
  public Map.Entry<CaseFiles.Text, Boolean> addNote(Actor author, String caseId,
      java.util.function.Supplier<NewNote> request) {
    CaseAccess.Sight sight = responsibleSight(author.partnerId(), caseId);
    NewNote note = request.get();
    return files.addNote(caseId, author, note.text(), note.idempotencyKey(), clock.instant(), sight.c().terminal());
  }

  /** A match; its decisions' texts are personal data, so reading them is put on record on the case it holds. */
  public MatchRead match(String partnerId, String matchId, String requestId) {
    MatchParties p = access.matchFor(partnerId, matchId);
    Map<String, CaseFiles.Text> texts = files.matchTexts(p.match().id());
    if (!texts.isEmpty()) {
      CaseView held = CaseAccess.holds(partnerId, p.guest()).isEmpty() ? p.host() : p.guest();
      files.recordRead(new CaseAccess.Sight(held, CaseAccess.holds(partnerId, held), null, null), partnerId,
          "match_texts", requestId, clock.instant());
    }
    return new MatchRead(p, texts);
  }

  private CaseAccess.Sight responsibleSight(String partnerId, String caseId) {
    CaseAccess.Sight sight = access.caseFor(partnerId, caseId);
    if (!sight.seesTexts()) {
      throw Refused.notFound(); // notes are for the organisations responsible for the case
    }
    return sight;
  }
}
