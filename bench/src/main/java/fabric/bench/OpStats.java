package fabric.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latencies, bytes, items and errors of one operation kind. Each worker thread owns one per op kind
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
  private final Map<String, String> errorSamples = new TreeMap<>();
  private long bytes;
  private long items;
  private long empty;

  void recordSuccess(long nanos, long byteCount) {
    recordSuccess(nanos, byteCount, 1);
  }

  /** A successful op that carried {@code itemCount} items (e.g. messages of an SQS batch). */
  void recordSuccess(long nanos, long byteCount, long itemCount) {
    latencyNanos.recordValue(Math.min(Math.max(nanos, 0), MAX_TRACKABLE_NANOS));
    bytes += byteCount;
    items += itemCount;
  }

  /**
   * A call that succeeded but carried nothing (an SQS receive that found no message): counted
   * apart, and kept out of ops and latencies, which describe the calls that did work.
   */
  void recordEmpty() {
    empty++;
  }

  void recordError(String code) {
    errors.merge(code, 1L, Long::sum);
  }

  /** As {@link #recordError(String)}, keeping the first message seen for each code. */
  void recordError(String code, String message) {
    recordError(code);
    errorSamples.putIfAbsent(code, message);
  }

  void add(OpStats other) {
    latencyNanos.add(other.latencyNanos);
    bytes += other.bytes;
    items += other.items;
    empty += other.empty;
    other.errors.forEach((code, n) -> errors.merge(code, n, Long::sum));
    other.errorSamples.forEach(errorSamples::putIfAbsent);
  }

  long ops() {
    return latencyNanos.getTotalCount();
  }

  long bytes() {
    return bytes;
  }

  long items() {
    return items;
  }

  long empty() {
    return empty;
  }

  Map<String, Long> errors() {
    return errors;
  }

  /** The first message of each error code (for codes recorded with one). */
  Map<String, String> errorSamples() {
    return errorSamples;
  }

  double percentileMillis(double percentile) {
    return ops() == 0 ? 0 : latencyNanos.getValueAtPercentile(percentile) / 1e6;
  }
}
