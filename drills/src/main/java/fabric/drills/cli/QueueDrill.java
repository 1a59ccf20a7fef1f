package fabric.drills.cli;

import fabric.drills.check.CheckResult;
import fabric.drills.check.FifoOrderChecker;
import fabric.drills.check.Inconclusive;
import fabric.drills.check.MessageDeliveryChecker;
import fabric.drills.check.Violation;
import fabric.drills.cluster.FabricCluster;
import fabric.drills.history.History;
import fabric.drills.workload.QueueWorkload;
import fabric.drills.workload.SqsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SQS workload: a standard and a FIFO queue, created fresh, with producers and consumers
 * on each ({@link QueueWorkload}); faults alternate between the two queues' leaders. After
 * the workload both queues are drained and checked: every acknowledged send received, and on
 * the FIFO queue group order, deletes that stick and one message per deduplication id.
 */
final class QueueDrill implements DrillWorkload {
  /** The account the drill's queues belong to (sent in the x-fabric-account-id header). */
  static final String ACCOUNT = "000000000000";
  /** Enough for failed deletes to come back (visibility timeout) and a failover or two. */
  static final Duration DRAIN = Duration.ofMinutes(2);

  private final History history;
  private final List<SqsClient> endpoints;
  private final QueueWorkload workload;
  private final int perRole;
  private final int groups;
  private final List<String> notes = new ArrayList<>();

  private QueueDrill(History history, List<SqsClient> endpoints, QueueWorkload workload,
      int perRole, int groups) {
    this.history = history;
    this.endpoints = endpoints;
    this.workload = workload;
    this.perRole = perRole;
    this.groups = groups;
  }

  /**
   * Creates the queues {@code <prefix>} and {@code <prefix>.fifo} (retrying through every
   * node for up to a minute: a cold fabric may still be starting its shards).
   */
  static QueueDrill create(History history, List<SqsClient> endpoints, String prefix,
      int perRole, int groups) throws InterruptedException {
    String visibility = String.valueOf(QueueWorkload.VISIBILITY_SECONDS);
    QueueWorkload.Queue standard = createQueue(endpoints, prefix, false,
        Map.of("VisibilityTimeout", visibility));
    QueueWorkload.Queue fifo = createQueue(endpoints, prefix + ".fifo", true,
        Map.of("FifoQueue", "true", "ContentBasedDeduplication", "false",
            "VisibilityTimeout", visibility));
    return new QueueDrill(history, endpoints,
        new QueueWorkload(history, endpoints, standard, fifo, perRole, groups), perRole,
        groups);
  }

  private static QueueWorkload.Queue createQueue(List<SqsClient> endpoints, String name,
      boolean fifo, Map<String, String> attributes) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    SqsClient.Result<String> last = null;
    for (int i = 0; System.nanoTime() < deadline; i++) {
      last = endpoints.get(i % endpoints.size()).createQueue(name, attributes);
      if (last instanceof SqsClient.Ok<String> ok) {
        return new QueueWorkload.Queue(name, ok.value(), fifo);
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("could not create queue " + name + ": " + last);
  }

  @Override
  public String describe() {
    List<QueueWorkload.Queue> qs = workload.queues();
    return perRole + " producers and " + perRole + " consumers on each of queue "
        + qs.get(0).name() + " and " + qs.get(1).name() + " (" + groups + " message groups) "
        + "through " + endpoints.size() + " nodes";
  }

  @Override
  public void start() {
    workload.start();
  }

  /**
   * Round 0 hits the standard queue's leader, round 1 the FIFO queue's, and so on; the
   * outage is measured on the calls to the queue hit.
   */
  @Override
  public Target target(int round) {
    QueueWorkload.Queue q = workload.queues().get(round % 2);
    return new Target(resource(q), call -> call.key().equals(q.name()));
  }

  private static Resource resource(QueueWorkload.Queue q) {
    return new Resource("Queue", ACCOUNT + "/" + q.name());
  }

  @Override
  public void stop() throws InterruptedException {
    workload.stopProducers();
    System.out.printf("drill: producers stopped; draining both queues (up to %d s), %d "
        + "acknowledged messages not received yet%n", DRAIN.toSeconds(), workload.missing());
    long start = System.nanoTime();
    boolean drained = workload.drain(DRAIN);
    workload.stop();
    String note = drained
        ? String.format("queues drained in %.1f s: every acknowledged message received, both "
            + "queues empty", (System.nanoTime() - start) / 1e9)
        : "queues NOT drained within " + DRAIN.toSeconds() + " s: " + workload.missing()
            + " acknowledged messages never received (see lost writes), or messages left";
    notes.add(note);
    System.out.println("drill: " + note);
  }

  @Override
  public List<CheckResult> check(FabricCluster cluster, boolean checkReplicas)
      throws InterruptedException {
    List<CheckResult> results = new ArrayList<>();
    for (QueueWorkload.Queue q : workload.queues()) {
      results.add(MessageDeliveryChecker.check(history, q.name()));
      if (q.fifo()) {
        results.add(FifoOrderChecker.check(history, q.name()));
      }
    }
    // No replica check: queues have no followers (QueueDefinition.hasFollowers), a new
    // leader recovers from the journal, which the delivery checks above already test.
    return results;
  }

  @Override
  public List<String> notes() {
    return notes;
  }
}
