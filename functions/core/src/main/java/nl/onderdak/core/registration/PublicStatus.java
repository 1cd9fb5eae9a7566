package nl.onderdak.core.registration;

import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.model.GuestStatus;

/**
 * The status word a registration's public answers show (the registration's {@code 201} and its status page): the
 * one place that decides what a stranger holding a status link may learn. A household held as a likely duplicate
 * ({@code on_hold}) shows {@code open}, as a new one does: otherwise anyone could register someone else's email or
 * phone number and learn from the answer whether that person is registered. The hold is the responsible
 * organisation's to see and resolve (its queue, {@code GET /partner/cases/{id}}).
 */
public final class PublicStatus {
  private PublicStatus() {}

  public static String of(CaseKind kind, String status) {
    if (kind == CaseKind.GUEST && GuestStatus.ON_HOLD.wire().equals(status)) {
      return GuestStatus.OPEN.wire();
    }
    return status;
  }
}
