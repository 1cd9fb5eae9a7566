package nl.onderdak.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.onderdak.core.json.Json;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * One DynamoDB event source mapping of the template, as Lambda runs it: reads every shard of the
 * stream (parents before children), gathers records into batches of at most {@code BatchSize},
 * waiting up to {@code MaximumBatchingWindowInSeconds} to fill one, and invokes the function with a
 * {@link DynamodbEvent}.
 *
 * <p>Failures, as in Lambda: with {@code ReportBatchItemFailures} the batch is retried from the
 * lowest reported sequence number (the records before it are done); a function error retries the
 * whole batch, split in halves first when {@code BisectBatchOnFunctionError} is set; after
 * {@code MaximumRetryAttempts} retries the batch's description goes to the on-failure destination
 * and the shard moves on. {@code -1} retries for ever, as Lambda does.
 *
 * <p>{@code ParallelizationFactor}, as in Lambda: up to that many batches of one shard are with the function at
 * once, records of one partition key always in the same one and in order (a key's lane is its hash modulo the
 * factor). The shard's checkpoint moves past a stretch of records once every lane has finished its part of it,
 * so a restart may deliver a finished lane's records again, which the at-least-once contract allows anyway.
 */
final class StreamPoller implements AutoCloseable {
  static final long IDLE_POLL_MILLIS = 100;
  private static final long SHARD_REFRESH_MILLIS = 1000;

  /** The mapping's settings from the template, with Lambda's defaults. */
  record Settings(int batchSize, String startingPosition, int batchingWindowSeconds,
      boolean reportBatchItemFailures, boolean bisectOnError, int maximumRetryAttempts, String onFailureQueue,
      int parallelizationFactor, String partitionKey) {

    Settings {
      if (parallelizationFactor < 1 || parallelizationFactor > 10) {
        throw new IllegalArgumentException("ParallelizationFactor is between 1 and 10, not " + parallelizationFactor);
      }
      if (parallelizationFactor > 1 && partitionKey == null) {
        throw new IllegalArgumentException("a ParallelizationFactor needs the table's partition key to keep its order");
      }
    }

    /** A mapping that takes one batch of a shard at a time. */
    Settings(int batchSize, String startingPosition, int batchingWindowSeconds, boolean reportBatchItemFailures,
        boolean bisectOnError, int maximumRetryAttempts, String onFailureQueue) {
      this(batchSize, startingPosition, batchingWindowSeconds, reportBatchItemFailures, bisectOnError,
          maximumRetryAttempts, onFailureQueue, 1, null);
    }

    /** How many records of a shard may be in hand at once. */
    int inHand() {
      return batchSize * parallelizationFactor;
    }
  }

  private final String name;
  private final String streamArn;
  private final DynamoDbStreamsClient streams;
  private final LocalFunction function;
  private final Settings settings;
  private final FailureDestinations failures;
  private final StreamCheckpoints checkpoints;
  private final Map<String, ShardReader> shards = new java.util.concurrent.ConcurrentHashMap<>();
  private final Thread thread;
  /** The lanes of a shard when {@code ParallelizationFactor} is above 1; null otherwise. */
  private final java.util.concurrent.ExecutorService lanes;
  private volatile boolean running = true;
  private boolean firstRefresh = true;
  private long lastRefresh;

  StreamPoller(String name, String streamArn, DynamoDbStreamsClient streams, LocalFunction function,
      Settings settings, FailureDestinations failures, StreamCheckpoints checkpoints, Faults faults) {
    this.faults = faults;
    this.name = name;
    this.streamArn = streamArn;
    this.streams = streams;
    this.function = function;
    this.settings = settings;
    this.failures = failures;
    this.checkpoints = checkpoints;
    this.thread = new Thread(this::run, "stream-" + name);
    this.thread.setDaemon(true);
    java.util.concurrent.atomic.AtomicInteger laneNumber = new java.util.concurrent.atomic.AtomicInteger();
    this.lanes = settings.parallelizationFactor() == 1 ? null
        : java.util.concurrent.Executors.newCachedThreadPool(r -> {
          Thread lane = new Thread(r, "stream-" + name + "-lane-" + laneNumber.incrementAndGet());
          lane.setDaemon(true);
          return lane;
        });
  }

  void start() {
    thread.start();
  }

  String name() {
    return name;
  }

  private void run() {
    while (running) {
      try {
        boolean busy = pollOnce();
        if (!busy) {
          Thread.sleep(IDLE_POLL_MILLIS);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log("ERROR", "stream poll failed; retrying", e.getClass().getSimpleName() + ": " + e.getMessage());
        sleepQuietly(1000);
      }
    }
  }

  /** One round over all shards; true if any records were read or delivered. */
  boolean pollOnce() {
    long now = System.currentTimeMillis();
    if (now - lastRefresh >= SHARD_REFRESH_MILLIS) {
      refreshShards();
      lastRefresh = now;
    }
    boolean busy = false;
    for (ShardReader shard : new ArrayList<>(shards.values())) {
      if (!running) {
        break;
      }
      if (shard.finished || !parentDone(shard)) {
        continue;
      }
      busy |= shard.poll();
    }
    return busy;
  }

  private boolean parentDone(ShardReader shard) {
    ShardReader parent = shard.parentId == null ? null : shards.get(shard.parentId);
    return parent == null || parent.finished;
  }

  private void refreshShards() {
    String start = null;
    do {
      String exclusiveStart = start;
      var description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(exclusiveStart))
          .streamDescription();
      for (Shard shard : description.shards()) {
        shards.computeIfAbsent(shard.shardId(), id -> new ShardReader(id, shard.parentShardId(),
            firstRefresh && "LATEST".equals(settings.startingPosition())
                ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON));
      }
      start = description.lastEvaluatedShardId();
    } while (start != null);
    firstRefresh = false;
  }

  /** Reads one shard in order and delivers its batches. */
  private final class ShardReader {
    final String shardId;
    final String parentId;
    final ShardIteratorType startAt;
    String iterator;
    boolean closed;
    boolean finished;
    final List<Record> buffer = new ArrayList<>();
    /** When each buffered record was read from the shard (parallel to {@code buffer}). */
    final List<Long> readAt = new ArrayList<>();
    long firstBufferedAt;

    ShardReader(String shardId, String parentId, ShardIteratorType startAt) {
      this.shardId = shardId;
      this.parentId = parentId;
      this.startAt = startAt;
    }

    boolean poll() {
      boolean read = false;
      if (!closed && buffer.size() < settings.inHand()) {
        if (iterator == null) {
          // Resume after the last finished record, as Lambda's mapping does; else the starting position.
          String done = checkpoints.get(name, shardId);
          iterator = streams.getShardIterator(b -> {
            b.streamArn(streamArn).shardId(shardId);
            if (done != null) {
              b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(done);
            } else {
              b.shardIteratorType(startAt);
            }
          }).shardIterator();
        }
        try {
          // Read on while the shard has records at hand (the mapping is behind): as in Lambda, a backlog fills
          // whole batches, instead of one small batch per read after each slow invocation.
          boolean more = true;
          while (more && !closed && buffer.size() < settings.inHand()) {
            int limit = Math.min(1000, Math.max(1, settings.inHand() - buffer.size()));
            var response = streams.getRecords(b -> b.shardIterator(iterator).limit(limit));
            // On only while a read comes back full (a backlog). Records trickling in must not hold a batch back
            // until it fills: at a few dozen records a second that held the case-events reader for seconds.
            more = response.records().size() >= limit;
            if (!response.records().isEmpty()) {
              if (buffer.isEmpty()) {
                firstBufferedAt = System.currentTimeMillis();
              }
              buffer.addAll(response.records());
              long now = System.currentTimeMillis();
              response.records().forEach(r -> readAt.add(now));
              read = true;
              lastReadAt = now;
            }
            iterator = response.nextShardIterator();
            closed = iterator == null;
          }
        } catch (TrimmedDataAccessException e) {
          iterator = null;
          log("WARN", "records trimmed before they were read", shardId);
          return false;
        }
      }
      boolean full = buffer.size() >= settings.batchSize();
      boolean windowOver = System.currentTimeMillis() - firstBufferedAt >= settings.batchingWindowSeconds() * 1000L;
      if (!buffer.isEmpty() && (full || windowOver || closed)) {
        List<Record> batch = new ArrayList<>(buffer.subList(0, Math.min(buffer.size(), settings.inHand())));
        buffer.subList(0, batch.size()).clear();
        newestReadAt = readAt.get(batch.size() - 1);
        readAt.subList(0, batch.size()).clear();
        firstBufferedAt = System.currentTimeMillis();
        delivering = true;
        try {
          if (lanes == null) {
            deliver(shardId, batch, true);
          } else {
            deliverInLanes(shardId, batch);
          }
        } catch (RuntimeException e) {
          // Not delivered to the end (the on-failure destination refused, say): read again from the checkpoint,
          // rather than go on past records that were never finished.
          buffer.clear();
          readAt.clear();
          iterator = null;
          closed = false;
          throw e;
        } finally {
          delivering = false;
        }
        return true;
      }
      if (closed && buffer.isEmpty()) {
        finished = true;
      }
      return read;
    }
  }

  /**
   * Splits a stretch of records into the factor's lanes by partition key, delivers each lane's batches in order,
   * the lanes at once, and moves the checkpoint past the stretch when all are done.
   */
  private void deliverInLanes(String shardId, List<Record> stretch) {
    int factor = settings.parallelizationFactor();
    List<List<Record>> byLane = new ArrayList<>();
    for (int i = 0; i < factor; i++) {
      byLane.add(new ArrayList<>());
    }
    for (Record record : stretch) {
      byLane.get(laneOf(record, factor)).add(record);
    }
    List<java.util.concurrent.Future<?>> inFlight = new ArrayList<>();
    for (List<Record> lane : byLane) {
      if (lane.isEmpty()) {
        continue;
      }
      inFlight.add(lanes.submit(() -> {
        for (int from = 0; from < lane.size() && this.running; from += settings.batchSize()) {
          deliver(shardId, new ArrayList<>(lane.subList(from, Math.min(lane.size(), from + settings.batchSize()))),
              false);
        }
      }));
    }
    for (java.util.concurrent.Future<?> lane : inFlight) {
      try {
        lane.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // stopping: the checkpoint stays where it was, and the stretch is delivered again on start
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a lane of " + name + " failed", e.getCause());
      }
    }
    if (this.running) {
      checkpoint(shardId, stretch);
    }
  }

  /** The lane of a record: its partition key's hash, so that one key's records stay in order in one lane. */
  private int laneOf(Record record, int factor) {
    var key = record.dynamodb().keys().get(settings.partitionKey());
    String value = key == null ? "" : key.s() != null ? key.s() : key.n() != null ? key.n() : String.valueOf(key.b());
    return Math.floorMod(value.hashCode(), factor);
  }

  /** Delivers one batch until it succeeds, is bisected, or runs out of retries. */
  private void deliver(String shardId, List<Record> batch, boolean checkpoint) {
    List<Record> pending = batch;
    int retries = 0;
    while (!pending.isEmpty() && running) {
      // Lambda's IteratorAge: how old the batch's newest record is. DynamoDB Local rounds creation times down
      // to the minute, so take the larger of two lower bounds: since it was read from the shard, and since
      // the end of the minute it was created in.
      java.time.Instant created = pending.get(pending.size() - 1).dynamodb().approximateCreationDateTime();
      lastDeliveredAt = System.currentTimeMillis();
      long sinceCreated = created == null ? 0 : lastDeliveredAt - created.toEpochMilli() - 60_000;
      iteratorAgeMillis = Math.max(0, Math.max(lastDeliveredAt - newestReadAt, sinceCreated));
      function.iteratorAge(iteratorAgeMillis);
      Outcome outcome = invoke(pending);
      if (outcome.failedFrom < 0) {
        if (checkpoint) {
          checkpoint(shardId, pending);
        }
        return;
      }
      if (outcome.functionError && settings.bisectOnError() && pending.size() > 1) {
        int half = pending.size() / 2;
        deliver(shardId, new ArrayList<>(pending.subList(0, half)), checkpoint);
        deliver(shardId, new ArrayList<>(pending.subList(half, pending.size())), checkpoint);
        return;
      }
      pending = new ArrayList<>(pending.subList(outcome.failedFrom, pending.size()));
      if (settings.maximumRetryAttempts() >= 0 && retries >= settings.maximumRetryAttempts()) {
        giveUp(shardId, pending, retries, outcome);
        if (checkpoint) {
          checkpoint(shardId, pending);
        }
        return;
      }
      retries++;
      sleepQuietly(Math.min(2000, 100L * retries));
    }
  }

  private volatile long iteratorAgeMillis;
  private long newestReadAt;
  private volatile long lastDeliveredAt;
  private volatile long lastReadAt;
  private volatile boolean delivering;

  /**
   * Whether the mapping has nothing in hand: no batch with its function, nothing buffered, and no record read
   * from the stream for {@code quietMillis} (a rehearsal waits for this before it reconciles).
   */
  boolean idle(long quietMillis) {
    return !delivering && System.currentTimeMillis() - lastReadAt >= quietMillis
        && shards.values().stream().allMatch(s -> s.buffer.isEmpty());
  }

  /** Lambda's {@code IteratorAge}: at the last delivery, how old its newest record was. */
  long iteratorAgeMillis() {
    return iteratorAgeMillis;
  }

  /** When a batch was last handed to the function (epoch ms; 0 before the first). */
  long lastDeliveredAt() {
    return lastDeliveredAt;
  }

  private void checkpoint(String shardId, List<Record> done) {
    checkpoints.set(name, shardId, done.get(done.size() - 1).dynamodb().sequenceNumber());
  }

  private record Outcome(int failedFrom, boolean functionError, String reason) {}

  private final Faults faults;

  private Outcome invoke(List<Record> batch) {
    int injected = faults.failsAt(name, batch);
    if (injected >= 0) {
      // The function handles the records before it, then fails on this one and reports it (a rehearsal's fault).
      if (injected > 0) {
        Outcome before = invoke(batch.subList(0, injected));
        if (before.failedFrom >= 0) {
          return before;
        }
      }
      return new Outcome(injected, false, "injected fault: the function failed on record " + injected + " of the batch");
    }
    DynamodbEvent event = new DynamodbEvent();
    List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
    batch.forEach(r -> records.add(StreamRecords.toLambda(r, streamArn)));
    event.setRecords(records);
    Object result;
    try {
      result = function.invoke(event, "dynamodb", name + " (" + batch.size() + " records)");
    } catch (Exception e) {
      return new Outcome(0, true, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (!settings.reportBatchItemFailures() || !(result instanceof StreamsEventResponse response)
        || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
      return new Outcome(-1, false, null);
    }
    int lowest = Integer.MAX_VALUE;
    for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
      int index = indexOf(batch, failure.getItemIdentifier());
      // An identifier that is missing or not in the batch fails the whole batch, as in Lambda.
      lowest = Math.min(lowest, index < 0 ? 0 : index);
    }
    return new Outcome(lowest, false, "batch item failure reported");
  }

  private static int indexOf(List<Record> batch, String sequenceNumber) {
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).dynamodb().sequenceNumber().equals(sequenceNumber)) {
        return i;
      }
    }
    return -1;
  }

  private void giveUp(String shardId, List<Record> pending, int retries, Outcome outcome) {
    Record first = pending.get(0);
    Record last = pending.get(pending.size() - 1);
    ObjectNode message = Json.object()
        .put("version", "1.0")
        .put("timestamp", Instant.now().toString());
    message.putObject("requestContext")
        .put("requestId", java.util.UUID.randomUUID().toString())
        .put("functionArn", "arn:aws:lambda:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT + ":function:"
            + function.name())
        .put("condition", "RetryAttemptsExhausted")
        .put("approximateInvokeCount", retries + 1);
    message.putObject("responseContext").put("functionError", outcome.reason());
    message.putObject("DDBStreamBatchInfo")
        .put("shardId", shardId)
        .put("startSequenceNumber", first.dynamodb().sequenceNumber())
        .put("endSequenceNumber", last.dynamodb().sequenceNumber())
        .put("batchSize", pending.size())
        .put("streamArn", streamArn);
    if (settings.onFailureQueue() != null) {
      failures.send(settings.onFailureQueue(), message);
    } else {
      log("ERROR", "stream batch dropped after its retries: the mapping has no on-failure destination",
          Json.write(message));
    }
  }

  private void log(String level, String message, String detail) {
    ObjectNode line = Json.object()
        .put("time", Instant.now().toString())
        .put("level", level)
        .put("message", message)
        .put("mapping", name)
        .put("detail", detail);
    System.out.println(Json.write(line));
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    // As Lambda does on a mapping's update: batches with the function finish, no new one starts. Interrupting a
    // call half-way can leave a request half-written on a connection to the local SQS engine, whose stop then
    // waits for it (a rehearsal's restart stalled a minute that way); interrupt only what does not finish.
    running = false;
    try {
      if (lanes != null) {
        lanes.shutdown();
        lanes.awaitTermination(CLOSE_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lanes != null) {
      lanes.shutdownNow();
    }
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final long CLOSE_WAIT_MILLIS = 15_000;
}
