package nl.onderdak.matching.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ExplanationsTest {
  private static final int TODAY = 20_000;

  private static Household household(String id, int persons, boolean pets, boolean stepFree) {
    return new Household(id, persons, false, pets, stepFree, false, 1, new int[] {6}, new int[0], false, TODAY, TODAY);
  }

  private static HostOffer host(String id, int province, int beds, boolean pets, boolean stepFree) {
    return new HostOffer(id, province, -1, beds, true, pets, stepFree, false, 1, TODAY - 1, TODAY + 90, true);
  }

  private static Explanations.Reason reasonFor(List<Household> households, List<HostOffer> hosts, String id) {
    MatchProblem p = new MatchProblem(households, hosts, Policy.of(TODAY), Set.of());
    Assignment a = OptimalMatcher.solve(p);
    for (Explanations.Unmatched u : Explanations.unmatched(p, a)) {
      if (p.households().get(u.household()).id().equals(id)) {
        return u.reason();
      }
    }
    return null;
  }

  @Test
  void namesTheFirstRuleThatLeavesNoHost() {
    assertEquals(Explanations.Reason.NO_APPROVED_HOST_IN_REGIONS,
        reasonFor(List.of(household("g", 2, false, false)), List.of(host("h", 7, 4, true, true)), "g"));
    assertEquals(Explanations.Reason.NO_HOST_WITH_ENOUGH_BEDS,
        reasonFor(List.of(household("g", 5, false, false)), List.of(host("h", 6, 4, true, true)), "g"));
    assertEquals(Explanations.Reason.NO_HOST_WELCOMES_PETS,
        reasonFor(List.of(household("g", 2, true, false)), List.of(host("h", 6, 4, false, true)), "g"));
    assertEquals(Explanations.Reason.NO_STEP_FREE_HOST,
        reasonFor(List.of(household("g", 2, false, true)), List.of(host("h", 6, 4, true, false)), "g"));
  }

  @Test
  void aHouseholdThatLostOutOnSupplyIsSaidToHaveLostOutOnSupply() {
    List<Household> households = List.of(household("a", 2, false, false), household("b", 2, false, false));
    assertEquals(1, households.stream().filter(h -> reasonFor(households, List.of(host("h", 6, 4, true, true)),
        h.id()) == Explanations.Reason.ELIGIBLE_HOSTS_ALL_TAKEN).count());
  }
}
