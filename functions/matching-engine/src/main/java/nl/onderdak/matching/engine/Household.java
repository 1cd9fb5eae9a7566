package nl.onderdak.matching.engine;

/**
 * What matching knows of a guest household: no names, no contact details.
 *
 * @param preferredProvinces province indices ({@link Provinces}), most preferred first
 * @param preferredMunicipalities CBS municipality numbers (363 for GM0363) the household named
 * @param neededFrom the first day a place is needed, as an epoch day
 * @param registeredOn the day it registered (or re-entered the pool), as an epoch day: waiting time
 */
public record Household(
    String id,
    int persons,
    boolean hasChildren,
    boolean hasPets,
    boolean stepFreeNeeded,
    boolean smoker,
    long languages,
    int[] preferredProvinces,
    int[] preferredMunicipalities,
    boolean acceptsOtherRegions,
    int neededFrom,
    int registeredOn) {

  public boolean prefersProvince(int province) {
    return rankOf(province) >= 0;
  }

  /** The position of a province in this household's preferences, or -1. */
  public int rankOf(int province) {
    for (int i = 0; i < preferredProvinces.length; i++) {
      if (preferredProvinces[i] == province) {
        return i;
      }
    }
    return -1;
  }

  public boolean prefersMunicipality(int municipality) {
    for (int m : preferredMunicipalities) {
      if (m == municipality) {
        return true;
      }
    }
    return false;
  }
}
