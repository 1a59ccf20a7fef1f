package fabric.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the real Kinesis bench CLI over real Netty gRPC against the test-only
 * {@link InMemoryKinesisForBenchTest}. No timing assertions: only that records went through
 * and were counted as records.
 */
class KinesisBenchEndToEndTest {
  private record Run(int exitCode, KinesisBench bench, String out, String err) {}

  private static Run run(String... args) {
    KinesisBench bench = new KinesisBench();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(bench).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, bench, out.toString(), err.toString());
  }

  @Test
  void shortRunPutsAndGetsRecordsForEachThreadCount(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("kinesis.json");
    try (InMemoryKinesisForBenchTest kinesis = new InMemoryKinesisForBenchTest()) {
      Run r = run("--target", kinesis.target(), "--threads", "1,2", "--shards", "4",
          "--phases", "put,get", "--warmup", "200ms", "--duration", "500ms", "--json",
          json.toString());

      assertThat(r.exitCode()).as(r.err()).isZero();
      List<ResultRow> rows = r.bench().results();
      assertThat(rows).extracting(x -> x.op() + "/x" + x.threads())
          .containsExactly("put/x1", "get/x1", "put/x2", "get/x2");
      assertThat(rows).allSatisfy(x -> {
        assertThat(x.errorCount()).as(x.toString()).isZero();
        assertThat(x.ops()).as(x.toString()).isPositive();
        assertThat(x.sizeBytes()).isEqualTo(1024);
        assertThat(x.bytes()).isEqualTo(1024 * x.messages());
      });
      rows.stream().filter(x -> x.op().equals("put")).forEach(x ->
          assertThat(x.messages()).isEqualTo(100 * x.ops()));
      assertThat(kinesis.batchSizes).containsExactly(100);
      assertThat(kinesis.recordSizes).containsExactly(1024);
      assertThat(kinesis.getLimits).containsExactly(1000);
      assertThat(kinesis.shardCount.get()).isEqualTo(4);
      assertThat(kinesis.created.get()).isEqualTo(1);
      assertThat(kinesis.deleted.get()).as("the stream is deleted at the end").isEqualTo(1);
      assertThat(r.out()).contains("records/s", "threads=2");
      assertThat(Files.readString(json)).contains("\"service\": \"kinesis\"", "\"shards\": 4",
          "\"op\": \"get\"", "\"batch\": 100");
    }
  }

  @Test
  void subscribePhaseMeasuresDeliveryOfEveryRecordSent() throws Exception {
    try (InMemoryKinesisForBenchTest kinesis = new InMemoryKinesisForBenchTest()) {
      Run r = run("--target", kinesis.target(), "--threads", "1,2", "--shards", "4",
          "--phases", "subscribe", "--subscribe-rate", "2000", "--warmup", "1s",
          "--duration", "1s");

      assertThat(r.exitCode()).as(r.err()).isZero();
      List<ResultRow> rows = r.bench().results();
      assertThat(rows).extracting(x -> x.op() + "/x" + x.threads())
          .containsExactly("subscribe/x1", "subscribe/x2");
      assertThat(rows).allSatisfy(x -> {
        assertThat(x.errorCount()).as(x.toString()).isZero(); // nothing UNDELIVERED
        assertThat(x.ops()).as(x.toString()).isPositive();
        assertThat(x.ops()).isEqualTo(x.messages());
        // Paced at 2,000 records/s in batches of 100 for 1 s: about 2,000 records (fewer
        // if the machine stalls the producers, never many more).
        assertThat(x.messages()).isLessThanOrEqualTo(3_000L);
        assertThat(x.bytes()).isEqualTo(1024 * x.messages());
      });
      assertThat(kinesis.subscriptions.get()).as("one per shard per run").isEqualTo(8);
      assertThat(r.out()).contains("subscribe", "put-to-delivery");
    }
  }

  @Test
  void subscribePhaseNeedsRoomForTheStamp() {
    Run r = run("--target", "localhost:1", "--phases", "subscribe", "--record-size", "4B");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("stamps each record");
  }

  @Test
  void aBatchOverFiveMibIsRefused() {
    Run r = run("--target", "localhost:1", "--batch", "500", "--record-size", "16KiB");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("at most 5MiB");
  }
}
