package nl.onderdak.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming. Lambda snapshots a function's JVM after its init and restores the snapshot for each cold start;
 * what the init did not touch (Jackson's serializers, the SDK's marshallers and signer, the HTTP connection code)
 * is still loaded and compiled on the first event after a restore. So each handler registers, at construction, a
 * <em>prime</em>: a harmless pass through its own code (a request to no route, a read of an item that does not
 * exist, a read it makes anyway) that runs in the CRaC {@code beforeCheckpoint} hook, just before the snapshot, and
 * leaves those classes loaded in it. A prime never writes and never fails the init: a failure is logged and the
 * snapshot is taken anyway (it is then only slower).
 *
 * <p>Where no snapshot is taken (the local runtime, a plain JVM) nothing runs; the cold-start benchmark calls
 * {@link #primeAll} to measure what a restored, primed function pays.
 */
public final class Priming implements Resource {
  private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();
  private final String name;
  private final Runnable prime;

  private Priming(String name, Runnable prime) {
    this.name = name;
    this.prime = prime;
  }

  /** Registers a handler's prime with the runtime's checkpoint (held here, so it lives as long as the JVM). */
  public static void register(String name, Runnable prime) {
    Priming p = new Priming(name, prime);
    REGISTERED.add(p);
    Core.getGlobalContext().register(p);
  }

  /** Runs every registered prime, as a checkpoint would. */
  public static void primeAll() {
    primeFrom(0);
  }

  /** How many primes are registered: with {@link #primeFrom}, a test runs only those of the handlers it built. */
  public static int count() {
    return REGISTERED.size();
  }

  /** Runs the primes registered from the {@code index}th on. */
  public static void primeFrom(int index) {
    REGISTERED.subList(index, REGISTERED.size()).forEach(Priming::run);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    run();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to renew: the SDK's HTTP client opens new connections when the old ones are found closed.
  }

  private void run() {
    long started = System.nanoTime();
    try {
      prime.run();
      ObjectNode line = JsonLog.line("INFO", "primed before the snapshot");
      line.put("handler", name).put("durationMs", (System.nanoTime() - started) / 1_000_000);
      JsonLog.write(line);
    } catch (RuntimeException e) {
      ObjectNode line = JsonLog.line("WARN", "priming failed; the snapshot is taken unprimed");
      line.put("handler", name).put("error", e.getClass().getName());
      JsonLog.write(line);
    }
  }
}
