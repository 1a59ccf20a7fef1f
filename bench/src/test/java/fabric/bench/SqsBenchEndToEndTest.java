package fabric.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the real SQS CLI over real Netty gRPC against the test-only
 * {@link InMemorySqsForBenchTest}. No timing assertions: only that messages went through.
 */
class SqsBenchEndToEndTest {

  private record Run(int exitCode, SqsBench bench, String out, String err) {}

  private static Run run(String... args) {
    SqsBench bench = new SqsBench();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(bench)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, bench, out.toString(), err.toString());
  }

  private static ResultRow row(List<ResultRow> rows, String op, int batch) {
    return rows.stream().filter(r -> r.op().equals(op) && r.batch() == batch).findFirst()
        .orElseThrow();
  }

  @Test
  void shortRunSendsReceivesAndDeletesWithNoErrorsUnbatchedAndInBatchesOfTen(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("sqs.json");
    try (InMemorySqsForBenchTest sqs = new InMemorySqsForBenchTest()) {
      Run r = run("--target", sqs.target(), "--pairs", "2", "--batch", "1,10",
          "--warmup", "200ms", "--duration", "1s", "--account", "123456789012",
          "--json", json.toString());

      assertThat(r.exitCode()).as(r.err()).isZero();
      List<ResultRow> rows = r.bench().results();
      assertThat(rows).extracting(x -> x.op() + "/b" + x.batch()).containsExactly(
          "send/b1", "receive/b1", "delete/b1", "round-trip/b1",
          "send/b10", "receive/b10", "delete/b10", "round-trip/b10");
      assertThat(rows).allSatisfy(x -> {
        assertThat(x.errorCount()).as(x.toString()).isZero();
        assertThat(x.ops()).as(x.toString()).isPositive();
        assertThat(x.messages()).as(x.toString()).isPositive();
        assertThat(x.threads()).isEqualTo(2);
        assertThat(x.sizeBytes()).isEqualTo(256);
        assertThat(x.p50Ms()).isLessThanOrEqualTo(x.p99Ms());
      });
      for (int batch : new int[] {1, 10}) {
        // A round trip is a deleted message: one per message the deletes removed.
        assertThat(row(rows, "round-trip", batch).messages())
            .isEqualTo(row(rows, "delete", batch).messages());
        assertThat(row(rows, "receive", batch).messages())
            .isLessThanOrEqualTo(batch * row(rows, "receive", batch).ops());
      }
      assertThat(row(rows, "send", 1).messages()).isEqualTo(row(rows, "send", 1).ops());
      assertThat(row(rows, "send", 10).messages()).isEqualTo(10 * row(rows, "send", 10).ops());
      assertThat(row(rows, "round-trip", 1).p50Ms()).isPositive();

      assertThat(r.out()).contains("msgs/s", "round trips/s", "pairs=2   batch=10");
      assertThat(Files.readString(json)).contains("\"op\": \"round-trip\"", "\"batch\": 10",
          "\"pairs\": 2", "\"errors\": 0", "\"service\": \"sqs\"");

      // Wire shape: 256-byte bodies, batches of 10 each way, the receive's visibility timeout,
      // the account on every call; a fresh queue per cell, deleted afterwards.
      assertThat(sqs.bodySizes).containsExactly(256);
      assertThat(sqs.largestSendBatch.get()).isEqualTo(10);
      assertThat(sqs.largestReceiveMax.get()).isEqualTo(10);
      assertThat(sqs.largestDeleteBatch.get()).isBetween(2, 10);
      assertThat(sqs.visibilityTimeouts).containsExactly(60);
      assertThat(sqs.accountsSeen).containsExactly("123456789012");
      assertThat(sqs.invalidHandles.get()).isZero();
      assertThat(sqs.queuesCreated.get()).isEqualTo(2);
      assertThat(sqs.queueCount()).isZero();
    }
  }

  @Test
  void producersAndConsumersAreSpreadOverSeveralTargets() throws Exception {
    try (InMemorySqsForBenchTest a = new InMemorySqsForBenchTest();
        InMemorySqsForBenchTest b = new InMemorySqsForBenchTest(a)) {
      // One pair: its producer on a, its consumer on b, so every round trip crosses targets.
      Run r = run("--target", a.target() + "," + b.target(), "--pairs", "1", "--batch", "1",
          "--warmup", "0s", "--duration", "300ms");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(row(r.bench().results(), "round-trip", 1).messages()).isPositive();
      assertThat(a.bodySizes).isNotEmpty(); // the sends went to a
      assertThat(b.largestReceiveMax.get()).isEqualTo(1); // the receives to b
      assertThat(b.bodySizes).isEmpty();
    }
  }

  @Test
  void failedCallsAreCountedByStatusWithTheServersMessage() throws Exception {
    try (InMemorySqsForBenchTest sqs = new InMemorySqsForBenchTest()) {
      sqs.failSendsWith = "overloaded, try later";
      Run r = run("--target", sqs.target(), "--pairs", "1", "--batch", "1",
          "--warmup", "0s", "--duration", "300ms");

      assertThat(r.exitCode()).as(r.err()).isZero();
      ResultRow send = row(r.bench().results(), "send", 1);
      assertThat(send.ops()).isZero();
      assertThat(send.errors()).containsOnlyKeys("UNAVAILABLE");
      assertThat(send.errorSamples()).containsEntry("UNAVAILABLE", "overloaded, try later");
      // Nothing was sent, so every receive came back empty and nothing was a round trip.
      ResultRow receive = row(r.bench().results(), "receive", 1);
      assertThat(receive.ops()).isZero();
      assertThat(receive.emptyReceives()).isPositive();
      assertThat(row(r.bench().results(), "round-trip", 1).messages()).isZero();
      assertThat(r.out()).contains("UNAVAILABLE=", "send UNAVAILABLE: overloaded, try later");
    }
  }

  @Test
  void unreachableServerExitsNonZeroWithAMessageAndNoStackTrace() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run r = run("--target", "localhost:" + closedPort, "--duration", "1s");

    assertThat(r.exitCode()).isEqualTo(Bench.EXIT_UNREACHABLE);
    assertThat(r.err()).contains("cannot reach the fabric SQS", "localhost:" + closedPort)
        .doesNotContain("\tat ");
    assertThat(r.bench().results()).isEmpty();
  }

  @Test
  void aBatchOverSqsLimitsIsRefusedBeforeAnyCall() {
    Run r = run("--target", "localhost:1", "--batch", "11");

    assertThat(r.exitCode()).isEqualTo(Bench.EXIT_USAGE);
    assertThat(r.err()).contains("--batch");
  }

  @Test
  void theServiceOptionChoosesTheBenchmark() {
    assertThat(Bench.serviceOf(new String[] {"--target", "x:1"})).isEqualTo("s3");
    assertThat(Bench.serviceOf(new String[] {"--service", "sqs", "--pairs", "1"}))
        .isEqualTo("sqs");
    assertThat(Bench.serviceOf(new String[] {"--service=SQS"})).isEqualTo("sqs");
  }
}
