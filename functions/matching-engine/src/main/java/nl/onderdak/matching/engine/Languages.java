package nl.onderdak.matching.engine;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Languages as bits of a {@code long}, so "do they share a language" is one AND. The first 63
 * distinct codes seen get a bit each; any further code shares the last bit (a rare false "shared",
 * never a missed one among the common languages).
 */
public final class Languages {
  private static final Map<String, Integer> BITS = new ConcurrentHashMap<>();

  private Languages() {}

  public static long mask(Collection<String> codes) {
    long mask = 0;
    for (String code : codes) {
      mask |= 1L << bit(code);
    }
    return mask;
  }

  private static int bit(String code) {
    return BITS.computeIfAbsent(code, c -> Math.min(BITS.size(), 63));
  }
}
