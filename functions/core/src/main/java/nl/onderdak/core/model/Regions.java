package nl.onderdak.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Dutch regions by their CBS codes: the 12 provinces ({@code PV20}..{@code PV31}) and municipalities
 * ({@code GM} and four digits). Matching and the tallies work per province.
 */
public final class Regions {
  private static final Map<String, String> PROVINCES = new LinkedHashMap<>();
  private static final Pattern MUNICIPALITY = Pattern.compile("GM\\d{4}");

  static {
    PROVINCES.put("PV20", "Groningen");
    PROVINCES.put("PV21", "Fryslân");
    PROVINCES.put("PV22", "Drenthe");
    PROVINCES.put("PV23", "Overijssel");
    PROVINCES.put("PV24", "Flevoland");
    PROVINCES.put("PV25", "Gelderland");
    PROVINCES.put("PV26", "Utrecht");
    PROVINCES.put("PV27", "Noord-Holland");
    PROVINCES.put("PV28", "Zuid-Holland");
    PROVINCES.put("PV29", "Zeeland");
    PROVINCES.put("PV30", "Noord-Brabant");
    PROVINCES.put("PV31", "Limburg");
  }

  private Regions() {}

  /** Province code to its name, in CBS order. */
  public static Map<String, String> provinces() {
    return java.util.Collections.unmodifiableMap(PROVINCES);
  }

  public static boolean isProvince(String code) {
    return code != null && PROVINCES.containsKey(code);
  }

  public static boolean isMunicipality(String code) {
    return code != null && MUNICIPALITY.matcher(code).matches();
  }

  public static boolean isRegion(String code) {
    return isProvince(code) || isMunicipality(code);
  }

  /** Codes are written upper-case; accept what a person types. */
  public static String normalise(String code) {
    return code == null ? null : code.strip().toUpperCase(java.util.Locale.ROOT);
  }
}
