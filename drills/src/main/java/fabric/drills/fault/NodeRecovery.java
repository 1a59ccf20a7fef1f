package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import java.time.Duration;

/** Waiting for a node to serve again after a fault, with a bound. */
final class NodeRecovery {
  static final Duration MAX_WAIT = Duration.ofMinutes(3);

  private NodeRecovery() {}

  /**
   * Waits until node {@code id} runs under a PID other than {@code oldPid} (the supervisor
   * restarted it) or, if {@code oldPid} is 0, any PID, and answers ready.
   */
  static boolean awaitServing(FabricCluster cluster, String id, long oldPid)
      throws InterruptedException {
    return awaitServing(cluster, id, oldPid, MAX_WAIT);
  }

  /** As {@link #awaitServing(FabricCluster, String, long)}, waiting up to {@code within}. */
  static boolean awaitServing(FabricCluster cluster, String id, long oldPid, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      FabricCluster.Node node = cluster.node(id);
      if (node.pid() != oldPid && node.pid() > 0 && cluster.isReady(node)) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }
}
