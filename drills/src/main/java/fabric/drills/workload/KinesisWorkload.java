package fabric.drills.workload;

import fabric.drills.check.KinesisChecker;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producers and readers on one Kinesis stream, each call through the next node in turn
 * (round-robin, skipping for a moment a node that just failed a call), every call recorded in
 * the {@link History} (shapes: {@link KinesisChecker}).
 *
 * <p>Producer p owns the partition keys {@code k<j>} with j mod producers = p and puts, per
 * call, one record of each with the key's next counter ({@code k3:17}) in one PutRecords. A
 * put is never retried: a record whose outcome is unknown may or may not be in the stream.
 * One reader per shard reads from TRIM_HORIZON with GetRecords, keeps its iterator across
 * failed calls (an iterator is a position, any node serves it) and polls every
 * {@link #POLL_MILLIS} at the tip.
 */
public final class KinesisWorkload {
  private static final long AVOID_FAILED_NODE_MILLIS = 1_000;
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 50;
  /** A reader's pause at the tip; with the calls in between, under the 5 reads a second a
   *  shard allows. */
  static final long POLL_MILLIS = 250;
  /** Records a GetRecords asks for at most. */
  static final int READ_LIMIT = 1_000;

  private final History history;
  private final List<KinesisClient> endpoints;
  private final String stream;
  private final List<String> shardIds;
  private final int producers;
  private final int keys;
  private final Map<String, Long> avoidUntil = new ConcurrentHashMap<>();
  private final AtomicLong nextEndpoint = new AtomicLong();
  private final List<Thread> producerThreads = new ArrayList<>();
  private final List<Thread> readerThreads = new ArrayList<>();
  private final Set<String> readToTip = ConcurrentHashMap.newKeySet();
  private volatile boolean producing = true;
  private volatile boolean reading = true;

  public KinesisWorkload(History history, List<KinesisClient> endpoints, String stream,
      List<String> shardIds, int producers, int keys) {
    if (endpoints.isEmpty() || shardIds.isEmpty() || producers < 1 || keys < producers) {
      throw new IllegalArgumentException("need endpoints, shards, a producer and a key each");
    }
    this.history = history;
    this.endpoints = endpoints;
    this.stream = stream;
    this.shardIds = List.copyOf(shardIds);
    this.producers = producers;
    this.keys = keys;
  }

  public void start() {
    for (int p = 0; p < producers; p++) {
      int process = p;
      Thread t = new Thread(() -> produce(process), "drill-kinesis-producer-" + p);
      t.setDaemon(true);
      producerThreads.add(t);
    }
    for (int s = 0; s < shardIds.size(); s++) {
      int shard = s;
      Thread t = new Thread(() -> read(producers + shard, shardIds.get(shard)),
          "drill-kinesis-reader-" + s);
      t.setDaemon(true);
      readerThreads.add(t);
    }
    producerThreads.forEach(Thread::start);
    readerThreads.forEach(Thread::start);
  }

  /**
   * Stops the producers, then lets the readers go on until each read its shard to the tip
   * (an empty page, nothing behind) or {@code drain} passes.
   *
   * @return the shards read to the tip
   */
  public Set<String> stop(Duration drain) throws InterruptedException {
    producing = false;
    for (Thread t : producerThreads) {
      t.join();
    }
    long deadline = System.nanoTime() + drain.toNanos();
    readToTip.clear(); // only the tip after the last put counts
    while (readToTip.size() < shardIds.size() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    reading = false;
    for (Thread t : readerThreads) {
      t.join();
    }
    return Set.copyOf(readToTip);
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
      KinesisClient endpoint = pick();
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

  private void read(int process, String shardId) {
    String key = stream + "/" + shardId;
    String iterator = null;
    String lastSequence = null;
    while (reading) {
      KinesisClient endpoint = pick();
      if (iterator == null) {
        SqsClient.Result<String> it = endpoint.shardIterator(stream, shardId, lastSequence);
        if (it instanceof SqsClient.Ok<String> ok) {
          iterator = ok.value();
        } else {
          avoid(endpoint);
          pause();
          continue;
        }
      }
      Op op = history.invoke(process, KinesisChecker.READ, key, null);
      SqsClient.Result<KinesisClient.Page> r = endpoint.getRecords(iterator, READ_LIMIT);
      if (r instanceof SqsClient.Ok<KinesisClient.Page> ok) {
        KinesisClient.Page page = ok.value();
        List<OpValue.Message> got = new ArrayList<>();
        for (KinesisClient.Read rec : page.records()) {
          got.add(OpValue.message(rec.sequenceNumber(), rec.data()));
          lastSequence = rec.sequenceNumber();
        }
        history.ok(op, OpValue.messages(got));
        iterator = page.nextIterator().isEmpty() ? null : page.nextIterator();
        if (page.records().isEmpty() && page.millisBehindLatest() == 0) {
          if (!producing) {
            readToTip.add(shardId);
          }
          sleep(POLL_MILLIS);
        } else {
          sleep(POLL_MILLIS / 2); // the shard's 5 reads a second
        }
      } else {
        if (r instanceof SqsClient.Failed<?> f && f.error().contains("ExpiredIterator")) {
          iterator = null; // a new one after the last record read
        }
        record(op, r, endpoint);
      }
    }
  }

  private void record(Op op, SqsClient.Result<?> result, KinesisClient endpoint) {
    if (result instanceof SqsClient.Failed<?> failed) {
      history.fail(op, failed.error());
    } else {
      history.info(op, ((SqsClient.Unknown<?>) result).error());
      avoid(endpoint);
    }
    pause();
  }

  private void avoid(KinesisClient endpoint) {
    avoidUntil.put(endpoint.nodeId(), System.currentTimeMillis() + AVOID_FAILED_NODE_MILLIS);
  }

  private static void pause() {
    sleep(PAUSE_AFTER_FAILURE_MILLIS);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next node in turn that did not just fail a call; any node if all did. */
  private KinesisClient pick() {
    long now = System.currentTimeMillis();
    for (int attempt = 0; attempt < endpoints.size(); attempt++) {
      KinesisClient candidate = endpoints.get(
          (int) (nextEndpoint.getAndIncrement() % endpoints.size()));
      if (avoidUntil.getOrDefault(candidate.nodeId(), 0L) <= now) {
        return candidate;
      }
    }
    return endpoints.get((int) (nextEndpoint.getAndIncrement() % endpoints.size()));
  }
}
