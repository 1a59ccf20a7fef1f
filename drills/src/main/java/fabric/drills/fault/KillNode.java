package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.cluster.Signals;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;

/** kill -9 of a node process; healed when the supervisor has it running and ready again. */
public final class KillNode implements Fault {
  @Override
  public String name() {
    return "kill";
  }

  @Override
  public FaultEvent inject(FabricCluster cluster, String target, History history)
      throws InterruptedException {
    FabricCluster.Node node = cluster.node(target);
    FaultEvent started = history.faultStarted("kill -9", target);
    Signals.kill9(node.pid());
    if (!NodeRecovery.awaitServing(cluster, target, node.pid())) {
      System.err.printf("drill: %s was not restarted within %s%n", target,
          NodeRecovery.MAX_WAIT);
    }
    return history.faultHealed(started);
  }
}
