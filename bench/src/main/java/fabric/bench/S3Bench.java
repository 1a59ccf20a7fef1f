package fabric.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.Status;
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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Command line entry: S3 PUT / GET / mixed throughput and latency against a running fabric. */
@Command(name = "s3-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmarks the fabric S3 gRPC API: PUT, GET and mixed PUT+GET phases for "
        + "every (object size, client threads) combination.")
public final class S3Bench implements Callable<Integer> {
  static final int EXIT_UNREACHABLE = Bench.EXIT_UNREACHABLE;
  private static final long MAX_SIZE = Units.GIB;
  static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(10);

  @Spec private CommandSpec spec;

  @Option(names = "--service", defaultValue = "s3",
      description = "s3 (this benchmark, the default), sqs or dynamodb (see --service X --help)")
  String service;

  @Option(names = "--target", split = ",", defaultValue = "localhost:50051",
      description = "host:port of the gRPC server; a comma-separated list spreads client "
          + "threads round-robin over several nodes (default: ${DEFAULT-VALUE})")
  List<String> targets;

  @Option(names = "--sizes", split = ",", defaultValue = "4KiB,8MiB",
      converter = SizeConverter.class, description = "object sizes (default: 4KiB,8MiB)")
  List<Long> sizes;

  @Option(names = "--threads", split = ",", defaultValue = "1,8",
      description = "client thread counts, one in-flight stream each (default: 1,8)")
  List<Integer> threadCounts;

  @Option(names = "--duration", defaultValue = "15s", converter = DurationConverter.class,
      description = "measured time per phase (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class,
      description = "unmeasured time before each phase (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--phases", split = ",", defaultValue = "put,get,mixed",
      description = "phases to run, in order: put, get, mixed (default: put,get,mixed)")
  List<String> phases;

  @Option(names = "--json", description = "also write the result rows as JSON to this file")
  Path json;

  @Option(names = "--account", defaultValue = "000000000000",
      description = "sent as x-fabric-account-id (default: ${DEFAULT-VALUE})")
  String account;

  @Option(names = "--bucket", description = "bucket to use (default: a new bench-<random>)")
  String bucket;

  @Option(names = "--keys-per-thread", defaultValue = "8",
      description = "fixed key pool of each thread (default: ${DEFAULT-VALUE})")
  int keysPerThread;

  @Option(names = "--chunk", defaultValue = "1MiB", converter = SizeConverter.class,
      description = "PUT data message size (default: 1MiB)")
  long chunk;

  @Option(names = "--op-timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "deadline of each call (default: ${DEFAULT-VALUE})")
  Duration opTimeout;

  @Option(names = "--keep", description = "keep the objects (and a created bucket) at the end")
  boolean keep;

  private final List<ResultRow> results = new ArrayList<>();

  /** Kept for scripts that name this class: the same as {@link Bench#main}. */
  public static void main(String[] args) {
    Bench.main(args);
  }

  /** The rows of the last run, in the order they were printed. */
  List<ResultRow> results() {
    return Collections.unmodifiableList(results);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Workload.Phase> phaseList = validate();
    String bucketName = bucket != null ? bucket : "bench-" + UUID.randomUUID().toString()
        .replace("-", "").substring(0, 12);
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      List<S3Ops> s3 = new ArrayList<>();
      for (String target : targets) {
        ManagedChannel channel = Bench.openChannel(target);
        channels.add(channel);
        s3.add(new S3Ops(Bench.withAccount(channel, account), opTimeout, (int) chunk));
      }
      for (int i = 0; i < targets.size(); i++) {
        try {
          createBucket(s3.get(i), bucketName);
        } catch (StatusRuntimeException e) {
          return Bench.preflightFailure(err, "S3", targets.get(i), "CreateBucket " + bucketName,
              e);
        }
      }
      ByteString payload = randomPayload();
      out.printf("fabric S3 bench: targets=%s bucket=%s warmup=%s duration=%s%n",
          String.join(",", targets), bucketName, warmup, duration);
      out.println("throughput in MiB/s (2^20 bytes/s); latencies in ms; errors by gRPC status");
      out.println(Report.header());
      out.flush();
      for (long size : sizes) {
        for (int threads : threadCounts) {
          Workload cell = new Workload(s3, bucketName, size, threads, keysPerThread,
              payload, warmup, duration);
          for (Workload.Phase phase : phaseList) {
            err.printf("# %s %s x%d threads...%n", phase.name().toLowerCase(),
                Units.formatSize(size), threads);
            err.flush();
            for (ResultRow row : cell.run(phase)) {
              results.add(row);
              out.println(Report.row(row));
              out.flush();
            }
          }
          if (!keep) {
            cell.deleteKeys(); // bounds what the server holds to one cell's key pool
          }
        }
      }
      if (json != null) {
        writeJson(bucketName);
        out.println("wrote " + json);
      }
      if (!keep && bucket == null) {
        deleteBucketQuietly(s3.get(0), bucketName, err);
      }
      return 0;
    } finally {
      for (ManagedChannel channel : channels) {
        channel.shutdownNow();
      }
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private List<Workload.Phase> validate() {
    CommandLine cmd = spec.commandLine();
    if (!service.equalsIgnoreCase("s3")) {
      throw new CommandLine.ParameterException(cmd, "--service " + service
          + ": this is the S3 benchmark; run it through fabric.bench.Bench (bench/run)");
    }
    for (long size : sizes) {
      if (size < 0 || size > MAX_SIZE) {
        throw new CommandLine.ParameterException(cmd, "--sizes: each size must be 0..1GiB");
      }
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
    if (keysPerThread < 1 || chunk < 1 || chunk > 8 * Units.MIB) {
      throw new CommandLine.ParameterException(cmd,
          "--keys-per-thread must be >= 1 and --chunk 1B..8MiB");
    }
    if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new CommandLine.ParameterException(cmd, "--duration must be > 0, --warmup >= 0");
    }
    List<Workload.Phase> list = new ArrayList<>();
    for (String p : phases) {
      try {
        list.add(Workload.Phase.valueOf(p.trim().toUpperCase()));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, "--phases: unknown phase '" + p + "'");
      }
    }
    return list;
  }

  private void createBucket(S3Ops s3, String bucketName) {
    try {
      s3.createBucket(bucketName, PREFLIGHT_TIMEOUT);
    } catch (StatusRuntimeException e) {
      // A reused --bucket, or the same bucket created via another node: both are fine.
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  private ByteString randomPayload() {
    long max = sizes.stream().mapToLong(Long::longValue).max().orElse(0);
    // Slack past the largest size lets each PUT start at a random offset (see Workload).
    byte[] bytes = new byte[(int) (max + 64 * Units.KIB)];
    new SplittableRandom().nextBytes(bytes);
    // The array is never written again, so wrapping without a copy is safe.
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  private void writeJson(String bucketName) throws IOException {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("targets", String.join(",", targets));
    run.put("bucket", bucketName);
    run.put("warmup_seconds", warmup.toMillis() / 1000.0);
    run.put("duration_seconds", duration.toMillis() / 1000.0);
    run.put("keys_per_thread", keysPerThread);
    Files.writeString(json, Report.json(run, results), StandardCharsets.UTF_8);
  }

  private static void deleteBucketQuietly(S3Ops s3, String bucketName, PrintWriter err) {
    try {
      s3.deleteBucket(bucketName);
    } catch (StatusRuntimeException e) {
      err.println("warning: could not delete bucket " + bucketName + ": " + e.getStatus());
    }
  }

  static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return Units.parseSize(value);
    }
  }

  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Units.parseDuration(value);
    }
  }
}
