package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;

/**
 * One kind of fault a drill injects: it records its start in the history, breaks
 * something, heals it (or waits for the fabric to heal itself) and records the end.
 */
public interface Fault {
  /** The name used on the command line and in reports, e.g. "kill". */
  String name();

  /**
   * Injects the fault on {@code target} (a node id) and returns once it is healed: the
   * recorded {@link FaultEvent} has its end set.
   */
  FaultEvent inject(FabricCluster cluster, String target, History history)
      throws InterruptedException;
}
