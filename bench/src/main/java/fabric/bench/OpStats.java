package fabric.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latencies, bytes and errors of one operation kind. Each worker thread owns one per op kind
 * and records without locks; the phase merges them once the threads have been joined.
 */
final class OpStats {
  /** Anything slower is clamped: an op that slow is a failure to investigate, not a datum. */
  static final long MAX_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);

  /** Reported for a GET that returned fewer bytes than were PUT (no gRPC status says so). */
  static final String SHORT_READ = "SHORT_READ";
  /** Reported for a GET that returned more bytes than were PUT. */
  static final String LONG_READ = "LONG_READ";

  // 3 significant digits: 0.1% resolution, which is finer than run-to-run noise.
  private final Histogram latencyNanos = new Histogram(MAX_TRACKABLE_NANOS, 3);
  private final Map<String, Long> errors = new TreeMap<>();
  private long bytes;

  void recordSuccess(long nanos, long byteCount) {
    latencyNanos.recordValue(Math.min(Math.max(nanos, 0), MAX_TRACKABLE_NANOS));
    bytes += byteCount;
  }

  void recordError(String code) {
    errors.merge(code, 1L, Long::sum);
  }

  void add(OpStats other) {
    latencyNanos.add(other.latencyNanos);
    bytes += other.bytes;
    other.errors.forEach((code, n) -> errors.merge(code, n, Long::sum));
  }

  long ops() {
    return latencyNanos.getTotalCount();
  }

  long bytes() {
    return bytes;
  }

  Map<String, Long> errors() {
    return errors;
  }

  double percentileMillis(double percentile) {
    return ops() == 0 ? 0 : latencyNanos.getValueAtPercentile(percentile) / 1e6;
  }
}
