package fabric.bench;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One measured (op, size, threads) cell. Only successful ops count towards ops, throughput and
 * percentiles; failed ones are in {@code errors} alone, so an error storm cannot flatter them.
 */
record ResultRow(
    String op,
    long sizeBytes,
    int threads,
    long ops,
    double seconds,
    long bytes,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    Map<String, Long> errors) {

  ResultRow {
    // Sorted by code so the table and JSON list errors in a stable order across runs.
    errors = Collections.unmodifiableMap(new TreeMap<>(errors));
  }

  static ResultRow of(String op, long sizeBytes, int threads, double seconds, OpStats stats) {
    return new ResultRow(op, sizeBytes, threads, stats.ops(), seconds, stats.bytes(),
        stats.percentileMillis(50), stats.percentileMillis(99), stats.percentileMillis(99.9),
        stats.errors());
  }

  double opsPerSecond() {
    return seconds > 0 ? ops / seconds : 0;
  }

  /** MiB/s: 2^20 bytes per second, like the sizes on the command line. */
  double mibPerSecond() {
    return seconds > 0 ? bytes / (double) Units.MIB / seconds : 0;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Errors as "SHORT_READ=1,UNAVAILABLE=3". */
  String errorBreakdown() {
    StringBuilder b = new StringBuilder();
    errors.forEach((code, n) -> {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(code).append('=').append(n);
    });
    return b.toString();
  }
}
