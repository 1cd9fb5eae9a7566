package nl.onderdak.bench.probe;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One Lambda cold start in a fresh JVM, as the Java runtime does it: load the handler class and construct it (the
 * function's "init", what SnapStart snapshots), read the event with Lambda's own event serialization, then serve it
 * (the first invocation) and the same event again (a warm one, for comparison). Prints one line,
 * {@code COLDSTART {...}}, with the times; the handlers' own log lines go to standard output as in Lambda.
 * Depends only on the JDK and, on its classpath, the function's jar and Lambda's serialization library, so it
 * runs against any build of the product. {@code --hello} starts and stops the JVM only: the baseline.
 *
 * <pre>java -cp function.jar:probe:aws-lambda-java-serialization.jar nl.onderdak.bench.probe.ColdStartProbe
 *     handlerClass eventClass eventFile [prime]</pre>
 *
 * <p>With {@code prime}, the handlers' SnapStart primes run after construction, as the checkpoint would run them:
 * the first event after that is what a function restored from a primed snapshot pays.
 */
public final class ColdStartProbe {
  private ColdStartProbe() {}

  public static void main(String[] args) throws Exception {
    long mainAt = System.nanoTime();
    PrintStream out = System.out;
    Instant started = ProcessHandle.current().info().startInstant().orElse(null);
    long jvmMs = started == null ? -1 : Duration.between(started, Instant.now()).toMillis();
    if (args.length > 0 && args[0].equals("--hello")) {
      out.println("COLDSTART {\"jvmMs\":" + jvmMs + "}");
      out.flush();
      System.exit(0);
    }
    ClassLoader loader = ColdStartProbe.class.getClassLoader();
    long t0 = System.nanoTime();
    Class<?> handlerClass = Class.forName(args[0], true, loader);
    Object handler = handlerClass.getDeclaredConstructor().newInstance();
    long constructed = System.nanoTime();
    boolean primed = args.length > 3 && args[3].equals("prime");
    if (primed) {
      // What SnapStart's checkpoint runs (the handlers' beforeCheckpoint hooks), here where none is taken.
      Class.forName("nl.onderdak.function.Priming", true, loader).getMethod("primeAll").invoke(null);
    }
    long t1 = System.nanoTime();
    Class<?> eventClass = Class.forName(args[1], true, loader);
    byte[] json = Files.readAllBytes(Path.of(args[2]));
    Object event = read(eventClass, json, loader);
    long t2 = System.nanoTime();
    Method handle = handlerClass.getMethod("handleRequest", eventClass,
        Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader));
    Object first = handle.invoke(handler, event, null);
    long t3 = System.nanoTime();
    Object again = handle.invoke(handler, read(eventClass, json, loader), null);
    long t4 = System.nanoTime();
    int classes = java.lang.management.ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
    out.println("COLDSTART {\"jvmMs\":" + jvmMs + ",\"mainMs\":" + ms(mainAt, t0) + ",\"initMs\":" + ms(t0, constructed) + ",\"primeMs\":" + ms(constructed, t1)
        + ",\"eventMs\":" + ms(t1, t2) + ",\"firstMs\":" + ms(t2, t3) + ",\"secondMs\":" + ms(t3, t4)
        + ",\"classes\":" + classes + ",\"answer\":\"" + answer(first) + "\",\"again\":\"" + answer(again) + "\"}");
    out.flush();
    System.exit(0); // the SDK's and DynamoDB clients' threads would keep it alive
  }

  /** As the runtime reads an event: Lambda's serializers for its event classes, plain Jackson for the rest. */
  @SuppressWarnings("unchecked")
  private static Object read(Class<?> eventClass, byte[] json, ClassLoader loader) {
    PojoSerializer<Object> serializer = LambdaEventSerializers.isLambdaSupportedEvent(eventClass.getName())
        ? (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(eventClass, loader)
        : (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(eventClass);
    return serializer.fromJson(new ByteArrayInputStream(json));
  }

  /** The HTTP status of an API answer, the size of a batch answer's failures, or the answer's type. */
  private static String answer(Object response) {
    if (response == null) {
      return "null";
    }
    for (String getter : new String[] {"getStatusCode", "getBatchItemFailures", "isAuthorized"}) {
      try {
        Object v = response.getClass().getMethod(getter).invoke(response);
        return getter.equals("getBatchItemFailures") ? "failures=" + ((java.util.List<?>) v).size() : getter
            .equals("isAuthorized") ? "authorized=" + v : "status=" + v;
      } catch (ReflectiveOperationException e) {
        // not this kind of answer
      }
    }
    return response.getClass().getSimpleName();
  }

  private static double ms(long from, long to) {
    return Math.round((to - from) / 10_000.0) / 100.0;
  }
}
