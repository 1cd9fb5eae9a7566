package nl.onderdak.core.support;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Function configuration: the environment variables {@code template.yaml} gives each function.
 *
 * <p>In Lambda this is {@link System#getenv}. The local runtime runs several functions in one JVM,
 * each with its own variables, so it instantiates a handler inside {@link #with}; handlers therefore
 * read their configuration in their constructor (at init, as Lambda best practice says anyway).
 */
public final class Env {
  private static final ThreadLocal<Map<String, String>> OVERRIDES = new ThreadLocal<>();

  private Env() {}

  public static String get(String name) {
    Map<String, String> overrides = OVERRIDES.get();
    if (overrides != null && overrides.containsKey(name)) {
      return overrides.get(name);
    }
    return System.getenv(name);
  }

  public static String require(String name) {
    String value = get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set (see template.yaml)");
    }
    return value;
  }

  public static int integer(String name, int fallback) {
    String value = get(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
  }

  /** Runs {@code init} (a handler constructor) with these variables in place of the process environment. */
  public static <T> T with(Map<String, String> variables, Callable<T> init) throws Exception {
    Map<String, String> previous = OVERRIDES.get();
    OVERRIDES.set(variables);
    try {
      return init.call();
    } finally {
      if (previous == null) {
        OVERRIDES.remove();
      } else {
        OVERRIDES.set(previous);
      }
    }
  }
}
