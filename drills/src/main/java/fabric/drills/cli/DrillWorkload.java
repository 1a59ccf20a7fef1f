package fabric.drills.cli;

import fabric.drills.check.CheckResult;
import fabric.drills.cluster.FabricCluster;
import fabric.drills.history.Call;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a drill drives while faults hit the fabric, and how it checks the result: the S3
 * register workload ({@link RegisterDrill}) or the SQS queue workload ({@link QueueDrill}).
 */
interface DrillWorkload {
  /** A resource of the workload as the cluster view names it, e.g. Bucket/drill-kill-17. */
  record Resource(String type, String id) {
    @Override
    public String toString() {
      return type + "/" + id;
    }
  }

  /**
   * Where the next fault goes: the resource whose leader it hits, and which calls that
   * resource's outage shows in (for the recovery time).
   */
  record Target(Resource resource, Predicate<Call> affects) {}

  /** One line for the start of the drill: clients, resources, nodes. */
  String describe();

  void start();

  /** The resource the fault of round {@code round} (0, 1, 2...) aims at. */
  Target target(int round);

  /** Stops the clients (a queue workload first drains its queues) and waits for them. */
  void stop() throws InterruptedException;

  /**
   * Reads back what the clients left and checks the history; the followers of the
   * workload's resources must converge unless {@code checkReplicas} is off (an AZ still
   * down).
   */
  List<CheckResult> check(FabricCluster cluster, boolean checkReplicas)
      throws InterruptedException;

  /** Findings for the text report beyond the checks (e.g. whether the queues drained). */
  default List<String> notes() {
    return List.of();
  }
}
