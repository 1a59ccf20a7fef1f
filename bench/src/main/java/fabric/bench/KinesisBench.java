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

/** {@code --service kinesis}: PutRecords, GetRecords and SubscribeToShard delivery against a
 *  running fabric. */
@Command(name = "kinesis-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmarks the fabric Kinesis gRPC API on a new stream of --shards shards: "
        + "for every client thread count, a put phase (PutRecords of --batch records of "
        + "--record-size bytes under random partition keys) and a get phase (GetRecords "
        + "from TRIM_HORIZON, each thread going round its shards) and a subscribe phase "
        + "(a consumer subscribed to every shard, producers at --subscribe-rate: latency "
        + "from put to delivery per record). Reports calls/s, records/s and latency "
        + "percentiles. Start the fabric with the per-shard limits off "
        + "(FABRIC_JAVA_OPTS=-Dfabric.kinesis.enforce-limits=false ./fabric up) to measure "
        + "the machine rather than AWS's limits.")
public final class KinesisBench implements Callable<Integer> {
  /** AWS: PutRecords takes at most 500 records, a record at most 1 MiB, a call 5 MiB. */
  static final int MAX_BATCH = 500;
  static final long MAX_RECORD_BYTES = Units.MIB;
  static final long MAX_CALL_BYTES = 5 * Units.MIB;
  /** AWS: GetRecords returns at most 10,000 records. */
  static final int MAX_GET_LIMIT = 10_000;
  private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(60);

  @Spec private CommandSpec spec;

  @Option(names = "--service", defaultValue = "kinesis",
      description = "kinesis (this benchmark), s3 (the default of bench/run), sqs or dynamodb")
  String service;

  @Option(names = "--target", split = ",", defaultValue = "localhost:50051",
      description = "host:port of the gRPC server; a comma-separated list spreads the "
          + "threads round-robin over several nodes (default: ${DEFAULT-VALUE})")
  List<String> targets;

  @Option(names = "--threads", split = ",", defaultValue = "1,8",
      description = "client thread counts (producers in the put phase, readers in the get "
          + "phase), one call in flight each (default: 1,8)")
  List<Integer> threadCounts;

  @Option(names = "--phases", split = ",", defaultValue = "put,get,subscribe",
      description = "phases to run for each thread count, in this order: put, get, "
          + "subscribe (put-to-SubscribeToShard delivery latency) (default: "
          + "${DEFAULT-VALUE})")
  List<String> phaseNames;

  @Option(names = "--subscribe-rate", defaultValue = "1000",
      description = "records/s the producers of the subscribe phase send together, so "
          + "that delivery latency is measured below saturation; 0 = as fast as they can "
          + "(default: ${DEFAULT-VALUE})")
  int subscribeRate;

  @Option(names = "--shards", defaultValue = "8",
      description = "shards of the stream, 1..500 (default: ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--batch", defaultValue = "100",
      description = "records per PutRecords, 1..500 (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--record-size", defaultValue = "1KiB",
      converter = S3Bench.SizeConverter.class,
      description = "bytes of data per record, 1B..1MiB (default: ${DEFAULT-VALUE})")
  long recordSize;

  @Option(names = "--get-limit", defaultValue = "1000",
      description = "Limit of each GetRecords, 1..10000 (default: ${DEFAULT-VALUE})")
  int getLimit;

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

  @Option(names = "--keep", description = "keep the stream (and its records) at the end")
  boolean keep;

  private final List<ResultRow> results = new ArrayList<>();

  public static void main(String[] args) {
    Bench.main(Bench.withService("kinesis", args));
  }

  /** The rows of the last run, in the order they were printed. */
  List<ResultRow> results() {
    return Collections.unmodifiableList(results);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<KinesisWorkload.Phase> phases = validate();
    String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String stream = "bench-" + runId;
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      List<KinesisOps> kinesis = new ArrayList<>();
      for (String target : targets) {
        ManagedChannel channel = Bench.openChannel(target);
        channels.add(channel);
        kinesis.add(new KinesisOps(Bench.withAccount(channel, account), opTimeout));
      }
      for (int i = 0; i < targets.size(); i++) {
        try {
          kinesis.get(i).ping(S3Bench.PREFLIGHT_TIMEOUT);
        } catch (StatusRuntimeException e) {
          return Bench.preflightFailure(err, "Kinesis", targets.get(i), "ListStreams", e);
        }
      }
      try {
        kinesis.get(0).createStream(stream, shards, S3Bench.PREFLIGHT_TIMEOUT);
      } catch (StatusRuntimeException e) {
        return Bench.preflightFailure(err, "Kinesis", targets.get(0), "CreateStream " + stream,
            e);
      }
      try {
        String status = awaitActive(kinesis.get(0), stream);
        if (!status.equals("ACTIVE")) {
          err.printf("error: stream %s still %s %ds after CreateStream%n", stream, status,
              ACTIVE_TIMEOUT.toSeconds());
          err.flush();
          deleteStreamQuietly(kinesis.get(0), stream, err);
          return 1;
        }
      } catch (StatusRuntimeException e) {
        return Bench.preflightFailure(err, "Kinesis", targets.get(0),
            "DescribeStreamSummary " + stream, e);
      }
      try {
        return runPhases(out, err, kinesis, stream, phases, runId);
      } finally {
        if (!keep) {
          deleteStreamQuietly(kinesis.get(0), stream, err);
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

  private int runPhases(PrintWriter out, PrintWriter err, List<KinesisOps> kinesis,
      String stream, List<KinesisWorkload.Phase> phases, String runId) throws Exception {
    List<String> shardIds = kinesis.get(0).shardIds(stream);
    byte[] filler = randomFiller();
    KinesisWorkload workload = new KinesisWorkload(kinesis, stream, shardIds, (int) recordSize,
        batch, getLimit, filler, warmup, duration);
    KinesisDelivery delivery = new KinesisDelivery(kinesis, stream, shardIds,
        (int) recordSize, batch, subscribeRate, filler, warmup, duration);
    out.printf("fabric Kinesis bench: targets=%s stream=%s shards=%d record=%s batch=%d "
            + "get-limit=%d warmup=%s duration=%s run=%s%n",
        String.join(",", targets), stream, shardIds.size(), Units.formatSize(recordSize),
        batch, getLimit, warmup, duration, runId);
    out.println("ops/s = calls/s and items/s = records/s over the measured window (a call "
        + "counts when it completes in it); latencies in ms per call; get pages with no "
        + "record are not counted; errors by gRPC status[/AWS code], entry:<code> = records "
        + "a PutRecords refused, BAD_RECORD = a record read back with another size; "
        + "subscribe: ops = records delivered by SubscribeToShard, latency from the start "
        + "of the PutRecords that carried one to its delivery, threads = producers at "
        + (subscribeRate == 0 ? "full speed" : subscribeRate + " records/s together")
        + ", UNDELIVERED = acknowledged and never delivered");
    out.println(Report.itemHeader());
    out.flush();
    for (int threads : threadCounts) {
      for (KinesisWorkload.Phase phase : phases) {
        err.printf("# %d thread(s), %s...%n", threads, phase.label);
        err.flush();
        ResultRow row;
        try {
          row = phase == KinesisWorkload.Phase.SUBSCRIBE ? delivery.run(threads)
              : workload.run(phase, threads);
        } catch (StatusRuntimeException e) {
          // Only the unmeasured loading before a phase lets a failed call through.
          return Bench.preflightFailure(err, "Kinesis", targets.get(0),
              "PutRecords (loading records before the " + phase.label + " phase)", e);
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
      writeJson(runId, stream, shardIds.size());
      out.println("wrote " + json);
    }
    return 0;
  }

  private static String awaitActive(KinesisOps kinesis, String stream)
      throws InterruptedException {
    long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
    String status = kinesis.streamStatus(stream, S3Bench.PREFLIGHT_TIMEOUT);
    while (!status.equals("ACTIVE") && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
      status = kinesis.streamStatus(stream, S3Bench.PREFLIGHT_TIMEOUT);
    }
    return status;
  }

  private List<KinesisWorkload.Phase> validate() {
    CommandLine cmd = spec.commandLine();
    if (!service.equalsIgnoreCase("kinesis")) {
      throw new CommandLine.ParameterException(cmd, "--service " + service
          + ": this is the Kinesis benchmark; run it through fabric.bench.Bench (bench/run)");
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
    List<KinesisWorkload.Phase> phases = new ArrayList<>();
    for (String name : phaseNames) {
      try {
        phases.add(KinesisWorkload.Phase.of(name));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, "--phases: " + e.getMessage());
      }
    }
    if (shards < 1 || shards > 500) {
      throw new CommandLine.ParameterException(cmd, "--shards must be 1..500");
    }
    if (batch < 1 || batch > MAX_BATCH) {
      throw new CommandLine.ParameterException(cmd, "--batch must be 1..500 (PutRecords)");
    }
    if (recordSize < 1 || recordSize > MAX_RECORD_BYTES - 16
        || batch * (recordSize + 16) > MAX_CALL_BYTES) {
      throw new CommandLine.ParameterException(cmd, "--record-size " + Units.formatSize(
          recordSize) + " x --batch " + batch + ": a record (with its partition key) is at "
          + "most 1MiB and a PutRecords at most 5MiB");
    }
    if (phases.contains(KinesisWorkload.Phase.SUBSCRIBE)
        && recordSize < KinesisDelivery.STAMP_BYTES) {
      throw new CommandLine.ParameterException(cmd, "--record-size: the subscribe phase "
          + "stamps each record with its send time: at least " + KinesisDelivery.STAMP_BYTES
          + "B");
    }
    if (subscribeRate < 0) {
      throw new CommandLine.ParameterException(cmd, "--subscribe-rate must be >= 0");
    }
    if (getLimit < 1 || getLimit > MAX_GET_LIMIT) {
      throw new CommandLine.ParameterException(cmd, "--get-limit must be 1..10000");
    }
    if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new CommandLine.ParameterException(cmd, "--duration must be > 0, --warmup >= 0");
    }
    return phases;
  }

  /** The headline: per thread count, each phase's records/s and call latencies. */
  private void printHeadline(PrintWriter out) {
    out.println();
    out.println("per thread count (records/s, calls/s, call p50 / p99 ms; subscribe: "
        + "delivery p50 / p99 ms):");
    Map<Integer, List<ResultRow>> byThreads = results.stream().collect(
        Collectors.groupingBy(ResultRow::threads, LinkedHashMap::new, Collectors.toList()));
    byThreads.forEach((threads, rows) -> {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  threads=%-3d", threads));
      for (ResultRow r : rows) {
        if (r.op().equals("subscribe")) {
          b.append(String.format(Locale.ROOT, "  subscribe %.0f records/s delivered "
              + "(put-to-delivery %.1f / %.1f)", r.messagesPerSecond(), r.p50Ms(), r.p99Ms()));
          continue;
        }
        b.append(String.format(Locale.ROOT, "  %s %.0f records/s = %.1f MiB/s (%.0f calls/s, "
            + "%.1f / %.1f)", r.op(), r.messagesPerSecond(), r.mibPerSecond(),
            r.opsPerSecond(), r.p50Ms(), r.p99Ms()));
      }
      out.println(b);
    });
  }

  private byte[] randomFiller() {
    SplittableRandom random = new SplittableRandom();
    // Slack past the record size lets each record start at a random offset: all differ.
    byte[] bytes = new byte[(int) (recordSize + 64 * Units.KIB)];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private void writeJson(String runId, String stream, int shardCount) throws IOException {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("service", "kinesis");
    run.put("targets", String.join(",", targets));
    run.put("run", runId);
    run.put("stream", stream);
    run.put("shards", shardCount);
    run.put("record_bytes", recordSize);
    run.put("batch", batch);
    run.put("get_limit", getLimit);
    run.put("warmup_seconds", warmup.toMillis() / 1000.0);
    run.put("duration_seconds", duration.toMillis() / 1000.0);
    Files.writeString(json, Report.itemJson(run, results), StandardCharsets.UTF_8);
  }

  private static void deleteStreamQuietly(KinesisOps kinesis, String stream, PrintWriter err) {
    try {
      kinesis.deleteStream(stream);
    } catch (StatusRuntimeException e) {
      err.println("warning: could not delete stream " + stream + ": " + e.getStatus());
    }
  }
}
