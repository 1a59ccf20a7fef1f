package fabric.bench;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One measured (op, size, threads) cell. Only successful ops count towards ops, throughput and
 * percentiles; failed ones are in {@code errors} alone, so an error storm cannot flatter them.
 *
 * <p>SQS rows ({@code batch > 0}) also carry the messages the successful ops moved (a batch
 * op moves up to {@code batch}) and the receives that came back empty; their {@code threads}
 * is the number of producer/consumer pairs and {@code sizeBytes} the message body size. S3
 * rows have {@code batch == 0}, {@code messages == ops} and no empty receives. DynamoDB rows
 * ({@link #ofItems}) have {@code batch == 0} too, {@code sizeBytes} the item size and
 * {@code messages} the items the successful ops carried (a Query returns a page of them).
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
    Map<String, Long> errors,
    int batch,
    long messages,
    long emptyReceives,
    Map<String, String> errorSamples) {

  ResultRow {
    // Sorted by code so the table and JSON list errors in a stable order across runs.
    errors = Collections.unmodifiableMap(new TreeMap<>(errors));
    errorSamples = Collections.unmodifiableMap(new TreeMap<>(errorSamples));
  }

  /** An S3 row: every op is one object. */
  ResultRow(String op, long sizeBytes, int threads, long ops, double seconds, long bytes,
      double p50Ms, double p99Ms, double p999Ms, Map<String, Long> errors) {
    this(op, sizeBytes, threads, ops, seconds, bytes, p50Ms, p99Ms, p999Ms, errors,
        0, ops, 0, Map.of());
  }

  static ResultRow of(String op, long sizeBytes, int threads, double seconds, OpStats stats) {
    return new ResultRow(op, sizeBytes, threads, stats.ops(), seconds, stats.bytes(),
        stats.percentileMillis(50), stats.percentileMillis(99), stats.percentileMillis(99.9),
        stats.errors());
  }

  /** An SQS row: {@code pairs} producer/consumer pairs, batches of up to {@code batch}. */
  static ResultRow ofMessages(String op, long messageBytes, int pairs, int batch,
      double seconds, OpStats stats) {
    return new ResultRow(op, messageBytes, pairs, stats.ops(), seconds, stats.bytes(),
        stats.percentileMillis(50), stats.percentileMillis(99), stats.percentileMillis(99.9),
        stats.errors(), batch, stats.items(), stats.empty(), stats.errorSamples());
  }

  /** A DynamoDB row: {@code threads} client threads; items = those the ops wrote or read. */
  static ResultRow ofItems(String op, long itemBytes, int threads, double seconds,
      OpStats stats) {
    return new ResultRow(op, itemBytes, threads, stats.ops(), seconds, stats.bytes(),
        stats.percentileMillis(50), stats.percentileMillis(99), stats.percentileMillis(99.9),
        stats.errors(), 0, stats.items(), 0, stats.errorSamples());
  }

  boolean isMessageRow() {
    return batch > 0;
  }

  double opsPerSecond() {
    return seconds > 0 ? ops / seconds : 0;
  }

  double messagesPerSecond() {
    return seconds > 0 ? messages / seconds : 0;
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
