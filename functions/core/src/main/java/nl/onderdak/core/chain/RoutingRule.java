package nl.onderdak.core.chain;

import nl.onderdak.core.partners.Role;

/**
 * Which organisation takes a role on new cases of a programme in a region: a province ({@code PV26}) or a
 * municipality ({@code GM0344}). The most specific rule wins.
 */
public record RoutingRule(String programme, Role role, String region, String partnerId) {}
