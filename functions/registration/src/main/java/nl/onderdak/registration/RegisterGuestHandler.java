package nl.onderdak.registration;

import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.registration.RegistrationService;

/** {@code POST /registrations/guests}: a displaced household registers its need for a place. */
public final class RegisterGuestHandler extends RegistrationHandler {
  public RegisterGuestHandler() {
    super(CaseKind.GUEST);
  }

  RegisterGuestHandler(RegistrationService service) {
    super(CaseKind.GUEST, service);
  }
}
