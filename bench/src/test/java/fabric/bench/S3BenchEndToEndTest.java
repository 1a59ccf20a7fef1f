package fabric.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the real CLI over real Netty gRPC against the test-only {@link InMemoryS3ForBenchTest}. */
class S3BenchEndToEndTest {

  private record Run(int exitCode, S3Bench bench, String out, String err) {}

  private static Run run(String... args) {
    S3Bench bench = new S3Bench();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(bench)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, bench, out.toString(), err.toString());
  }

  @Test
  void oneSecondRunProducesRowsWithOpsAndNoErrorsForEveryPhase(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("bench.json");
    try (InMemoryS3ForBenchTest s3 = new InMemoryS3ForBenchTest()) {
      // 2500KiB: two full 1 MiB messages plus a partial one, so chunking is exercised.
      Run r = run("--target", s3.target(), "--sizes", "4KiB,2500KiB", "--threads", "2",
          "--warmup", "0s", "--duration", "1s", "--account", "123456789012",
          "--json", json.toString());

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.bench().results())
          .extracting(row -> row.op() + "/" + Units.formatSize(row.sizeBytes()))
          .containsExactly("put/4KiB", "get/4KiB", "mixed-put/4KiB", "mixed-get/4KiB",
              "put/2500KiB", "get/2500KiB", "mixed-put/2500KiB", "mixed-get/2500KiB");
      assertThat(r.bench().results()).allSatisfy(row -> {
        assertThat(row.ops()).as(row.toString()).isPositive();
        assertThat(row.errorCount()).as(row.toString()).isZero();
        assertThat(row.threads()).isEqualTo(2);
        assertThat(row.mibPerSecond()).isPositive();
        assertThat(row.p50Ms()).isPositive().isLessThanOrEqualTo(row.p99Ms());
      });
      assertThat(r.out()).contains("MiB/s").contains("mixed-get");
      assertThat(Files.readString(json))
          .contains("\"op\": \"mixed-put\"", "\"size\": \"2500KiB\"", "\"errors\": 0");

      // Wire shape the brief asks for: 1 MiB data messages, key in the first message, a
      // 4 KiB body in a single message, the account header on every call.
      assertThat(s3.largestDataMessage.get()).isEqualTo(Units.MIB);
      assertThat(s3.putsWithoutKeyInFirstMessage.get()).isZero();
      assertThat(s3.smallPutsSplitOverMessages.get()).isZero();
      assertThat(s3.accountsSeen).containsExactly("123456789012");
      // Two threads must mean two streams in flight at once, not two threads taking turns.
      assertThat(s3.maxConcurrentPuts.get()).isGreaterThanOrEqualTo(2);
      // Without --keep the keys and the bench-created bucket are cleaned up.
      assertThat(s3.objectCount()).isZero();
    }
  }

  @Test
  void threadsAreSpreadOverSeveralTargets() throws Exception {
    try (InMemoryS3ForBenchTest a = new InMemoryS3ForBenchTest();
        InMemoryS3ForBenchTest b = new InMemoryS3ForBenchTest()) {
      Run r = run("--target", a.target() + "," + b.target(), "--sizes", "4KiB",
          "--threads", "2", "--warmup", "0s", "--duration", "300ms", "--phases", "put",
          "--bucket", "shared", "--keep");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.bench().results()).singleElement()
          .satisfies(row -> assertThat(row.errorCount()).isZero());
      // Each fake has its own map, so each one holding keys proves both got traffic.
      assertThat(a.objectCount()).isPositive();
      assertThat(b.objectCount()).isPositive();
      assertThat(a.hasBucket("shared")).isTrue();
    }
  }

  @Test
  void unreachableServerExitsNonZeroWithAMessageAndNoStackTrace() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run r = run("--target", "localhost:" + closedPort, "--duration", "1s");

    assertThat(r.exitCode()).isEqualTo(S3Bench.EXIT_UNREACHABLE);
    assertThat(r.err()).contains("cannot reach", "localhost:" + closedPort)
        .doesNotContain("Exception\n\tat ", "\tat ");
    assertThat(r.bench().results()).isEmpty();
  }
}
