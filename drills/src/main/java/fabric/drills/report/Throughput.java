package fabric.drills.report;

import fabric.drills.history.Call;
import fabric.drills.history.OpType;
import java.util.List;

/**
 * Completions per second over a run, in fixed buckets: OK, FAIL and INFO, each counted at its
 * completion time. Calls still pending at the end have no completion and are not plotted.
 */
final class Throughput {
  /** Above this many buckets the bucket widens, so a long run still draws a readable chart. */
  static final int MAX_BUCKETS = 2_000;
  static final long SECOND = 1_000_000_000L;

  final long bucketNanos;
  final long[] ok;
  final long[] fail;
  final long[] info;

  private Throughput(long bucketNanos, int buckets) {
    this.bucketNanos = bucketNanos;
    this.ok = new long[buckets];
    this.fail = new long[buckets];
    this.info = new long[buckets];
  }

  static Throughput of(List<Call> calls, long durationNanos) {
    long bucket = SECOND;
    while (durationNanos / bucket >= MAX_BUCKETS) {
      bucket *= 2;
    }
    int buckets = (int) Math.max(1, (durationNanos + bucket - 1) / bucket);
    Throughput t = new Throughput(bucket, buckets);
    for (Call c : calls) {
      if (c.completion() == null) {
        continue;
      }
      int i = (int) Math.min(buckets - 1, c.completion().timeNanos() / bucket);
      OpType outcome = c.outcome();
      if (outcome == OpType.OK) {
        t.ok[i]++;
      } else if (outcome == OpType.FAIL) {
        t.fail[i]++;
      } else {
        t.info[i]++;
      }
    }
    return t;
  }

  int buckets() {
    return ok.length;
  }

  /** A count in a bucket as a rate per second. */
  double perSecond(long count) {
    return count * (double) SECOND / bucketNanos;
  }

  double maxRate() {
    long max = 0;
    for (int i = 0; i < buckets(); i++) {
      max = Math.max(max, Math.max(ok[i], Math.max(fail[i], info[i])));
    }
    return perSecond(max);
  }
}
