package fabric.node.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What {@code <data-dir>/fabric-up.json} records about a multi-process fabric: every process
 * the supervisor started, by PID and the start time of that PID (so that {@code ./fabric
 * down} never signals a process that merely reuses a recorded PID), with its ports and log,
 * and what drills need to inject faults: the processes' cgroups and, when the nodes run with
 * a controllable clock, the directory of their clock files ({@code <node-id>.faketime}).
 */
public record FabricState(
    int version,
    String dataDir,
    String host,
    boolean ready,
    ProcessEntry supervisor,
    List<CassandraEntry> cassandra,
    List<NodeEntry> nodes,
    Cgroups cgroups,
    String clockDir) {

  public static final int VERSION = 1;

  /** A process: its PID and when that PID's process started (ISO-8601, from the OS). */
  public record ProcessEntry(long pid, String processStart, String log) {}

  /**
   * Where the processes' cgroups are (null if this machine has none for the fabric): each
   * process, named by node id or {@code cassandra-<az>}, is in {@code nftRoot/<name>}, a
   * path relative to /sys/fs/cgroup as nft's {@code socket cgroupv2 level L} match takes it.
   */
  public record Cgroups(String nftRoot, int level) {}

  /** @param dataDir where its data, commit log and hints live (drills wipe it) */
  public record CassandraEntry(String az, String address, int cqlPort, int storagePort,
      long pid, String processStart, String log, String dataDir) {}

  public record NodeEntry(String id, String az, long pid, String processStart, int grpcPort,
      int managementPort, int remotingPort, String log, int restarts) {

    NodeEntry withProcess(long newPid, String newStart, int newRestarts) {
      return new NodeEntry(id, az, newPid, newStart, grpcPort, managementPort, remotingPort,
          log, newRestarts);
    }
  }

  public FabricState {
    cassandra = cassandra == null ? List.of() : List.copyOf(cassandra);
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  public FabricState withReady(boolean isReady) {
    return new FabricState(version, dataDir, host, isReady, supervisor, cassandra, nodes, cgroups,
        clockDir);
  }

  public FabricState withCassandra(List<CassandraEntry> entries) {
    return new FabricState(version, dataDir, host, ready, supervisor, entries, nodes, cgroups,
        clockDir);
  }

  public FabricState withNodes(List<NodeEntry> entries) {
    return new FabricState(version, dataDir, host, ready, supervisor, cassandra, entries, cgroups,
        clockDir);
  }

  /** A copy with the node named {@code id} changed by {@code change}. */
  public FabricState withNode(String id, UnaryOperator<NodeEntry> change) {
    List<NodeEntry> updated = new ArrayList<>();
    for (NodeEntry n : nodes) {
      updated.add(n.id().equals(id) ? change.apply(n) : n);
    }
    return withNodes(updated);
  }
}
