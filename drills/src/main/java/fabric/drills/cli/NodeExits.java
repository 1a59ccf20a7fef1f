package fabric.drills.cli;

import fabric.drills.check.CheckResult;
import fabric.drills.check.NodeDowned;
import fabric.drills.check.Violation;
import fabric.drills.cluster.FabricCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches the node processes for the whole drill (the supervisor records each restart
 * under a new PID in the state file) and tells the exits the drill caused from the ones it
 * did not: "no healthy node downed under load". Polls every {@link #POLL}; a node restarts
 * in seconds, so no exit goes unseen.
 */
final class NodeExits implements AutoCloseable {
  static final Duration POLL = Duration.ofMillis(500);

  private final FabricCluster cluster;
  private final Map<String, Long> pids = new HashMap<>();
  /** Exits seen: node id and the PID that went away. */
  private final List<Map.Entry<String, Long>> exits = new ArrayList<>();
  private final Set<Long> killedPids = new HashSet<>();
  private final Thread poller;
  private volatile boolean running = true;

  NodeExits(FabricCluster cluster) {
    this.cluster = cluster;
    cluster.nodes().forEach(n -> pids.put(n.id(), n.pid()));
    poller = new Thread(this::poll, "node-exits");
    poller.setDaemon(true);
  }

  /** Watches from now until {@link #close}. */
  NodeExits start() {
    poller.start();
    return this;
  }

  /** The drill is about to kill this PID itself. */
  synchronized void expectExit(long pid) {
    killedPids.add(pid);
  }

  private void poll() {
    while (running) {
      try {
        Thread.sleep(POLL.toMillis());
        pollOnce();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the state file is being rewritten: next poll
      }
    }
  }

  void pollOnce() {
    for (FabricCluster.Node n : cluster.nodes()) {
      record(n.id(), n.pid());
    }
  }

  private synchronized void record(String nodeId, long pid) {
    Long before = pids.put(nodeId, pid);
    if (before != null && before != pid && before > 0) {
      exits.add(Map.entry(nodeId, before));
    }
  }

  /** Every exit of a PID the drill did not kill is a violation. */
  synchronized CheckResult check() {
    List<Violation> violations = new ArrayList<>();
    for (Map.Entry<String, Long> exit : exits) {
      if (!killedPids.contains(exit.getValue())) {
        violations.add(new NodeDowned(exit.getKey(), exit.getValue(), exit.getKey()
            + " (PID " + exit.getValue() + ") exited without being killed by the drill: "
            + "downed or crashed; see its log"));
      }
    }
    return CheckResult.of("healthy-nodes", pids.size(), violations, List.of());
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
  }
}
