package fabric.bench;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --service dynamodb}: PutItem, GetItem and Query against a running fabric. */
@Command(name = "dynamodb-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmarks the fabric DynamoDB gRPC API on a new table (PAY_PER_REQUEST, "
        + "key pk S + sk N): for every client thread count, a put phase (PutItem of random "
        + "keys), a get phase (strongly consistent GetItem of keys the puts wrote), a "
        + "get-eventual phase (the same, eventually consistent) and a query phase (Query "
        + "pk = :p with Limit = a page, on partitions loaded with more than a page). Reports "
        + "ops/s, items/s and latency percentiles.")
public final class DynamoBench implements Callable<Integer> {
  /** AWS's limit on an item. */
  static final long MAX_ITEM_BYTES = 400 * Units.KIB;
  /** AWS's limit on the data one Query reads before it stops a page. */
  static final long MAX_PAGE_BYTES = Units.MIB;
  private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(60);

  @Spec private CommandSpec spec;

  @Option(names = "--service", defaultValue = "dynamodb",
      description = "dynamodb (this benchmark), s3 (the default of bench/run) or sqs")
  String service;

  @Option(names = "--target", split = ",", defaultValue = "localhost:50051",
      description = "host:port of the gRPC server; a comma-separated list spreads the "
          + "threads round-robin over several nodes (default: ${DEFAULT-VALUE})")
  List<String> targets;

  @Option(names = "--threads", split = ",", defaultValue = "1,8",
      description = "client thread counts, one call in flight each (default: 1,8)")
  List<Integer> threadCounts;

  @Option(names = "--phases", split = ",", defaultValue = "put,get,get-eventual,query",
      description = "phases to run for each thread count, in this order (default: "
          + "${DEFAULT-VALUE})")
  List<String> phaseNames;

  @Option(names = "--item-size", defaultValue = "1KiB",
      converter = S3Bench.SizeConverter.class,
      description = "item size as DynamoDB counts it (attribute names + values), "
          + "64B..400KiB (default: ${DEFAULT-VALUE})")
  long itemSize;

  @Option(names = "--partition-keys", defaultValue = "10000",
      description = "distinct partition keys the puts choose from (default: ${DEFAULT-VALUE})")
  int partitionKeys;

  @Option(names = "--query-partitions", defaultValue = "20",
      description = "partitions loaded for the query phase, each with a page + "
          + DynamoWorkload.QUERY_EXTRA + " items (default: ${DEFAULT-VALUE})")
  int queryPartitions;

  @Option(names = "--page-size", defaultValue = "100",
      description = "Limit of each Query: the items every Query returns "
          + "(default: ${DEFAULT-VALUE})")
  int pageSize;

  @Option(names = "--duration", defaultValue = "15s",
      converter = S3Bench.DurationConverter.class,
      description = "measured time per phase (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "3s", converter = S3Bench.DurationConverter.class,
      description = "unmeasured time before each phase (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--json", description = "also write the result rows as JSON to this file")
  Path json;

  @Option(names = "--account", defaultValue = "000000000000",
      description = "sent as x-fabric-account-id (default: ${DEFAULT-VALUE})")
  String account;

  @Option(names = "--op-timeout", defaultValue = "30s",
      converter = S3Bench.DurationConverter.class,
      description = "deadline of each call (default: ${DEFAULT-VALUE})")
  Duration opTimeout;

  @Option(names = "--keep", description = "keep the table (and its items) at the end")
  boolean keep;

  private final List<ResultRow> results = new ArrayList<>();

  public static void main(String[] args) {
    Bench.main(Bench.withService("dynamodb", args));
  }

  /** The rows of the last run, in the order they were printed. */
  List<ResultRow> results() {
    return Collections.unmodifiableList(results);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<DynamoWorkload.Phase> phases = validate();
    String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String table = "bench-" + runId;
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      List<DynamoOps> dynamo = new ArrayList<>();
      for (String target : targets) {
        ManagedChannel channel = Bench.openChannel(target);
        channels.add(channel);
        dynamo.add(new DynamoOps(Bench.withAccount(channel, account), opTimeout));
      }
      for (int i = 0; i < targets.size(); i++) {
        try {
          dynamo.get(i).ping(S3Bench.PREFLIGHT_TIMEOUT);
        } catch (StatusRuntimeException e) {
          return Bench.preflightFailure(err, "DynamoDB", targets.get(i), "ListTables", e);
        }
      }
      try {
        dynamo.get(0).createTable(table, S3Bench.PREFLIGHT_TIMEOUT);
      } catch (StatusRuntimeException e) {
        return Bench.preflightFailure(err, "DynamoDB", targets.get(0), "CreateTable " + table,
            e);
      }
      try {
        String status = awaitActive(dynamo.get(0), table);
        if (!status.equals("ACTIVE")) {
          err.printf("error: table %s still %s %ds after CreateTable%n", table, status,
              ACTIVE_TIMEOUT.toSeconds());
          err.flush();
          deleteTableQuietly(dynamo.get(0), table, err);
          return 1;
        }
      } catch (StatusRuntimeException e) {
        return Bench.preflightFailure(err, "DynamoDB", targets.get(0), "DescribeTable " + table,
            e);
      }
      try {
        return runPhases(out, err, dynamo, table, phases, runId);
      } finally {
        if (!keep) {
          deleteTableQuietly(dynamo.get(0), table, err);
        }
      }
    } finally {
      for (ManagedChannel channel : channels) {
        channel.shutdownNow();
      }
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private int runPhases(PrintWriter out, PrintWriter err, List<DynamoOps> dynamo, String table,
      List<DynamoWorkload.Phase> phases, String runId) throws Exception {
    DynamoWorkload workload = new DynamoWorkload(dynamo, table, (int) itemSize,
        randomFiller(), partitionKeys, queryPartitions, pageSize, warmup, duration);
    out.printf("fabric DynamoDB bench: targets=%s table=%s item=%s partition-keys=%d "
            + "query=%dx%d items, Limit %d warmup=%s duration=%s run=%s%n",
        String.join(",", targets), table, Units.formatSize(itemSize), partitionKeys,
        queryPartitions, pageSize + DynamoWorkload.QUERY_EXTRA, pageSize, warmup, duration,
        runId);
    out.println("ops/s and items/s over the measured window (an op counts when it completes "
        + "in it); latencies in ms; get = ConsistentRead true, get-eventual and query = "
        + "false; errors by gRPC status[/AWS code], MISSING/SHORT_PAGE/BAD_ITEM = wrong "
        + "answers");
    out.println(Report.itemHeader());
    out.flush();
    for (int threads : threadCounts) {
      for (DynamoWorkload.Phase phase : phases) {
        err.printf("# %d thread(s), %s...%n", threads, phase.label);
        err.flush();
        ResultRow row;
        try {
          row = workload.run(phase, threads);
        } catch (StatusRuntimeException e) {
          // Only the unmeasured loading before a phase lets a failed call through.
          return Bench.preflightFailure(err, "DynamoDB", targets.get(0),
              "BatchWriteItem (loading items before the " + phase.label + " phase)", e);
        } catch (DynamoWorkload.LoadFailed e) {
          err.println("error: loading items before the " + phase.label + " phase: "
              + e.getMessage());
          err.flush();
          return 1;
        }
        results.add(row);
        out.println(Report.itemRow(row));
        row.errorSamples().forEach((code, message) ->
            out.printf("#   %s %s: %s%n", row.op(), code, message));
        out.flush();
      }
    }
    printHeadline(out);
    if (json != null) {
      writeJson(runId, table);
      out.println("wrote " + json);
    }
    return 0;
  }

  /**
   * CreateTable answers CREATING; items are refused until DescribeTable says ACTIVE. Returns
   * the last status seen: ACTIVE, or another after {@link #ACTIVE_TIMEOUT}.
   */
  private static String awaitActive(DynamoOps dynamo, String table)
      throws InterruptedException {
    long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
    String status = dynamo.tableStatus(table, S3Bench.PREFLIGHT_TIMEOUT);
    while (!status.equals("ACTIVE") && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
      status = dynamo.tableStatus(table, S3Bench.PREFLIGHT_TIMEOUT);
    }
    return status;
  }

  private List<DynamoWorkload.Phase> validate() {
    CommandLine cmd = spec.commandLine();
    if (!service.equalsIgnoreCase("dynamodb")) {
      throw new CommandLine.ParameterException(cmd, "--service " + service
          + ": this is the DynamoDB benchmark; run it through fabric.bench.Bench (bench/run)");
    }
    for (String target : targets) {
      if (!target.contains(":")) {
        throw new CommandLine.ParameterException(cmd,
            "--target: '" + target + "' needs a port, e.g. localhost:50051");
      }
    }
    for (int t : threadCounts) {
      if (t < 1) {
        throw new CommandLine.ParameterException(cmd, "--threads: each count must be >= 1");
      }
    }
    List<DynamoWorkload.Phase> phases = new ArrayList<>();
    for (String name : phaseNames) {
      try {
        phases.add(DynamoWorkload.Phase.of(name));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, "--phases: " + e.getMessage());
      }
    }
    if (itemSize < DynamoWorkload.MIN_ITEM_SIZE || itemSize > MAX_ITEM_BYTES) {
      throw new CommandLine.ParameterException(cmd, "--item-size must be 64B..400KiB");
    }
    if (partitionKeys < 1 || partitionKeys > 100_000_000 || queryPartitions < 1
        || queryPartitions > 10_000) {
      throw new CommandLine.ParameterException(cmd,
          "--partition-keys must be 1..100000000 and --query-partitions 1..10000");
    }
    if (pageSize < 1 || pageSize * itemSize > MAX_PAGE_BYTES) {
      throw new CommandLine.ParameterException(cmd, "--page-size " + pageSize + " x "
          + "--item-size " + Units.formatSize(itemSize) + ": a page must hold at least one "
          + "item and at most 1MiB (DynamoDB ends a Query page at 1 MB)");
    }
    if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new CommandLine.ParameterException(cmd, "--duration must be > 0, --warmup >= 0");
    }
    return phases;
  }

  /** The headline: per thread count, each phase's rate (items/s too for Query). */
  private void printHeadline(PrintWriter out) {
    out.println();
    out.println("per thread count (ops/s, p50 / p99 ms):");
    Map<Integer, List<ResultRow>> byThreads = results.stream().collect(
        Collectors.groupingBy(ResultRow::threads, LinkedHashMap::new, Collectors.toList()));
    byThreads.forEach((threads, rows) -> {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  threads=%-3d", threads));
      for (ResultRow r : rows) {
        b.append(String.format(Locale.ROOT, "  %s %.0f/s (%.1f / %.1f)", r.op(),
            r.opsPerSecond(), r.p50Ms(), r.p99Ms()));
        if (r.op().equals(DynamoWorkload.Phase.QUERY.label)) {
          b.append(String.format(Locale.ROOT, " = %.0f items/s", r.messagesPerSecond()));
        }
      }
      out.println(b);
    });
  }

  /** Letters and digits only: one byte each in UTF-8, so lengths are DynamoDB sizes. */
  private String randomFiller() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SplittableRandom random = new SplittableRandom();
    // Slack past the item size lets each value start at a random offset: every item differs.
    char[] chars = new char[(int) (itemSize + 64 * Units.KIB)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return new String(chars);
  }

  private void writeJson(String runId, String table) throws IOException {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("service", "dynamodb");
    run.put("targets", String.join(",", targets));
    run.put("run", runId);
    run.put("table", table);
    run.put("item_bytes", itemSize);
    run.put("partition_keys", partitionKeys);
    run.put("query_partitions", queryPartitions);
    run.put("page_size", pageSize);
    run.put("warmup_seconds", warmup.toMillis() / 1000.0);
    run.put("duration_seconds", duration.toMillis() / 1000.0);
    Files.writeString(json, Report.itemJson(run, results), StandardCharsets.UTF_8);
  }

  private static void deleteTableQuietly(DynamoOps dynamo, String table, PrintWriter err) {
    try {
      dynamo.deleteTable(table);
    } catch (StatusRuntimeException e) {
      err.println("warning: could not delete table " + table + ": " + e.getStatus());
    }
  }
}
