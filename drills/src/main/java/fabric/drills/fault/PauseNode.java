package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.cluster.Signals;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import java.time.Duration;

/**
 * SIGSTOP of a node process for a while, then SIGCONT: a long GC pause or a frozen VM. A
 * pause longer than failure detection plus stable-after gets the node downed; on waking it
 * must not acknowledge anything (it is fenced) and it exits, and the supervisor restarts it.
 */
public final class PauseNode implements Fault {
  private final Duration pause;

  public PauseNode(Duration pause) {
    this.pause = pause;
  }

  @Override
  public String name() {
    return "pause";
  }

  @Override
  public FaultEvent inject(FabricCluster cluster, String target, History history)
      throws InterruptedException {
    FabricCluster.Node node = cluster.node(target);
    FaultEvent started = history.faultStarted("SIGSTOP " + pause.toSeconds() + " s", target);
    Signals.stop(node.pid());
    try {
      Thread.sleep(pause.toMillis());
    } finally {
      Signals.cont(node.pid());
    }
    // Either it rejoins as it was, or it finds itself downed, exits and is restarted.
    NodeRecovery.awaitServing(cluster, target, 0);
    return history.faultHealed(started);
  }
}
