package fabric.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static ResultRow row(Map<String, Long> errors) {
    // 300 ops of 8 MiB in 2 s: 150 ops/s, 1200 MiB/s.
    return new ResultRow("put", 8L << 20, 8, 300, 2.0, 300L * (8L << 20),
        12.3456, 45.6, 78.9012, errors);
  }

  @Test
  void rowShowsOpsPerSecondMibPerSecondAndPercentilesInMillisWithFixedDecimals() {
    String line = Report.row(row(Map.of()));

    assertThat(line.trim().split("\\s+")).containsExactly(
        "put", "8MiB", "8", "300", "150.0", "1200.00", "12.346", "45.600", "78.901", "0");
  }

  @Test
  void rowColumnsLineUpWithTheHeader() {
    String header = Report.header();
    String line = Report.row(row(Map.of()));

    assertThat(line.indexOf("1200.00") + "1200.00".length())
        .isEqualTo(header.indexOf("MiB/s") + "MiB/s".length());
    assertThat(header).contains("p50 ms", "p99 ms", "p99.9 ms", "errors");
  }

  @Test
  void errorsShowTheTotalThenTheCountPerStatusCodeSortedByCode() {
    Map<String, Long> errors = new LinkedHashMap<>();
    errors.put("UNAVAILABLE", 3L);
    errors.put(OpStats.SHORT_READ, 1L);
    errors.put("DEADLINE_EXCEEDED", 2L);

    assertThat(Report.row(row(errors)))
        .endsWith("6 (DEADLINE_EXCEEDED=2,SHORT_READ=1,UNAVAILABLE=3)");
  }

  @Test
  void numbersUseADecimalPointWhateverTheDefaultLocale() {
    java.util.Locale saved = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.GERMANY);
      assertThat(Report.row(row(Map.of()))).contains("150.0").doesNotContain("150,0");
    } finally {
      java.util.Locale.setDefault(saved);
    }
  }

  @Test
  void jsonHasTheSameRowValuesAndErrorsByCode() {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("targets", "localhost:50051");
    run.put("duration_seconds", 15.0);

    String json = Report.json(run, List.of(row(Map.of("UNAVAILABLE", 3L))));

    assertThat(json)
        .contains("\"targets\": \"localhost:50051\"", "\"duration_seconds\": 15.0")
        .contains("\"op\": \"put\"", "\"size\": \"8MiB\"", "\"size_bytes\": 8388608",
            "\"threads\": 8", "\"ops\": 300", "\"ops_per_sec\": 150.000",
            "\"mib_per_sec\": 1200.000", "\"p50_ms\": 12.346", "\"p99_ms\": 45.600",
            "\"p999_ms\": 78.901", "\"errors\": 3", "\"errors_by_code\": {\"UNAVAILABLE\": 3}");
  }

  @Test
  void jsonWithNoRowsIsStillWellFormed() {
    assertThat(Report.json(Map.of(), List.of())).contains("\"rows\": []").endsWith("}\n");
  }

  @Test
  void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
    assertThat(Report.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
  }

  @Test
  void percentilesComeFromTheMergedHistogramsOfAllThreads() {
    OpStats a = new OpStats();
    OpStats b = new OpStats();
    for (int i = 1; i <= 99; i++) {
      a.recordSuccess(1_000_000, 10); // 1 ms
    }
    b.recordSuccess(1_000_000_000, 10); // 1 s outlier on another thread
    b.recordError("UNAVAILABLE");
    a.add(b);

    ResultRow r = ResultRow.of("get", 10, 2, 1.0, a);

    assertThat(r.ops()).isEqualTo(100);
    assertThat(r.bytes()).isEqualTo(1000);
    assertThat(r.p50Ms()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(r.p999Ms()).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(1.0));
    assertThat(r.errors()).containsEntry("UNAVAILABLE", 1L);
  }

  private static ResultRow messageRow() {
    // 8 pairs, batches of 10: 500 calls moving 4,000 messages in 2 s, 7 empty receives.
    return new ResultRow("receive", 256, 8, 500, 2.0, 4000L * 256, 1.5, 9.25, 20.0,
        Map.of("entry:InternalError", 2L), 10, 4000, 7, Map.of("entry:InternalError", "boom"));
  }

  @Test
  void messageRowShowsCallsMessagesTheirRatesAndEmptyReceives() {
    String line = Report.messageRow(messageRow());

    assertThat(line.trim().split("\\s+")).containsExactly("receive", "256B", "8", "10",
        "500", "4000", "250.0", "2000.0", "7", "1.500", "9.250", "20.000", "2",
        "(entry:InternalError=2)");
    String header = Report.messageHeader();
    assertThat(line.indexOf("2000.0") + "2000.0".length())
        .isEqualTo(header.indexOf("msgs/s") + "msgs/s".length());
  }

  @Test
  void messageRowsInJsonNamePairsBatchMessagesAndErrorSamples() {
    String json = Report.json(Map.of("service", "sqs"), List.of(messageRow()));

    assertThat(json).contains("\"pairs\": 8", "\"batch\": 10", "\"messages\": 4000",
        "\"empty_receives\": 7", "\"messages_per_sec\": 2000.000",
        "\"errors_by_code\": {\"entry:InternalError\": 2}",
        "\"error_samples\": {\"entry:InternalError\": \"boom\"}",
        "\"throughput\": \"calls/s and messages/s\"")
        .doesNotContain("\"threads\"");
  }

  @Test
  void s3RowsKeepTheirJsonShape() {
    assertThat(Report.jsonRow(row(Map.of()))).contains("\"threads\": 8")
        .doesNotContain("\"batch\"", "\"pairs\"", "\"messages\"");
  }
  /** A DynamoDB Query row: 200 pages of 100 items of 1 KiB in 2 s, two errors. */
  private static ResultRow itemRow() {
    return new ResultRow("query", 1024, 8, 200, 2.0, 200L * 100 * 1024, 1.5, 9.25, 20.0,
        Map.of("INTERNAL/InternalServerError", 2L), 0, 20_000, 0,
        Map.of("INTERNAL/InternalServerError", "boom"));
  }

  @Test
  void itemRowShowsOpsItemsAndTheirRatesUnderTheHeader() {
    String line = Report.itemRow(itemRow());

    assertThat(line.trim().split("\\s+")).containsExactly("query", "1KiB", "8", "200",
        "20000", "100.0", "10000.0", "1.500", "9.250", "20.000", "2",
        "(INTERNAL/InternalServerError=2)");
    String header = Report.itemHeader();
    assertThat(line.indexOf("10000.0") + "10000.0".length())
        .isEqualTo(header.indexOf("items/s") + "items/s".length());
  }

  @Test
  void itemRowsInJsonNameThreadsItemsAndErrorSamples() {
    String json = Report.itemJson(Map.of("service", "dynamodb"), List.of(itemRow()));

    assertThat(json).contains("\"threads\": 8", "\"items\": 20000",
        "\"items_per_sec\": 10000.000", "\"ops_per_sec\": 100.000", "\"item_bytes\": 1024",
        "\"errors_by_code\": {\"INTERNAL/InternalServerError\": 2}",
        "\"error_samples\": {\"INTERNAL/InternalServerError\": \"boom\"}",
        "\"throughput\": \"ops/s and items/s\"")
        .doesNotContain("\"pairs\"", "\"batch\"");
  }
}
