package nl.onderdak.matching.engine;

import java.util.List;

/**
 * The 12 Dutch provinces by CBS code, indexed 0..11 in CBS order, with a rough centre for the
 * distance part of the score when a household is placed outside the regions it asked for.
 */
public final class Provinces {
  public static final List<String> CODES = List.of(
      "PV20", "PV21", "PV22", "PV23", "PV24", "PV25", "PV26", "PV27", "PV28", "PV29", "PV30", "PV31");
  public static final int COUNT = CODES.size();

  /** Approximate centres (latitude, longitude): Groningen … Limburg. */
  private static final double[][] CENTRES = {
      {53.22, 6.74}, {53.11, 5.85}, {52.86, 6.62}, {52.44, 6.45}, {52.53, 5.60}, {52.06, 5.95},
      {52.08, 5.20}, {52.58, 4.87}, {51.94, 4.47}, {51.49, 3.85}, {51.56, 5.20}, {51.21, 5.94}};

  private static final int[][] DISTANCE_KM = new int[COUNT][COUNT];

  static {
    for (int a = 0; a < COUNT; a++) {
      for (int b = 0; b < COUNT; b++) {
        DISTANCE_KM[a][b] = (int) Math.round(haversineKm(CENTRES[a], CENTRES[b]));
      }
    }
  }

  private Provinces() {}

  /** The index of a province code, or -1 when the code is not a province. */
  public static int index(String code) {
    return CODES.indexOf(code);
  }

  public static String code(int index) {
    return CODES.get(index);
  }

  public static int distanceKm(int a, int b) {
    return DISTANCE_KM[a][b];
  }

  private static double haversineKm(double[] p, double[] q) {
    double dLat = Math.toRadians(q[0] - p[0]);
    double dLon = Math.toRadians(q[1] - p[1]);
    double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
        + Math.cos(Math.toRadians(p[0])) * Math.cos(Math.toRadians(q[0])) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  }
}
