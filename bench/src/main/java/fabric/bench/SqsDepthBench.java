package fabric.bench;

import fabric.sqs.v1.SendMessageBatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code --service sqs-depth}: does a receive cost more when more messages wait? Fills one
 * queue in batches of 10 up to each depth, then times single receives at that depth (each
 * with VisibilityTimeout 0, so the queue stays as deep). With {@code --keep} the queue stays
 * for a recovery measurement (bench/queue-recovery.sh).
 */
@Command(name = "sqs-depth-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Receive latency of one queue as its backlog grows to each --depths value.")
public final class SqsDepthBench implements Callable<Integer> {
  @Option(names = "--service", defaultValue = "sqs-depth", description = "sqs-depth")
  String service;

  @Option(names = "--target", split = ",", defaultValue = "localhost:50051",
      description = "host:port list; fill threads spread over it (default: ${DEFAULT-VALUE})")
  List<String> targets;

  @Option(names = "--depths", split = ",", defaultValue = "10,1000,10000,100000,1000000",
      description = "waiting messages at which receives are timed (default: ${DEFAULT-VALUE})")
  List<Long> depths;

  @Option(names = "--probes", defaultValue = "300",
      description = "timed receives per depth (default: ${DEFAULT-VALUE})")
  int probes;

  @Option(names = "--fill-threads", defaultValue = "8",
      description = "threads sending batches of 10 (default: ${DEFAULT-VALUE})")
  int fillThreads;

  @Option(names = "--message-size", defaultValue = "256B",
      converter = S3Bench.SizeConverter.class, description = "(default: 256B)")
  long messageSize;

  @Option(names = "--queue", defaultValue = "",
      description = "queue name (default: bench-depth-<time>)")
  String queueName;

  @Option(names = "--no-fill", description = "time receives on the queue as it is (after "
      + "a restart: the first one includes the queue's recovery)")
  boolean noFill;

  @Option(names = "--keep", description = "keep the queue (for bench/queue-recovery.sh)")
  boolean keep;

  @Option(names = "--account", defaultValue = "000000000000",
      description = "sent as x-fabric-account-id (default: ${DEFAULT-VALUE})")
  String account;

  @Override
  public Integer call() throws Exception {
    List<ManagedChannel> channels = new ArrayList<>();
    List<SqsOps> ops = new ArrayList<>();
    for (String target : targets) {
      ManagedChannel channel = Bench.openChannel(target);
      channels.add(channel);
      ops.add(new SqsOps(Bench.withAccount(channel, account), Duration.ofSeconds(30)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(fillThreads);
    try {
      String name = queueName.isEmpty() ? "bench-depth-" + System.currentTimeMillis()
          : queueName;
      String url = ops.get(0).createQueue(name, Duration.ofSeconds(30));
      String body = "x".repeat((int) messageSize);
      List<String> batch = Collections.nCopies(10, body);
      System.out.printf(Locale.ROOT, "queue %s%n%-10s %12s %12s %10s %10s %10s%n", url,
          "depth", "fill msg/s", "receives", "p50 ms", "p99 ms", "max ms");
      long sent = 0;
      for (long depth : depths) {
        long fillStart = System.nanoTime();
        long target = noFill ? 0 : depth;
        AtomicLong count = new AtomicLong(sent);
        List<Future<?>> fills = new ArrayList<>();
        for (int t = 0; t < fillThreads; t++) {
          SqsOps op = ops.get(t % ops.size());
          fills.add(pool.submit(() -> {
            while (count.getAndAdd(10) + 10 <= target) {
              SendMessageBatchResponse r = op.sendBatch(url, batch);
              if (r.getFailedCount() > 0) {
                throw new IllegalStateException("send failed: " + r.getFailed(0));
              }
            }
            return null;
          }));
        }
        for (Future<?> f : fills) {
          f.get();
        }
        long filled = noFill ? depth : Math.max(sent, (target / 10) * 10);
        double fillRate = (filled - sent) / ((System.nanoTime() - fillStart) / 1e9);
        sent = filled;
        OpStats receives = new OpStats();
        SqsOps probe = ops.get(0);
        for (int i = 0; i < probes; i++) {
          long t0 = System.nanoTime();
          try {
            int n = probe.receive(url, 1, 0, 0).size();
            if (n == 0) {
              receives.recordEmpty();
            }
            receives.recordSuccess(System.nanoTime() - t0, 0, n);
          } catch (StatusRuntimeException e) {
            receives.recordError(e.getStatus().getCode().name(), e.getMessage());
          }
        }
        System.out.printf(Locale.ROOT, "%-10d %12s %12d %10.2f %10.2f %10.2f%s%n", sent,
            noFill ? "-" : String.format(Locale.ROOT, "%.0f", fillRate), receives.ops(), receives.percentileMillis(50),
            receives.percentileMillis(99), receives.percentileMillis(100),
            receives.errors().isEmpty() && receives.empty() == 0 ? ""
                : "  errors " + receives.errors() + " empty " + receives.empty());
      }
      if (!keep) {
        ops.get(0).deleteQueue(url);
      }
      return 0;
    } finally {
      pool.shutdownNow();
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
