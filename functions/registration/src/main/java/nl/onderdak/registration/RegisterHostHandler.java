package nl.onderdak.registration;

import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.registration.RegistrationService;

/** {@code POST /registrations/hosts}: a household offers a place; it starts in screening. */
public final class RegisterHostHandler extends RegistrationHandler {
  public RegisterHostHandler() {
    super(CaseKind.HOST);
  }

  RegisterHostHandler(RegistrationService service) {
    super(CaseKind.HOST, service);
  }
}
