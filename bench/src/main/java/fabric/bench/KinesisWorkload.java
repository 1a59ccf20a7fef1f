package fabric.bench;

import com.google.protobuf.ByteString;
import fabric.kinesis.v1.GetRecordsResponse;
import fabric.kinesis.v1.PutRecordsResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The phases of the Kinesis benchmark, on one stream:
 *
 * <ul>
 *   <li>{@code put}: each thread sends PutRecords of {@code batch} records of
 *       {@code recordSize} bytes under random partition keys (so they spread over every
 *       shard); ops are calls, items the records the stream accepted;
 *   <li>{@code get}: thread t reads shards t, t + threads, ... from TRIM_HORIZON with
 *       GetRecords of at most {@code getLimit} records, going round its shards; a shard read
 *       to its tip starts again at TRIM_HORIZON (the GetShardIterator is not measured).
 *       Pages with no record are counted apart ({@code empty}), not as ops;
 *   <li>{@code subscribe}: put-to-SubscribeToShard delivery latency, in
 *       {@link KinesisDelivery}.
 * </ul>
 *
 * <p>Counting as in the other benchmarks: an op counts when it completes inside the
 * measured window, and rates are per window second. A record the stream refused inside a
 * PutRecords (its error code) counts as an error {@code entry:<code>}; a record read back
 * with another size than was put, as {@link #BAD_RECORD}.
 */
final class KinesisWorkload {
  static final String BAD_RECORD = "BAD_RECORD";
  /** Records put before a get phase when no put phase ran. */
  static final int GET_SEED_RECORDS = 20_000;

  enum Phase {
    PUT("put"), GET("get"), SUBSCRIBE("subscribe");

    final String label;

    Phase(String label) {
      this.label = label;
    }

    static Phase of(String label) {
      for (Phase p : values()) {
        if (p.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown phase '" + label + "' (one of: put, get, "
          + "subscribe)");
    }
  }

  private final List<KinesisOps> targets;
  private final String stream;
  private final List<String> shardIds;
  private final int recordSize;
  private final int batch;
  private final int getLimit;
  private final byte[] filler;
  private final Duration warmup;
  private final Duration duration;
  private long recordsPut;

  /** @param filler random bytes, longer than a record: records are slices of it */
  KinesisWorkload(List<KinesisOps> targets, String stream, List<String> shardIds,
      int recordSize, int batch, int getLimit, byte[] filler, Duration warmup,
      Duration duration) {
    if (recordSize < 1 || recordSize > filler.length) {
      throw new IllegalArgumentException("record size " + recordSize);
    }
    this.targets = targets;
    this.stream = stream;
    this.shardIds = shardIds;
    this.recordSize = recordSize;
    this.batch = batch;
    this.getLimit = getLimit;
    this.filler = filler;
    this.warmup = warmup;
    this.duration = duration;
  }

  ResultRow run(Phase phase, int threads) throws InterruptedException {
    if (phase == Phase.GET && recordsPut == 0) {
      seed();
    }
    List<Workload.Task> tasks = new ArrayList<>();
    List<OpStats> stats = new ArrayList<>();
    long[] accepted = new long[threads];
    for (int t = 0; t < threads; t++) {
      OpStats s = new OpStats();
      stats.add(s);
      KinesisOps ops = targets.get(t % targets.size());
      SplittableRandom random = new SplittableRandom(1_000_003L * threads + 31L * t
          + phase.ordinal());
      if (phase == Phase.PUT) {
        int thread = t;
        tasks.add(clock -> accepted[thread] = putLoop(ops, random, s, clock));
      } else {
        List<String> mine = new ArrayList<>();
        for (int i = t % shardIds.size(); i < shardIds.size(); i += threads) {
          mine.add(shardIds.get(i));
        }
        tasks.add(clock -> getLoop(ops, mine, s, clock));
      }
    }
    Workload.runTogether(tasks, warmup, duration,
        t -> "bench-kinesis-" + phase.label + "-x" + threads + "-t" + t);
    OpStats all = new OpStats();
    stats.forEach(all::add);
    for (long n : accepted) {
      recordsPut += n;
    }
    return ResultRow.ofItems(phase.label, recordSize, threads, duration.toNanos() / 1e9, all);
  }

  private ByteString[] records(SplittableRandom random) {
    ByteString[] data = new ByteString[batch];
    for (int i = 0; i < batch; i++) {
      data[i] = ByteString.copyFrom(filler, random.nextInt(filler.length - recordSize + 1),
          recordSize);
    }
    return data;
  }

  private String[] keys(SplittableRandom random) {
    String[] keys = new String[batch];
    for (int i = 0; i < batch; i++) {
      keys[i] = "pk-" + random.nextInt(1_000_000);
    }
    return keys;
  }

  /** Puts until the phase ends; returns the records accepted (warm-up included). */
  private long putLoop(KinesisOps ops, SplittableRandom random, OpStats stats,
      Workload.Clock clock) throws InterruptedException {
    long accepted = 0;
    for (long start = System.nanoTime(); start - clock.end < 0; start = System.nanoTime()) {
      ByteString[] data = records(random);
      try {
        PutRecordsResponse r = ops.putRecords(stream, keys(random), data);
        long end = System.nanoTime();
        int ok = batch - r.getFailedRecordCount();
        accepted += ok;
        if (clock.inWindow(end)) {
          stats.recordSuccess(end - start, (long) ok * recordSize, ok);
          KinesisOps.recordRefusedEntries(r, stats);
        }
        if (r.getFailedRecordCount() > 0) {
          Workload.pauseAfterError();
        }
      } catch (StatusRuntimeException e) {
        if (clock.inWindow(System.nanoTime())) {
          stats.recordError(Bench.errorKey(e), Bench.why(e));
        }
        Workload.pauseAfterError();
      }
    }
    return accepted;
  }

  private void getLoop(KinesisOps ops, List<String> shards, OpStats stats,
      Workload.Clock clock) throws InterruptedException {
    if (shards.isEmpty()) {
      return;
    }
    String[] iterators = new String[shards.size()];
    int turn = 0;
    for (long start = System.nanoTime(); start - clock.end < 0; start = System.nanoTime()) {
      int i = turn++ % shards.size();
      try {
        if (iterators[i] == null || iterators[i].isEmpty()) {
          iterators[i] = ops.trimHorizon(stream, shards.get(i));
          start = System.nanoTime();
        }
        GetRecordsResponse r = ops.getRecords(iterators[i], getLimit);
        long end = System.nanoTime();
        iterators[i] = r.getRecordsCount() == 0 && r.getMillisBehindLatest() == 0 ? null
            : r.getNextShardIterator();
        if (!clock.inWindow(end)) {
          continue;
        }
        if (r.getRecordsCount() == 0) {
          stats.recordEmpty();
          continue;
        }
        long bytes = 0;
        boolean bad = false;
        for (var rec : r.getRecordsList()) {
          bytes += rec.getData().size();
          bad |= rec.getData().size() != recordSize;
        }
        if (bad) {
          stats.recordError(BAD_RECORD, "a record of shard " + shards.get(i) + " is not "
              + recordSize + " bytes");
        } else {
          stats.recordSuccess(end - start, bytes, r.getRecordsCount());
        }
      } catch (StatusRuntimeException e) {
        if (clock.inWindow(System.nanoTime())) {
          stats.recordError(Bench.errorKey(e), Bench.why(e));
        }
        Workload.pauseAfterError();
      }
    }
  }

  /** Records for a get phase when no put phase wrote any (e.g. --phases get). */
  private void seed() {
    SplittableRandom random = new SplittableRandom(11);
    KinesisOps ops = targets.get(0);
    for (long put = 0; put < GET_SEED_RECORDS; ) {
      PutRecordsResponse r = ops.putRecords(stream, keys(random), records(random));
      put += batch - r.getFailedRecordCount();
    }
    recordsPut += GET_SEED_RECORDS;
  }
}
