package nl.onderdak.core.ops;

/**
 * What was agreed for one region in one calendar year.
 *
 * @param region a province ({@code PV26}) or municipality ({@code GM0344}) code
 * @param homes covenant number of homes to be taken into use that year, or null when none was agreed
 * @param households fair-share number of households to be received (placed) that year, or null
 */
public record Target(String region, int year, Integer homes, Integer households) {}
