package fabric.drills.workload;

import fabric.drills.check.KinesisChecker;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One reader per shard of a stream, as AWS's KCL reads it: from TRIM_HORIZON with GetRecords
 * to the shard's end; at a closed shard's end the page names the children
 * ({@code ChildShards}), recorded in the history ({@link KinesisChecker#CHILDREN}), and a
 * child's reader starts once every parent of it was read to its end, so that a partition
 * key's records are read in order across a split or merge.
 *
 * <p>A reader keeps its iterator across failed calls (an iterator is a position, any node
 * serves it) and polls every {@link #POLL_MILLIS} at the tip of an open shard.
 */
final class ShardReaders {
  /** A reader's pause at the tip; with the calls in between, under the 5 reads a second a
   *  shard allows. */
  static final long POLL_MILLIS = 250;
  /** A reader's pause between pages while behind: 5 reads a second. */
  static final long BEHIND_PAUSE_MILLIS = 200;
  /** Records a GetRecords asks for at most. */
  static final int READ_LIMIT = 1_000;
  /** Reader threads over one drill at most: a reshard every few seconds for a day stays
   *  below it; past it a child is not read (and its records are inconclusive). */
  static final int MAX_READERS = 2_000;
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 50;

  private final History history;
  private final KinesisEndpoints endpoints;
  private final String stream;
  private final int firstProcess;
  /** Started readers by shard, in start order. */
  private final Map<String, Thread> readers = new LinkedHashMap<>();
  /** Closed shards read to their end. */
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  /** Open shards read to the tip since {@link #tipCountsFromNow}. */
  private final Set<String> atTip = ConcurrentHashMap.newKeySet();
  /** Each child's parents as the parents' ends named them. */
  private final Map<String, List<String>> parentsOf = new ConcurrentHashMap<>();
  private volatile boolean tipCounts;
  private volatile boolean reading = true;

  ShardReaders(History history, KinesisEndpoints endpoints, String stream, int firstProcess) {
    this.history = history;
    this.endpoints = endpoints;
    this.stream = stream;
    this.firstProcess = firstProcess;
  }

  /** Starts a reader of {@code shardId} unless one was started already. */
  synchronized void start(String shardId) {
    if (readers.containsKey(shardId) || readers.size() >= MAX_READERS || !reading) {
      return;
    }
    int process = firstProcess + readers.size();
    Thread t = new Thread(() -> read(process, shardId), "drill-kinesis-reader-" + shardId);
    t.setDaemon(true);
    readers.put(shardId, t);
    t.start();
  }

  synchronized Set<String> started() {
    return Set.copyOf(readers.keySet());
  }

  /** From now on a reader at the tip of an open shard counts (the producers stopped). */
  void tipCountsFromNow() {
    atTip.clear();
    tipCounts = true;
  }

  /** The shards read to their end (closed) or to the tip since {@link #tipCountsFromNow}. */
  Set<String> done() {
    Set<String> out = new HashSet<>(finished);
    out.addAll(atTip);
    return out;
  }

  /** Whether every shard of {@code shards} and every started one is {@link #done}. */
  boolean allDone(Collection<String> shards) {
    Set<String> done = done();
    return done.containsAll(shards) && done.containsAll(started());
  }

  /** Stops the readers and waits for them. */
  void stop() throws InterruptedException {
    List<Thread> all;
    synchronized (this) {
      reading = false;
      all = new ArrayList<>(readers.values());
    }
    for (Thread t : all) {
      t.join();
    }
  }

  private void read(int process, String shardId) {
    String key = stream + "/" + shardId;
    String iterator = null;
    String lastSequence = null;
    while (reading) {
      KinesisClient endpoint = endpoints.pick();
      if (iterator == null) {
        SqsClient.Result<String> it = endpoint.shardIterator(stream, shardId, lastSequence);
        if (it instanceof SqsClient.Ok<String> ok) {
          iterator = ok.value();
        } else {
          endpoints.avoid(endpoint);
          sleep(PAUSE_AFTER_FAILURE_MILLIS);
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
        if (page.nextIterator().isEmpty()) {
          finish(process, shardId, page.childShards());
          return;
        }
        iterator = page.nextIterator();
        if (page.records().isEmpty() && page.millisBehindLatest() == 0) {
          if (tipCounts) {
            atTip.add(shardId);
          }
          sleep(POLL_MILLIS);
        } else {
          // The shard's 5 reads a second are per serving node: when the readers avoid two
          // failed nodes, the third serves every read.
          sleep(BEHIND_PAUSE_MILLIS);
        }
      } else {
        if (r instanceof SqsClient.Failed<?> f && f.error().contains("ExpiredIterator")) {
          iterator = null; // a new one after the last record read
        }
        if (r instanceof SqsClient.Failed<?> failed) {
          history.fail(op, failed.error());
        } else {
          history.info(op, ((SqsClient.Unknown<?>) r).error());
          endpoints.avoid(endpoint);
        }
        sleep(PAUSE_AFTER_FAILURE_MILLIS);
      }
    }
  }

  /**
   * A closed shard read to its end: its children go into the history, and each child whose
   * parents are all read to their end gets its reader (a merge's child waits for both).
   */
  private void finish(int process, String shardId, List<KinesisClient.ChildShard> children) {
    List<OpValue.Message> named = new ArrayList<>();
    for (KinesisClient.ChildShard c : children) {
      named.add(OpValue.message(c.shardId(), String.join(",", c.parentShards())));
    }
    Op op = history.invoke(process, KinesisChecker.CHILDREN, stream + "/" + shardId, null);
    history.ok(op, OpValue.messages(named));
    synchronized (this) {
      finished.add(shardId);
      for (KinesisClient.ChildShard c : children) {
        parentsOf.put(c.shardId(), c.parentShards());
      }
      for (KinesisClient.ChildShard c : children) {
        if (finished.containsAll(parentsOf.get(c.shardId()))) {
          start(c.shardId());
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
