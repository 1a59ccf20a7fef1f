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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --service sqs}: send + receive + delete round trips against a running fabric. */
@Command(name = "sqs-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmarks the fabric SQS gRPC API: for every (producer/consumer pairs, "
        + "batch size) combination, on a new standard queue, each pair's producer sends "
        + "messages while its consumer receives and deletes them. Reports send, receive and "
        + "delete calls and messages per second with latencies, and round trips per second "
        + "(messages sent, received and deleted).")
public final class SqsBench implements Callable<Integer> {
  /** AWS's limit on a message, and on the sum of a batch's messages. */
  static final long MAX_MESSAGE_BYTES = 256 * Units.KIB;
  static final int MAX_BATCH = 10;

  @Spec private CommandSpec spec;

  @Option(names = "--service", defaultValue = "sqs",
      description = "sqs (this benchmark) or s3 (the default of bench/run)")
  String service;

  @Option(names = "--target", split = ",", defaultValue = "localhost:50051",
      description = "host:port of the gRPC server; a comma-separated list spreads the "
          + "threads round-robin over several nodes, a pair's producer and consumer on "
          + "neighbouring targets (default: ${DEFAULT-VALUE})")
  List<String> targets;

  @Option(names = "--pairs", split = ",", defaultValue = "1,8",
      description = "producer/consumer pair counts (default: 1,8)")
  List<Integer> pairCounts;

  @Option(names = "--batch", split = ",", defaultValue = "1,10",
      description = "batch sizes, 1..10: 1 = SendMessage, ReceiveMessage of 1, DeleteMessage;"
          + " n > 1 = SendMessageBatch of n, ReceiveMessage of up to n, DeleteMessageBatch of "
          + "what came back (default: 1,10)")
  List<Integer> batchSizes;

  @Option(names = "--message-size", defaultValue = "256B",
      converter = S3Bench.SizeConverter.class,
      description = "message body size, 16B..256KiB, ASCII (default: 256B)")
  long messageSize;

  @Option(names = "--duration", defaultValue = "15s",
      converter = S3Bench.DurationConverter.class,
      description = "measured time per cell (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "3s", converter = S3Bench.DurationConverter.class,
      description = "unmeasured time before each cell (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--visibility-timeout", defaultValue = "60",
      description = "VisibilityTimeout of each receive, seconds (default: ${DEFAULT-VALUE})")
  int visibilitySeconds;

  @Option(names = "--wait-seconds", defaultValue = "0",
      description = "WaitTimeSeconds of each receive, 0..20; 0 = short polling "
          + "(default: ${DEFAULT-VALUE})")
  int waitSeconds;

  @Option(names = "--json", description = "also write the result rows as JSON to this file")
  Path json;

  @Option(names = "--account", defaultValue = "000000000000",
      description = "sent as x-fabric-account-id (default: ${DEFAULT-VALUE})")
  String account;

  @Option(names = "--op-timeout", defaultValue = "30s",
      converter = S3Bench.DurationConverter.class,
      description = "deadline of each call, plus --wait-seconds for receives "
          + "(default: ${DEFAULT-VALUE})")
  Duration opTimeout;

  @Option(names = "--keep", description = "keep the queues (and their messages) at the end")
  boolean keep;

  private final List<ResultRow> results = new ArrayList<>();

  public static void main(String[] args) {
    Bench.main(Bench.withService("sqs", args));
  }

  /** The rows of the last run, in the order they were printed. */
  List<ResultRow> results() {
    return Collections.unmodifiableList(results);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    validate();
    String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      List<SqsOps> sqs = new ArrayList<>();
      for (String target : targets) {
        ManagedChannel channel = Bench.openChannel(target);
        channels.add(channel);
        sqs.add(new SqsOps(Bench.withAccount(channel, account), opTimeout));
      }
      for (int i = 0; i < targets.size(); i++) {
        try {
          sqs.get(i).ping(S3Bench.PREFLIGHT_TIMEOUT);
        } catch (StatusRuntimeException e) {
          return Bench.preflightFailure(err, "SQS", targets.get(i), "ListQueues", e);
        }
      }
      String filler = randomFiller();
      out.printf("fabric SQS bench: targets=%s message=%s warmup=%s duration=%s "
              + "visibility-timeout=%ds wait-seconds=%d run=%s%n", String.join(",", targets),
          Units.formatSize(messageSize), warmup, duration, visibilitySeconds, waitSeconds,
          runId);
      out.println("calls/s and msgs/s over the measured window; empty = receives that got no "
          + "message (not in calls or latencies); latencies in ms, round-trip = send start to "
          + "delete ack; errors by gRPC status, entry:<AWS code> for failed batch entries");
      out.println(Report.messageHeader());
      out.flush();
      for (int pairs : pairCounts) {
        for (int batch : batchSizes) {
          String queueName = "bench-" + runId + "-p" + pairs + "-b" + batch;
          String url;
          try {
            url = sqs.get(0).createQueue(queueName, S3Bench.PREFLIGHT_TIMEOUT);
          } catch (StatusRuntimeException e) {
            return Bench.preflightFailure(err, "SQS", targets.get(0),
                "CreateQueue " + queueName, e);
          }
          err.printf("# %d pair(s), batch %d, queue %s...%n", pairs, batch, queueName);
          err.flush();
          SqsWorkload cell = new SqsWorkload(sqs, url, pairs, batch, (int) messageSize, filler,
              visibilitySeconds, waitSeconds, warmup, duration);
          for (ResultRow row : cell.run()) {
            results.add(row);
            out.println(Report.messageRow(row));
            row.errorSamples().forEach((code, message) ->
                out.printf("#   %s %s: %s%n", row.op(), code, message));
          }
          out.printf("#   left in the queue: %d messages (sent - deleted, warm-up included)%n",
              cell.backlog());
          out.flush();
          if (!keep) {
            deleteQueueQuietly(sqs.get(0), url, err);
          }
        }
      }
      printHeadline(out);
      if (json != null) {
        writeJson(runId);
        out.println("wrote " + json);
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

  private void validate() {
    CommandLine cmd = spec.commandLine();
    if (!service.equalsIgnoreCase("sqs")) {
      throw new CommandLine.ParameterException(cmd, "--service " + service
          + ": this is the SQS benchmark; run it through fabric.bench.Bench (bench/run)");
    }
    for (String target : targets) {
      if (!target.contains(":")) {
        throw new CommandLine.ParameterException(cmd,
            "--target: '" + target + "' needs a port, e.g. localhost:50051");
      }
    }
    for (int p : pairCounts) {
      if (p < 1) {
        throw new CommandLine.ParameterException(cmd, "--pairs: each count must be >= 1");
      }
    }
    for (int b : batchSizes) {
      if (b < 1 || b > MAX_BATCH) {
        throw new CommandLine.ParameterException(cmd, "--batch: each size must be 1..10");
      }
      if (b * messageSize > MAX_MESSAGE_BYTES) {
        throw new CommandLine.ParameterException(cmd, "--batch " + b + " x --message-size "
            + Units.formatSize(messageSize) + " exceeds SQS's 256KiB per batch");
      }
    }
    if (messageSize < SqsWorkload.STAMP_CHARS || messageSize > MAX_MESSAGE_BYTES) {
      throw new CommandLine.ParameterException(cmd, "--message-size must be 16B..256KiB "
          + "(the body starts with a 16-character send time stamp)");
    }
    if (waitSeconds < 0 || waitSeconds > 20 || visibilitySeconds < 0
        || visibilitySeconds > 43_200) {
      throw new CommandLine.ParameterException(cmd,
          "--wait-seconds must be 0..20 and --visibility-timeout 0..43200");
    }
    if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new CommandLine.ParameterException(cmd, "--duration must be > 0, --warmup >= 0");
    }
  }

  /** The headline: messages sent, received and deleted per second, per cell. */
  private void printHeadline(PrintWriter out) {
    out.println();
    out.println("round trips/s (messages sent, received and deleted in the window):");
    for (ResultRow row : results) {
      if (row.op().equals("round-trip")) {
        out.printf(Locale.ROOT, "  pairs=%-3d batch=%-3d %10.1f/s   p50 %.1f ms, p99 %.1f ms%n",
            row.threads(), row.batch(), row.messagesPerSecond(), row.p50Ms(), row.p99Ms());
      }
    }
  }

  /** Letters and digits only: any character is a valid SQS body, and one byte in UTF-8. */
  private String randomFiller() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SplittableRandom random = new SplittableRandom();
    // Slack past the message size lets each body start at a random offset (see SqsWorkload).
    char[] chars = new char[(int) (messageSize + 64 * Units.KIB)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return new String(chars);
  }

  private void writeJson(String runId) throws IOException {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("service", "sqs");
    run.put("targets", String.join(",", targets));
    run.put("run", runId);
    run.put("message_bytes", messageSize);
    run.put("warmup_seconds", warmup.toMillis() / 1000.0);
    run.put("duration_seconds", duration.toMillis() / 1000.0);
    run.put("visibility_timeout_seconds", visibilitySeconds);
    run.put("wait_time_seconds", waitSeconds);
    Files.writeString(json, Report.json(run, results), StandardCharsets.UTF_8);
  }

  private static void deleteQueueQuietly(SqsOps sqs, String url, PrintWriter err) {
    try {
      sqs.deleteQueue(url);
    } catch (StatusRuntimeException e) {
      err.println("warning: could not delete queue " + url + ": " + e.getStatus());
    }
  }
}
