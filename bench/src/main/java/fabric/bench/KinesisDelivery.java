package fabric.bench;

import com.google.protobuf.ByteString;
import fabric.kinesis.v1.PutRecordsResponse;
import fabric.kinesis.v1.Record;
import fabric.kinesis.v1.SubscribeToShardEvent;
import fabric.kinesis.v1.SubscribeToShardRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code subscribe} phase of the Kinesis benchmark: put-to-SubscribeToShard delivery
 * latency. One enhanced fan-out consumer (registered once, on the first run) subscribes to
 * every shard from LATEST, spread over the targets; {@code threads} producers send
 * PutRecords whose records carry their send time (System.nanoTime, 8 bytes, then filler) at
 * {@code rate} records/s together (0: as fast as they can, then the latency is the
 * saturated one). An op is a record delivered: its latency runs from the start of the
 * PutRecords that carried it to the event that brought it, in this process (one clock).
 *
 * <p>Records count when they were sent inside the measured window; after it the phase
 * waits up to {@link #GRACE} for the last of them. A record the stream acknowledged in the
 * window but no subscription brought is an error {@link #UNDELIVERED}; a refused record is
 * {@code entry:<code>}, as in the put phase; a subscription that failed (and was made
 * again from its continuation) is its gRPC status.
 */
final class KinesisDelivery {
  static final String UNDELIVERED = "UNDELIVERED";
  /** The send time at the head of each record. */
  static final int STAMP_BYTES = Long.BYTES;
  /** How long records sent in the window may take to arrive after it. */
  static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SUBSCRIBED_TIMEOUT = Duration.ofSeconds(30);
  private static final long RESUBSCRIBE_DELAY_MILLIS = 200;

  private final List<KinesisOps> targets;
  private final String stream;
  private final List<String> shardIds;
  private final int recordSize;
  private final int batch;
  private final int rate;
  private final byte[] filler;
  private final Duration warmup;
  private final Duration duration;
  private String consumerArn;
  /** The phase's window, published by the producers as they start. */
  private volatile Workload.Clock clock;

  /** @param rate records per second all producers send together; 0: unpaced */
  KinesisDelivery(List<KinesisOps> targets, String stream, List<String> shardIds,
      int recordSize, int batch, int rate, byte[] filler, Duration warmup,
      Duration duration) {
    if (recordSize < STAMP_BYTES || recordSize > filler.length) {
      throw new IllegalArgumentException("record size " + recordSize);
    }
    this.targets = targets;
    this.stream = stream;
    this.shardIds = shardIds;
    this.recordSize = recordSize;
    this.batch = batch;
    this.rate = rate;
    this.filler = filler;
    this.warmup = warmup;
    this.duration = duration;
  }

  ResultRow run(int producers) throws InterruptedException {
    ensureConsumer();
    clock = null;
    List<ShardSubscriber> subscribers = new ArrayList<>();
    for (int i = 0; i < shardIds.size(); i++) {
      ShardSubscriber s = new ShardSubscriber(targets.get(i % targets.size()), shardIds.get(i));
      subscribers.add(s);
      s.start();
    }
    try {
      for (ShardSubscriber s : subscribers) {
        if (!s.subscribed.await(SUBSCRIBED_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("no SubscribeToShard event for " + s.shardId
              + " within " + SUBSCRIBED_TIMEOUT.toSeconds() + " s: " + s.lastFailure);
        }
      }
      List<Workload.Task> tasks = new ArrayList<>();
      List<OpStats> putErrors = new ArrayList<>();
      long[] acked = new long[producers];
      for (int t = 0; t < producers; t++) {
        OpStats errors = new OpStats();
        putErrors.add(errors);
        KinesisOps ops = targets.get(t % targets.size());
        SplittableRandom random = new SplittableRandom(7_000_003L * producers + 31L * t);
        int thread = t;
        tasks.add(c -> acked[thread] = putLoop(ops, random, errors, c, producers));
      }
      Workload.Clock window = Workload.runTogether(tasks, warmup, duration,
          t -> "bench-kinesis-subscribe-x" + producers + "-t" + t);
      long expected = 0;
      for (long n : acked) {
        expected += n;
      }
      long until = System.nanoTime() + GRACE.toNanos();
      while (delivered(subscribers) < expected && System.nanoTime() - until < 0) {
        Thread.sleep(20);
      }
      OpStats all = new OpStats();
      putErrors.forEach(all::add);
      for (ShardSubscriber s : subscribers) {
        s.stop();
        synchronized (s) {
          all.add(s.stats);
        }
      }
      for (long missing = expected - delivered(subscribers); missing > 0; missing--) {
        all.recordError(UNDELIVERED, "records acknowledged in the window and not delivered "
            + "within " + GRACE.toSeconds() + " s after it");
      }
      return ResultRow.ofItems("subscribe", recordSize, producers,
          (window.end - window.measureStart) / 1e9, all);
    } finally {
      subscribers.forEach(ShardSubscriber::stop);
    }
  }

  private static long delivered(List<ShardSubscriber> subscribers) {
    long n = 0;
    for (ShardSubscriber s : subscribers) {
      synchronized (s) {
        n += s.deliveredInWindow;
      }
    }
    return n;
  }

  private void ensureConsumer() throws InterruptedException {
    if (consumerArn != null) {
      return;
    }
    KinesisOps ops = targets.get(0);
    String arn = ops.registerConsumer(stream, "bench-subscriber");
    long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
    while (!ops.consumerStatus(arn).equals("ACTIVE")) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("consumer " + arn + " not ACTIVE after "
            + ACTIVE_TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
    consumerArn = arn;
  }

  /** Puts stamped batches at this producer's share of the rate until the phase ends;
   *  returns the records acknowledged that were sent inside the window. */
  private long putLoop(KinesisOps ops, SplittableRandom random, OpStats errors,
      Workload.Clock c, int producers) throws InterruptedException {
    clock = c;
    long intervalNanos = rate == 0 ? 0
        : (long) (batch * 1e9 * producers / rate);
    long next = System.nanoTime();
    long acked = 0;
    for (long start = System.nanoTime(); start - c.end < 0; start = System.nanoTime()) {
      if (intervalNanos > 0) {
        long wait = next - start;
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
          start = System.nanoTime();
        }
        next += intervalNanos;
      }
      if (start - c.end >= 0) {
        break;
      }
      String[] keys = new String[batch];
      ByteString[] data = new ByteString[batch];
      ByteString stamp = ByteString.copyFrom(ByteBuffer.allocate(STAMP_BYTES)
          .putLong(0, start));
      for (int i = 0; i < batch; i++) {
        keys[i] = "pk-" + random.nextInt(1_000_000);
        data[i] = stamp.concat(ByteString.copyFrom(filler, random.nextInt(filler.length
            - recordSize + 1), recordSize - STAMP_BYTES));
      }
      try {
        PutRecordsResponse r = ops.putRecords(stream, keys, data);
        if (c.inWindow(start)) {
          acked += batch - r.getFailedRecordCount();
          KinesisOps.recordRefusedEntries(r, errors);
        }
        if (r.getFailedRecordCount() > 0) {
          Workload.pauseAfterError();
        }
      } catch (StatusRuntimeException e) {
        if (c.inWindow(start)) {
          errors.recordError(Bench.errorKey(e), Bench.why(e));
        }
        Workload.pauseAfterError();
      }
    }
    return acked;
  }

  /** One shard's subscription, made again from its continuation when it ends or fails. */
  private final class ShardSubscriber
      implements ClientResponseObserver<SubscribeToShardRequest, SubscribeToShardEvent> {
    final KinesisOps ops;
    final String shardId;
    final java.util.concurrent.CountDownLatch subscribed =
        new java.util.concurrent.CountDownLatch(1);
    /** Guarded by this (gRPC serializes one call's callbacks; a new call may overlap). */
    final OpStats stats = new OpStats();
    long deliveredInWindow;
    private BigInteger last = BigInteger.ONE.negate();
    private String continuation;
    volatile ClientCallStreamObserver<SubscribeToShardRequest> call;
    volatile boolean stopped;
    volatile String lastFailure;

    ShardSubscriber(KinesisOps ops, String shardId) {
      this.ops = ops;
      this.shardId = shardId;
    }

    void start() {
      if (!stopped) {
        String after;
        synchronized (this) {
          after = continuation;
        }
        ops.subscribe(consumerArn, shardId, after, this);
      }
    }

    void stop() {
      stopped = true;
      ClientCallStreamObserver<SubscribeToShardRequest> c = call;
      if (c != null) {
        c.cancel("benchmark phase over", null);
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeToShardRequest> requests) {
      call = requests;
    }

    @Override
    public void onNext(SubscribeToShardEvent event) {
      long now = System.nanoTime();
      Workload.Clock c = clock;
      synchronized (this) {
        for (Record r : event.getRecordsList()) {
          BigInteger seq = new BigInteger(r.getSequenceNumber());
          if (seq.compareTo(last) <= 0) {
            continue; // already delivered by the previous subscription
          }
          last = seq;
          if (c == null || r.getData().size() < STAMP_BYTES) {
            continue; // not sent by a measured producer
          }
          long sent = r.getData().substring(0, STAMP_BYTES).asReadOnlyByteBuffer().getLong();
          if (!c.inWindow(sent)) {
            continue;
          }
          if (r.getData().size() != recordSize) {
            stats.recordError(KinesisWorkload.BAD_RECORD, "a record of shard " + shardId
                + " is not " + recordSize + " bytes");
            continue;
          }
          deliveredInWindow++;
          stats.recordSuccess(now - sent, r.getData().size(), 1);
        }
        if (!event.getContinuationSequenceNumber().isEmpty()) {
          continuation = event.getContinuationSequenceNumber();
        }
      }
      subscribed.countDown();
    }

    @Override
    public void onError(Throwable t) {
      if (stopped) {
        return;
      }
      lastFailure = t.toString();
      Workload.Clock c = clock;
      if (c != null && c.inWindow(System.nanoTime())) {
        synchronized (this) {
          stats.recordError(t instanceof StatusRuntimeException e ? Bench.errorKey(e)
              : t.getClass().getSimpleName(), t.getMessage());
        }
      }
      // A subscription of the last run may still hold the slot for a moment: try again.
      CompletableFuture.delayedExecutor(RESUBSCRIBE_DELAY_MILLIS, TimeUnit.MILLISECONDS)
          .execute(this::start);
    }

    @Override
    public void onCompleted() {
      start(); // the lifetime ended: on from the continuation
    }
  }
}
