package nl.onderdak.local;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Standard output, as CloudWatch Logs sees it: every line the handlers print still goes to the terminal,
 * and is also handed to the listeners (the local metrics, tests). In AWS, CloudWatch reads the same lines
 * and extracts the EMF metrics from them; locally {@link LocalMetrics} does.
 *
 * <p>One tap per JVM (standard output is one per JVM); runtimes add and remove their listeners.
 */
public final class LogTap {
  private static final List<Consumer<String>> LISTENERS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  private LogTap() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    PrintStream original = System.out;
    System.setOut(new PrintStream(original, true) {
      @Override
      public void println(String line) {
        super.println(line);
        notifyListeners(line);
      }

      @Override
      public void println(Object line) {
        super.println(line);
        notifyListeners(String.valueOf(line));
      }
    });
    installed = true;
  }

  /** Hands every line printed from now on to {@code listener}, until {@link #remove}. */
  public static void add(Consumer<String> listener) {
    install();
    LISTENERS.add(listener);
  }

  public static void remove(Consumer<String> listener) {
    LISTENERS.remove(listener);
  }

  private static void notifyListeners(String line) {
    if (line == null) {
      return;
    }
    for (Consumer<String> listener : LISTENERS) {
      try {
        listener.accept(line);
      } catch (RuntimeException ignored) {
        // A listener's trouble must never break a handler's logging.
      }
    }
  }
}
