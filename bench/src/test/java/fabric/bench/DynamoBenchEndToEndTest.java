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
 * Runs the real DynamoDB CLI over real Netty gRPC against the test-only
 * {@link InMemoryDynamoForBenchTest}. No timing assertions: only that items went through.
 */
class DynamoBenchEndToEndTest {

  private record Run(int exitCode, DynamoBench bench, String out, String err) {}

  private static Run run(String... args) {
    DynamoBench bench = new DynamoBench();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(bench)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, bench, out.toString(), err.toString());
  }

  private static ResultRow row(List<ResultRow> rows, String op, int threads) {
    return rows.stream().filter(r -> r.op().equals(op) && r.threads() == threads).findFirst()
        .orElseThrow();
  }

  @Test
  void shortRunPutsGetsAndQueriesWithNoErrorsForEachThreadCount(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("dynamodb.json");
    try (InMemoryDynamoForBenchTest dynamo = new InMemoryDynamoForBenchTest()) {
      Run r = run("--target", dynamo.target(), "--threads", "1,2", "--warmup", "200ms",
          "--duration", "500ms", "--account", "123456789012", "--json", json.toString());

      assertThat(r.exitCode()).as(r.err()).isZero();
      List<ResultRow> rows = r.bench().results();
      assertThat(rows).extracting(x -> x.op() + "/x" + x.threads()).containsExactly(
          "put/x1", "get/x1", "get-eventual/x1", "query/x1",
          "put/x2", "get/x2", "get-eventual/x2", "query/x2");
      assertThat(rows).allSatisfy(x -> {
        assertThat(x.errorCount()).as(x.toString()).isZero();
        assertThat(x.ops()).as(x.toString()).isPositive();
        assertThat(x.sizeBytes()).isEqualTo(1024);
        assertThat(x.p50Ms()).isLessThanOrEqualTo(x.p99Ms());
        assertThat(x.isMessageRow()).isFalse();
      });
      for (int threads : new int[] {1, 2}) {
        // A Query returns a page of 100 items; a put or a get is one item.
        ResultRow query = row(rows, "query", threads);
        assertThat(query.messages()).isEqualTo(100 * query.ops());
        assertThat(query.bytes()).isEqualTo(100 * 1024 * query.ops());
        assertThat(row(rows, "put", threads).messages()).isEqualTo(row(rows, "put", threads)
            .ops());
        assertThat(row(rows, "get", threads).messages()).isEqualTo(row(rows, "get", threads)
            .ops());
      }

      assertThat(r.out()).contains("items/s", "threads=2", "query", "00 items/s");
      assertThat(Files.readString(json)).contains("\"op\": \"query\"", "\"op\": \"put\"",
          "\"threads\": 2", "\"errors\": 0", "\"service\": \"dynamodb\"",
          "\"items_per_sec\"", "\"page_size\": 100", "\"item_bytes\": 1024");

      // Wire shape: 1 KiB items (as DynamoDB counts them), both kinds of GetItem, Query of one
      // partition with Limit 100, batches of at most 25 (the unprocessed one retried), the
      // account on every call; one fresh PAY_PER_REQUEST table, awaited until ACTIVE, and
      // deleted at the end.
      assertThat(dynamo.itemSizes).containsExactly(1024);
      assertThat(dynamo.getConsistency).containsExactlyInAnyOrder(true, false);
      assertThat(dynamo.queryLimits).containsExactly(100);
      assertThat(dynamo.keyConditions).containsExactly("pk = :p");
      assertThat(dynamo.largestBatchWrite.get()).isEqualTo(25);
      assertThat(dynamo.accountsSeen).containsExactly("123456789012");
      assertThat(dynamo.billingModes).containsExactly("PAY_PER_REQUEST");
      assertThat(dynamo.tablesCreated.get()).isEqualTo(1);
      assertThat(dynamo.describesWhileCreating.get()).isEqualTo(2);
      assertThat(dynamo.tableCount()).isZero();
    }
  }

  @Test
  void threadsAreSpreadRoundRobinOverTheTargets() throws Exception {
    try (InMemoryDynamoForBenchTest a = new InMemoryDynamoForBenchTest();
        InMemoryDynamoForBenchTest b = new InMemoryDynamoForBenchTest(a)) {
      Run r = run("--target", a.target() + "," + b.target(), "--threads", "2",
          "--phases", "put,get", "--warmup", "0s", "--duration", "300ms");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(row(r.bench().results(), "get", 2).errorCount()).isZero();
      // Thread 0 on a, thread 1 on b; both write one set of tables, so every get finds its item.
      assertThat(a.puts.get()).isPositive();
      assertThat(b.puts.get()).isPositive();
      assertThat(a.gets.get()).isPositive();
      assertThat(b.gets.get()).isPositive();
      assertThat(a.queries.get() + b.queries.get()).isZero();
    }
  }

  @Test
  void getPhasesWithoutAPutPhaseReadItemsLoadedForThem() throws Exception {
    try (InMemoryDynamoForBenchTest dynamo = new InMemoryDynamoForBenchTest()) {
      Run r = run("--target", dynamo.target(), "--threads", "1", "--phases", "get-eventual",
          "--warmup", "0s", "--duration", "300ms");

      assertThat(r.exitCode()).as(r.err()).isZero();
      ResultRow get = row(r.bench().results(), "get-eventual", 1);
      assertThat(get.ops()).isPositive();
      assertThat(get.errorCount()).isZero();
      assertThat(dynamo.puts.get()).isZero();
      assertThat(dynamo.getConsistency).containsExactly(false);
    }
  }

  @Test
  void failedCallsAreCountedByStatusAndAwsCodeWithTheServersMessage() throws Exception {
    try (InMemoryDynamoForBenchTest dynamo = new InMemoryDynamoForBenchTest()) {
      dynamo.failGetsWith = "partition unavailable";
      Run r = run("--target", dynamo.target(), "--threads", "1", "--phases", "put,get",
          "--warmup", "0s", "--duration", "300ms");

      assertThat(r.exitCode()).as(r.err()).isZero();
      ResultRow get = row(r.bench().results(), "get", 1);
      assertThat(get.ops()).isZero();
      assertThat(get.errors()).containsOnlyKeys("INTERNAL/InternalServerError");
      assertThat(get.errorSamples()).containsEntry("INTERNAL/InternalServerError",
          "InternalServerError: partition unavailable");
      assertThat(row(r.bench().results(), "put", 1).errorCount()).isZero();
      assertThat(r.out()).contains("INTERNAL/InternalServerError=",
          "get INTERNAL/InternalServerError: InternalServerError: partition unavailable");
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
    assertThat(r.err()).contains("cannot reach the fabric DynamoDB", "localhost:" + closedPort)
        .doesNotContain("\tat ");
    assertThat(r.bench().results()).isEmpty();
  }

  @Test
  void optionsOutsideDynamoDbsLimitsAreRefusedBeforeAnyCall() {
    assertThat(run("--target", "localhost:1", "--item-size", "500KiB").exitCode())
        .isEqualTo(Bench.EXIT_USAGE);
    assertThat(run("--target", "localhost:1", "--page-size", "2000").err())
        .contains("--page-size");
    assertThat(run("--target", "localhost:1", "--phases", "scan").err())
        .contains("unknown phase 'scan'");
  }

  @Test
  void itemSizesCountNamesValuesAndNumbersAsDynamoDbDoes() {
    assertThat(DynamoWorkload.numberSize(0)).isEqualTo(2);
    assertThat(DynamoWorkload.numberSize(7)).isEqualTo(2);
    assertThat(DynamoWorkload.numberSize(12)).isEqualTo(2);
    assertThat(DynamoWorkload.numberSize(123)).isEqualTo(3);
    assertThat(DynamoWorkload.numberSize(1000)).isEqualTo(2); // trailing zeroes are free
    assertThat(DynamoWorkload.numberSize(2_147_483_646)).isEqualTo(6);
  }

  @Test
  void theServiceOptionChoosesTheBenchmark() {
    assertThat(Bench.serviceOf(new String[] {"--service", "dynamodb", "--threads", "1"}))
        .isEqualTo("dynamodb");
    assertThat(Bench.serviceOf(new String[] {"--service=DynamoDB"})).isEqualTo("dynamodb");
    assertThat(Bench.SERVICES).contains("dynamodb");
  }
}
