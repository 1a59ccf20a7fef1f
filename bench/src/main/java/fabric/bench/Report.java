package fabric.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Renders result rows as an aligned text table and as JSON (hand-built: no extra dependency). */
final class Report {
  private static final String ROW_FORMAT =
      "%-10s %8s %7s %9s %10s %10s %9s %9s %9s  %s";
  private static final String ITEM_ROW_FORMAT =
      "%-12s %6s %7s %9s %10s %10s %10s %9s %9s %9s  %s";
  private static final String MESSAGE_ROW_FORMAT =
      "%-10s %6s %5s %5s %9s %10s %9s %10s %8s %9s %9s %9s  %s";

  private Report() {}

  static String header() {
    return String.format(Locale.ROOT, ROW_FORMAT,
        "op", "size", "threads", "ops", "ops/s", "MiB/s", "p50 ms", "p99 ms", "p99.9 ms", "errors");
  }

  static String row(ResultRow r) {
    // Locale.ROOT: a decimal comma would break anyone parsing the table with awk.
    return String.format(Locale.ROOT, ROW_FORMAT,
        r.op(), Units.formatSize(r.sizeBytes()), r.threads(), r.ops(),
        fixed(r.opsPerSecond(), 1), fixed(r.mibPerSecond(), 2),
        fixed(r.p50Ms(), 3), fixed(r.p99Ms(), 3), fixed(r.p999Ms(), 3), errors(r));
  }

  /** Header of the SQS table: per op kind, calls and the messages they moved. */
  static String messageHeader() {
    return String.format(Locale.ROOT, MESSAGE_ROW_FORMAT, "op", "size", "pairs", "batch",
        "calls", "messages", "calls/s", "msgs/s", "empty", "p50 ms", "p99 ms", "p99.9 ms",
        "errors");
  }

  static String messageRow(ResultRow r) {
    return String.format(Locale.ROOT, MESSAGE_ROW_FORMAT,
        r.op(), Units.formatSize(r.sizeBytes()), r.threads(), r.batch(), r.ops(), r.messages(),
        fixed(r.opsPerSecond(), 1), fixed(r.messagesPerSecond(), 1), r.emptyReceives(),
        fixed(r.p50Ms(), 3), fixed(r.p99Ms(), 3), fixed(r.p999Ms(), 3), errors(r));
  }

  /** Header of the DynamoDB table: per op kind, calls and the items they wrote or read. */
  static String itemHeader() {
    return String.format(Locale.ROOT, ITEM_ROW_FORMAT, "op", "item", "threads", "ops",
        "items", "ops/s", "items/s", "p50 ms", "p99 ms", "p99.9 ms", "errors");
  }

  static String itemRow(ResultRow r) {
    return String.format(Locale.ROOT, ITEM_ROW_FORMAT,
        r.op(), Units.formatSize(r.sizeBytes()), r.threads(), r.ops(), r.messages(),
        fixed(r.opsPerSecond(), 1), fixed(r.messagesPerSecond(), 1),
        fixed(r.p50Ms(), 3), fixed(r.p99Ms(), 3), fixed(r.p999Ms(), 3), errors(r));
  }

  private static String errors(ResultRow r) {
    return r.errorCount() == 0 ? "0" : r.errorCount() + " (" + r.errorBreakdown() + ")";
  }

  static String json(Map<String, Object> run, List<ResultRow> rows) {
    boolean messages = !rows.isEmpty() && rows.stream().allMatch(ResultRow::isMessageRow);
    return json(run, messages ? "calls/s and messages/s" : "MiB/s (2^20 bytes/s)", rows,
        Report::jsonRow);
  }

  /** The JSON of a DynamoDB run: rows of {@link #jsonItemRow}. */
  static String itemJson(Map<String, Object> run, List<ResultRow> rows) {
    return json(run, "ops/s and items/s", rows, Report::jsonItemRow);
  }

  private static String json(Map<String, Object> run, String throughputUnit,
      List<ResultRow> rows, java.util.function.Function<ResultRow, String> rowJson) {
    StringBuilder b = new StringBuilder("{\n");
    new TreeMap<>(run).forEach((k, v) -> b.append("  ").append(quote(k)).append(": ")
        .append(v instanceof Number ? v.toString() : quote(String.valueOf(v))).append(",\n"));
    b.append("  \"units\": {\"throughput\": ").append(quote(throughputUnit))
        .append(", \"latency\": \"ms\"},\n");
    b.append("  \"rows\": [");
    for (int i = 0; i < rows.size(); i++) {
      b.append(i == 0 ? "\n" : ",\n").append("    ").append(rowJson.apply(rows.get(i)));
    }
    return b.append(rows.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
  }

  static String jsonRow(ResultRow r) {
    String errors = errorsByCode(r);
    if (r.isMessageRow()) {
      return jsonMessageRow(r, errors);
    }
    return "{\"op\": " + quote(r.op())
        + ", \"size\": " + quote(Units.formatSize(r.sizeBytes()))
        + ", \"size_bytes\": " + r.sizeBytes()
        + ", \"threads\": " + r.threads()
        + ", \"ops\": " + r.ops()
        + ", \"seconds\": " + fixed(r.seconds(), 3)
        + ", \"ops_per_sec\": " + fixed(r.opsPerSecond(), 3)
        + ", \"mib_per_sec\": " + fixed(r.mibPerSecond(), 3)
        + ", \"p50_ms\": " + fixed(r.p50Ms(), 3)
        + ", \"p99_ms\": " + fixed(r.p99Ms(), 3)
        + ", \"p999_ms\": " + fixed(r.p999Ms(), 3)
        + ", \"errors\": " + r.errorCount()
        + ", \"errors_by_code\": " + errors + "}";
  }

  static String jsonItemRow(ResultRow r) {
    return "{\"op\": " + quote(r.op())
        + ", \"item_size\": " + quote(Units.formatSize(r.sizeBytes()))
        + ", \"item_bytes\": " + r.sizeBytes()
        + ", \"threads\": " + r.threads()
        + ", \"ops\": " + r.ops()
        + ", \"items\": " + r.messages()
        + ", \"seconds\": " + fixed(r.seconds(), 3)
        + ", \"ops_per_sec\": " + fixed(r.opsPerSecond(), 3)
        + ", \"items_per_sec\": " + fixed(r.messagesPerSecond(), 3)
        + ", \"p50_ms\": " + fixed(r.p50Ms(), 3)
        + ", \"p99_ms\": " + fixed(r.p99Ms(), 3)
        + ", \"p999_ms\": " + fixed(r.p999Ms(), 3)
        + ", \"errors\": " + r.errorCount()
        + ", \"errors_by_code\": " + errorsByCode(r)
        + ", \"error_samples\": " + errorSamples(r) + "}";
  }

  private static String errorsByCode(ResultRow r) {
    StringBuilder errors = new StringBuilder("{");
    new TreeMap<>(r.errors()).forEach((code, n) -> errors
        .append(errors.length() > 1 ? ", " : "").append(quote(code)).append(": ").append(n));
    return errors.append('}').toString();
  }

  private static String errorSamples(ResultRow r) {
    StringBuilder samples = new StringBuilder("{");
    r.errorSamples().forEach((code, message) -> samples
        .append(samples.length() > 1 ? ", " : "").append(quote(code)).append(": ")
        .append(quote(message)));
    return samples.append('}').toString();
  }

  private static String jsonMessageRow(ResultRow r, String errorsByCode) {
    String samples = errorSamples(r);
    return "{\"op\": " + quote(r.op())
        + ", \"size\": " + quote(Units.formatSize(r.sizeBytes()))
        + ", \"size_bytes\": " + r.sizeBytes()
        + ", \"pairs\": " + r.threads()
        + ", \"batch\": " + r.batch()
        + ", \"ops\": " + r.ops()
        + ", \"messages\": " + r.messages()
        + ", \"empty_receives\": " + r.emptyReceives()
        + ", \"seconds\": " + fixed(r.seconds(), 3)
        + ", \"ops_per_sec\": " + fixed(r.opsPerSecond(), 3)
        + ", \"messages_per_sec\": " + fixed(r.messagesPerSecond(), 3)
        + ", \"p50_ms\": " + fixed(r.p50Ms(), 3)
        + ", \"p99_ms\": " + fixed(r.p99Ms(), 3)
        + ", \"p999_ms\": " + fixed(r.p999Ms(), 3)
        + ", \"errors\": " + r.errorCount()
        + ", \"errors_by_code\": " + errorsByCode
        + ", \"error_samples\": " + samples + "}";
  }

  private static String fixed(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
