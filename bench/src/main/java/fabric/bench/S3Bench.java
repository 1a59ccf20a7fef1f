package fabric.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
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
import java.util.logging.Level;
import java.util.logging.Logger;
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
  static final int EXIT_UNREACHABLE = 3;
  private static final Metadata.Key<String> ACCOUNT_HEADER =
      Metadata.Key.of("x-fabric-account-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final long MAX_SIZE = Units.GIB;
  private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(10);
  // Held in a field: JUL keeps loggers weakly, and a collected one would forget its level.
  private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

  @Spec private CommandSpec spec;

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

  public static void main(String[] args) {
    // gRPC logs e.g. a DNS failure as a JUL WARNING with a full stack trace; the bench reports
    // such failures itself (one line, or an error count per status), so keep the console clean.
    GRPC_LOG.setLevel(Level.SEVERE);
    System.exit(new CommandLine(new S3Bench()).execute(args));
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
        ManagedChannel channel = openChannel(target);
        channels.add(channel);
        // The interceptor wraps the channel, not the stubs, so every call carries the account.
        s3.add(new S3Ops(ClientInterceptors.intercept(channel,
            MetadataUtils.newAttachHeadersInterceptor(accountHeaders())), opTimeout, (int) chunk));
      }
      for (int i = 0; i < targets.size(); i++) {
        try {
          createBucket(s3.get(i), bucketName);
        } catch (StatusRuntimeException e) {
          return preflightFailure(err, targets.get(i), bucketName, e);
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

  private ManagedChannel openChannel(String target) {
    // Netty rather than the generic builder: only it exposes the flow-control window, and
    // gRPC's 64 KiB default would throttle an 8 MiB body to a trickle of window updates.
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .flowControlWindow((int) (8 * Units.MIB))
        .maxInboundMessageSize((int) (16 * Units.MIB))
        // Callbacks only hand off buffers; running them on the event loop saves a thread hop.
        .directExecutor()
        .build();
  }

  private Metadata accountHeaders() {
    Metadata headers = new Metadata();
    headers.put(ACCOUNT_HEADER, account);
    return headers;
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

  private int preflightFailure(PrintWriter err, String target, String bucketName,
      StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    // Description and cause together: "io exception" alone does not say "connection refused".
    String why = e.getStatus().getDescription() != null ? e.getStatus().getDescription() : "";
    if (e.getStatus().getCause() != null && e.getStatus().getCause().getMessage() != null) {
      why += (why.isEmpty() ? "" : ": ") + e.getStatus().getCause().getMessage();
    }
    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
      err.printf("error: cannot reach the fabric S3 gRPC server at %s (%s%s)%n",
          target, code, why.isEmpty() ? "" : ": " + why);
      err.println("Is the server running? Pass its gRPC address with --target host:port.");
      err.flush();
      return EXIT_UNREACHABLE;
    }
    err.printf("error: CreateBucket %s on %s failed: %s%s%n",
        bucketName, target, code, why.isEmpty() ? "" : ": " + why);
    err.flush();
    return 1;
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
