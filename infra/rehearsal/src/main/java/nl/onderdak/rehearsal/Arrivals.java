package nl.onderdak.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * When each registration arrives, in simulated hours from the start, on the curve of spring 2022: hosts
 * came first and fast (tens of thousands offered a room within days of the first appeal), households
 * rose over the first week and then tailed off; both follow the day (little at night, most in the evening)
 * and jump in a few bursts (a news item, an appeal on television, a train arriving).
 */
final class Arrivals {
  /** One registration to send. */
  record Arrival(double simHours, boolean host, int number) {}

  private Arrivals() {}

  static List<Arrival> schedule(int households, int hosts, double days, Random random) {
    int minutes = (int) Math.ceil(days * 24 * 60);
    double[] bursts = new double[minutes];
    java.util.Arrays.fill(bursts, 1);
    int burstCount = Math.max(2, (int) (days / 5));
    for (int b = 0; b < burstCount; b++) {
      int at = random.nextInt(minutes);
      int length = 60 + random.nextInt(180);
      for (int m = at; m < Math.min(minutes, at + length); m++) {
        bursts[m] = 3 + random.nextInt(3);
      }
    }
    List<Arrival> out = new ArrayList<>(households + hosts);
    out.addAll(sample(households, minutes, days, random, bursts, false));
    out.addAll(sample(hosts, minutes, days, random, bursts, true));
    out.sort(java.util.Comparator.comparingDouble(Arrival::simHours));
    return out;
  }

  /** Intensity per simulated minute, then the arrivals drawn from it by inverse transform. */
  private static List<Arrival> sample(int count, int minutes, double days, Random random, double[] bursts, boolean host) {
    double[] cumulative = new double[minutes];
    double sum = 0;
    for (int m = 0; m < minutes; m++) {
      double day = m / 1440.0;
      double trend = host
          ? Math.exp(-day / Math.max(1, days / 8))                      // a rush in the first days
          : Math.min(1, (day + 0.5) / Math.max(1, days / 6)) * Math.exp(-day / Math.max(2, days / 2)); // rise, then tail
      sum += trend * daily(m % 1440) * bursts[m];
      cumulative[m] = sum;
    }
    List<Arrival> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double u = random.nextDouble() * sum;
      int lo = 0;
      int hi = minutes - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      out.add(new Arrival((lo + random.nextDouble()) / 60.0, host, i));
    }
    return out;
  }

  /** The day's rhythm: quiet at night, rising through the day, highest in the evening. */
  static double daily(int minuteOfDay) {
    double hour = minuteOfDay / 60.0;
    if (hour < 7) {
      return 0.15;
    }
    return 0.4 + Math.sin(Math.PI * (hour - 7) / 17) * (hour > 17 ? 1.6 : 1.0);
  }
}
