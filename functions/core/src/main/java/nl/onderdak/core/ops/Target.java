package nl.onderdak.core.ops;

/**
 * What was agreed for one region in one calendar year.
 *
 * @param region a province ({@code PV26}) or municipality ({@code GM0344}) code
 * @param homes covenant number of homes to be taken into use that year, or null when none was agreed
 * @param households fair-share number of households to be received (placed) that year, or null
 * @param name what people call the region ("Utrecht"), or null: municipalities are shown by it
 */
public record Target(String region, int year, Integer homes, Integer households, String name) {

  public Target(String region, int year, Integer homes, Integer households) {
    this(region, year, homes, households, null);
  }
}
