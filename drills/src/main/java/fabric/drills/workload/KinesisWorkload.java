package fabric.drills.workload;

import fabric.drills.check.KinesisChecker;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Producers, readers and optionally a resharder on one Kinesis stream, each call through the
 * next node in turn ({@link KinesisEndpoints}), every call recorded in the {@link History}
 * (shapes: {@link KinesisChecker}).
 *
 * <p>Producer p owns the partition keys {@code k<j>} with j mod producers = p and puts, per
 * call, one record of each with the key's next counter ({@code k3:17}) in one PutRecords. A
 * put is never retried: a record whose outcome is unknown may or may not be in the stream.
 * The readers ({@link ShardReaders}) read each shard from TRIM_HORIZON and follow closed
 * shards to their children. With a reshard period, a resharder calls UpdateShardCount every
 * period, cycling through {@link #reshardTargets} (up, further up, back down), while the
 * producers run.
 */
public final class KinesisWorkload {
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 50;
  /** UpdateShardCount answers once its splits and merges are done: seconds, longer while a
   *  shard's leader fails over. */
  static final long RESHARD_DEADLINE_MILLIS = 60_000;

  private final History history;
  private final KinesisEndpoints endpoints;
  private final String stream;
  private final List<String> initialShards;
  private final int producers;
  private final int keys;
  private final Duration reshardEvery;
  private final ShardReaders readers;
  private final List<Thread> producerThreads = new ArrayList<>();
  private Thread resharder;
  private volatile List<String> openShards;
  private volatile boolean producing = true;
  private volatile boolean resharding = true;

  /**
   * @param reshardEvery the period of UpdateShardCount calls; zero for none
   */
  public KinesisWorkload(History history, List<KinesisClient> endpoints, String stream,
      List<String> shardIds, int producers, int keys, Duration reshardEvery) {
    if (endpoints.isEmpty() || shardIds.isEmpty() || producers < 1 || keys < producers) {
      throw new IllegalArgumentException("need endpoints, shards, a producer and a key each");
    }
    this.history = history;
    this.endpoints = new KinesisEndpoints(endpoints);
    this.stream = stream;
    this.initialShards = List.copyOf(shardIds);
    this.openShards = initialShards;
    this.producers = producers;
    this.keys = keys;
    this.reshardEvery = reshardEvery;
    // process ids: producers 0..producers-1, the resharder, then the readers
    this.readers = new ShardReaders(history, this.endpoints, stream, producers + 1);
  }

  /** The open shards as the last ListShards after a reshard showed them. */
  public List<String> openShards() {
    return openShards;
  }

  /** Targets the resharder cycles through from {@code n} shards: up by half, to double,
   *  back to n (each within UNIFORM_SCALING's half..double of the one before). */
  public static List<Integer> reshardTargets(int n) {
    return List.of(n + Math.max(1, n / 2), 2 * n, n);
  }

  public void start() {
    for (int p = 0; p < producers; p++) {
      int process = p;
      Thread t = new Thread(() -> produce(process), "drill-kinesis-producer-" + p);
      t.setDaemon(true);
      producerThreads.add(t);
    }
    producerThreads.forEach(Thread::start);
    initialShards.forEach(readers::start);
    if (!reshardEvery.isZero()) {
      resharder = new Thread(this::reshard, "drill-kinesis-resharder");
      resharder.setDaemon(true);
      resharder.start();
    }
  }

  /**
   * Stops the resharder (waiting for its last call) and the producers, then lets the readers
   * go on until every shard ListShards lists is read to its end or to the tip, or
   * {@code drain} passes.
   *
   * @return the shards read to their end or to the tip
   */
  public Set<String> stop(Duration drain) throws InterruptedException {
    long deadline = System.nanoTime() + drain.toNanos();
    resharding = false;
    if (resharder != null) {
      resharder.join(); // an UpdateShardCount under way ends first (a cancel would not undo it)
    }
    producing = false;
    for (Thread t : producerThreads) {
      t.join();
    }
    readers.tipCountsFromNow(); // only the tip after the last put counts
    List<String> listed = listShards(deadline);
    while (!readers.allDone(listed) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    readers.stop();
    return readers.done();
  }

  /**
   * Every shard of the stream once no reshard is under way, recorded in the history
   * ({@link KinesisChecker#SHARDS}); the shards the readers started if no node answers.
   */
  private List<String> listShards(long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      KinesisClient endpoint = endpoints.pick();
      SqsClient.Result<KinesisClient.StreamInfo> d = endpoint.describe(stream);
      if (!(d instanceof SqsClient.Ok<KinesisClient.StreamInfo> ok)
          || !ok.value().status().equals("ACTIVE")) {
        Thread.sleep(500); // UPDATING: a reshard the resharder gave up waiting for
        continue;
      }
      Op op = history.invoke(producers, KinesisChecker.SHARDS, stream, null);
      SqsClient.Result<List<KinesisClient.ShardInfo>> r = endpoint.listShards(stream);
      if (r instanceof SqsClient.Ok<List<KinesisClient.ShardInfo>> listed) {
        List<OpValue.Message> shards = new ArrayList<>();
        for (KinesisClient.ShardInfo s : listed.value()) {
          shards.add(OpValue.message(s.shardId(), parents(s)));
        }
        history.ok(op, OpValue.messages(shards));
        return listed.value().stream().map(KinesisClient.ShardInfo::shardId).toList();
      }
      record(op, r, endpoint);
    }
    return List.copyOf(readers.started());
  }

  private static String parents(KinesisClient.ShardInfo s) {
    if (s.parent().isEmpty()) {
      return s.adjacentParent();
    }
    return s.adjacentParent().isEmpty() ? s.parent() : s.parent() + "," + s.adjacentParent();
  }

  private void reshard() {
    List<Integer> targets = reshardTargets(initialShards.size());
    int current = initialShards.size();
    int next = 0;
    while (resharding) {
      long wakeAt = System.nanoTime() + reshardEvery.toNanos();
      while (resharding && System.nanoTime() < wakeAt) {
        pause();
      }
      if (!resharding) {
        return;
      }
      int target = targets.get(next % targets.size());
      next++;
      if (target == current) {
        continue;
      }
      KinesisClient endpoint = endpoints.pick();
      Op op = history.invoke(producers, KinesisChecker.RESHARD, stream,
          OpValue.of(Integer.toString(target)));
      SqsClient.Result<Integer> r = endpoint.updateShardCount(stream, target,
          RESHARD_DEADLINE_MILLIS);
      if (r instanceof SqsClient.Ok<Integer> ok) {
        history.ok(op, OpValue.of(Integer.toString(target)));
        current = target;
        refreshOpenShards(endpoint);
      } else {
        record(op, r, endpoint);
        next--; // the same target again next period
      }
    }
  }

  private void refreshOpenShards(KinesisClient endpoint) {
    if (endpoint.listShards(stream) instanceof SqsClient.Ok<List<KinesisClient.ShardInfo>> ok) {
      openShards = ok.value().stream().filter(s -> !s.closed())
          .map(KinesisClient.ShardInfo::shardId).toList();
    }
  }

  private void produce(int process) {
    List<String> mine = new ArrayList<>();
    for (int k = process; k < keys; k += producers) {
      mine.add("k" + k);
    }
    long[] counters = new long[mine.size()];
    while (producing) {
      List<String[]> records = new ArrayList<>();
      List<OpValue.Message> asked = new ArrayList<>();
      for (int j = 0; j < mine.size(); j++) {
        String body = mine.get(j) + ":" + (++counters[j]);
        records.add(new String[] {mine.get(j), body});
        asked.add(OpValue.message(mine.get(j), body));
      }
      KinesisClient endpoint = endpoints.pick();
      Op op = history.invoke(process, KinesisChecker.PUT, stream, OpValue.messages(asked));
      SqsClient.Result<List<KinesisClient.PutResult>> r = endpoint.putRecords(stream, records);
      if (r instanceof SqsClient.Ok<List<KinesisClient.PutResult>> ok) {
        List<OpValue.Message> answered = new ArrayList<>();
        boolean anyFailed = false;
        for (int j = 0; j < ok.value().size(); j++) {
          KinesisClient.PutResult e = ok.value().get(j);
          anyFailed |= !e.errorCode().isEmpty();
          answered.add(OpValue.message(e.errorCode().isEmpty()
              ? e.shardId() + "/" + e.sequenceNumber() : "!" + e.errorCode(),
              records.get(j)[1]));
        }
        history.ok(op, OpValue.messages(answered));
        if (anyFailed) {
          pause();
        }
      } else {
        record(op, r, endpoint);
      }
    }
  }

  private void record(Op op, SqsClient.Result<?> result, KinesisClient endpoint) {
    if (result instanceof SqsClient.Failed<?> failed) {
      history.fail(op, failed.error());
    } else {
      history.info(op, ((SqsClient.Unknown<?>) result).error());
      endpoints.avoid(endpoint);
    }
    pause();
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE_AFTER_FAILURE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
