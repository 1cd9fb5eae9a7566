package nl.onderdak.core.chain;

import java.util.List;
import java.util.Set;
import nl.onderdak.core.model.CaseKind;
import nl.onderdak.core.partners.Role;

/**
 * A kind of case in a programme: what it is ({@link CaseKind}), which roles work on it, which of them leads.
 *
 * @param key its name in the programme ({@code household}, {@code host_offer}, …), stored on the case
 * @param roles the roles that must each have one responsible organisation; a case lacking one waits unassigned
 * @param optionalRoles roles assigned when the routing names an organisation, not missed when it names none
 * @param lead the role whose holder leads the case: told of every alert, and the one who records a withdrawal
 * @param reviewRoles the roles on this case whose holders review a proposed match involving it
 * @param counterpartReviewRoles roles on the other case of a match into this one whose holders must accept too
 *     (a housing provider's home: the household's care provider)
 * @param routed whether its roles are assigned by the routing rules (a provider's own home is assigned to it)
 */
public record CaseType(String key, CaseKind kind, List<Role> roles, List<Role> optionalRoles, Role lead,
    Set<Role> reviewRoles, Set<Role> counterpartReviewRoles, String description) {

  /** Required and optional roles, in order. */
  public List<Role> allRoles() {
    java.util.List<Role> out = new java.util.ArrayList<>(roles);
    optionalRoles.stream().filter(r -> !out.contains(r)).forEach(out::add);
    return out;
  }
}
