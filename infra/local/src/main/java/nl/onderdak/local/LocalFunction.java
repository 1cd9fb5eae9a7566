package nl.onderdak.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import nl.onderdak.core.json.Json;
import nl.onderdak.core.support.Env;
import nl.onderdak.infra.template.SamTemplate;

/**
 * One function of the template, run as Lambda runs it: the class named by {@code Handler} is
 * instantiated with the function's environment (its "init"), and each instance handles one event at
 * a time. Concurrent events get more instances, each with its own cold start, as in Lambda.
 */
final class LocalFunction {
  private final String name;
  private final Class<?> handlerClass;
  private final Method method;
  private final Class<?> inputType;
  private final Map<String, String> environment;
  private final int memoryMb;
  private final int timeoutSeconds;
  private final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();

  LocalFunction(SamTemplate.Function function, Map<String, String> environment) {
    this.name = function.logicalId();
    this.environment = Map.copyOf(environment);
    this.memoryMb = function.memoryMb();
    this.timeoutSeconds = function.timeoutSeconds();
    String[] handler = function.handler().split("::", 2);
    try {
      this.handlerClass = Class.forName(handler[0]);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name + ": handler class " + handler[0] + " is not on the classpath", e);
    }
    this.inputType = inputType(handlerClass);
    if (inputType == null) {
      throw new IllegalStateException(name + ": " + handlerClass.getName() + " does not implement RequestHandler<I, O>");
    }
    String methodName = handler.length > 1 ? handler[1] : "handleRequest";
    try {
      this.method = handlerClass.getMethod(methodName, inputType, Context.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(name + ": " + handlerClass.getName() + " has no public " + methodName + "("
          + inputType.getSimpleName() + ", Context)", e);
    }
  }

  String name() {
    return name;
  }

  Map<String, String> environment() {
    return environment;
  }

  Class<?> inputType() {
    return inputType;
  }

  /** The event class a handler takes: the {@code I} of the {@code RequestHandler<I, O>} it implements. */
  static Class<?> inputType(Class<?> handlerClass) {
    for (Class<?> c = handlerClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Type t : c.getGenericInterfaces()) {
        if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
          Type input = p.getActualTypeArguments()[0];
          if (input instanceof Class<?> c2) {
            return c2;
          }
          if (input instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            return raw; // Map<String, Object>: Lambda hands it the event's JSON as a map
          }
        }
      }
    }
    return null;
  }

  private static String describe(Object result) {
    if (result instanceof APIGatewayV2HTTPResponse r) {
      return "status " + r.getStatusCode();
    }
    if (result instanceof StreamsEventResponse r) {
      int failed = r.getBatchItemFailures() == null ? 0 : r.getBatchItemFailures().size();
      return failed == 0 ? "ok" : failed + " batch item failure(s)";
    }
    return "ok";
  }

  /**
   * Invokes the handler with one event and returns its result. The handler's exception is rethrown
   * as it is (the caller decides what Lambda would do with it); one JSON line is logged either way.
   */
  private final java.util.concurrent.atomic.AtomicLong invocations = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();

  private volatile LocalMetrics cloudWatch;
  private volatile Map<String, String> functionDimensions = Map.of();

  /**
   * From now on every invocation also puts Lambda's own metrics ({@code Invocations}, {@code Errors},
   * {@code Duration}, and for stream readers {@code IteratorAge}; dimension {@code FunctionName}).
   */
  void publishTo(LocalMetrics metrics, String functionName) {
    this.functionDimensions = Map.of("FunctionName", functionName);
    this.cloudWatch = metrics;
  }

  /** Lambda's {@code IteratorAge} for a batch handed to this function by a stream mapping. */
  void iteratorAge(long millis) {
    LocalMetrics metrics = cloudWatch;
    if (metrics != null) {
      metrics.put("AWS/Lambda", "IteratorAge", "Milliseconds", functionDimensions, millis);
    }
  }

  /** Invocations so far, as Lambda's {@code Invocations} metric counts them. */
  long invocations() {
    return invocations.get();
  }

  /** Invocations that ended in an exception, as Lambda's {@code Errors} metric counts them. */
  long errors() {
    return errors.get();
  }

  Object invoke(Object event, String trigger, String detail) throws Exception {
    if (!inputType.isInstance(event)) {
      throw new IllegalArgumentException(name + " takes " + inputType.getName() + ", not " + event.getClass().getName());
    }
    long start = System.nanoTime();
    invocations.incrementAndGet();
    boolean cold = false;
    Object instance = idle.pollFirst();
    if (instance == null) {
      cold = true;
      instance = Env.with(environment, () -> handlerClass.getDeclaredConstructor().newInstance());
    }
    long initNanos = System.nanoTime() - start;
    LocalContext context = new LocalContext(name, memoryMb, timeoutSeconds);
    String outcome = "ok";
    boolean failed = false;
    try {
      Object target = instance;
      Object result = Env.with(environment, () -> {
        try {
          return method.invoke(target, event, context);
        } catch (InvocationTargetException e) {
          throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
        }
      });
      outcome = describe(result);
      return result;
    } catch (Exception e) {
      outcome = "error: " + e.getClass().getSimpleName();
      errors.incrementAndGet();
      failed = true;
      throw e;
    } finally {
      idle.addFirst(instance);
      LocalMetrics metrics = cloudWatch;
      if (metrics != null) {
        metrics.put("AWS/Lambda", "Invocations", "Count", functionDimensions, 1);
        metrics.put("AWS/Lambda", "Errors", "Count", functionDimensions, failed ? 1 : 0);
        metrics.put("AWS/Lambda", "Duration", "Milliseconds", functionDimensions,
            (System.nanoTime() - start) / 1_000_000.0);
      }
      ObjectNode line = Json.object()
          .put("time", java.time.Instant.now().toString())
          .put("level", "INFO")
          .put("message", "invocation")
          .put("function", name)
          .put("requestId", context.getAwsRequestId())
          .put("trigger", trigger)
          .put("detail", detail)
          .put("coldStart", cold)
          .put("initMs", cold ? initNanos / 1_000_000 : 0)
          .put("durationMs", (System.nanoTime() - start) / 1_000_000)
          .put("outcome", outcome);
      System.out.println(Json.write(line));
    }
  }
}
