package fabric.kinesis.service;

import fabric.kinesis.model.KinesisErrors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seed's read limits per shard: 5 GetRecords calls and 2 MiB a second, as token
 * buckets holding one second's worth. Reads are not events, so the buckets live in memory
 * on the node that serves the read (a shard read through three nodes may get up to three
 * times the limit; AWS's own limit is per shard, so tests read through one node).
 */
final class ReadLimits {
  static final int CALLS_PER_SECOND = 5;
  static final long BYTES_PER_SECOND = 2L * 1024 * 1024;
  /** Buckets kept before all are dropped (a dropped bucket starts full: generous, bounded). */
  static final int MAX_BUCKETS = 100_000;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double calls = CALLS_PER_SECOND;
    double bytes = BYTES_PER_SECOND;
    long atMillis;

    Bucket(long nowMillis) {
      atMillis = nowMillis;
    }

    synchronized boolean take(long nowMillis) {
      if (nowMillis < atMillis) {
        // The clock went back: count on from now. Waiting for the old time refused every
        // read of the shard on this node for as long as the clock had been ahead.
        atMillis = nowMillis;
      }
      double seconds = (nowMillis - atMillis) / 1000.0;
      atMillis = nowMillis;
      calls = Math.min(CALLS_PER_SECOND, calls + seconds * CALLS_PER_SECOND);
      bytes = Math.min(BYTES_PER_SECOND, bytes + seconds * BYTES_PER_SECOND);
      if (calls < 1 || bytes <= 0) {
        return false;
      }
      calls -= 1;
      return true;
    }

    synchronized void paid(long readBytes) {
      bytes -= readBytes; // may go into debt: the next calls wait for it
    }
  }

  /** Takes one call from the shard's bucket, or refuses with AWS's exception. */
  void take(String shardEntity, String shardId, String stream, String account,
      long nowMillis) {
    if (buckets.size() > MAX_BUCKETS) {
      buckets.clear();
    }
    if (!buckets.computeIfAbsent(shardEntity, k -> new Bucket(nowMillis)).take(nowMillis)) {
      throw KinesisErrors.ProvisionedThroughputExceededException.exception("Rate exceeded for "
          + "Shard - " + account + "/" + stream + "/" + shardId);
    }
  }

  void paid(String shardEntity, long bytes) {
    Bucket b = buckets.get(shardEntity);
    if (b != null) {
      b.paid(bytes);
    }
  }
}
