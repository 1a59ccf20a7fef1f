package fabric.node.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ./fabric up --processes N} starts, checked once: N node processes spread over
 * the AZs (node i in AZ i % azs, ports base + i) and one Cassandra node per AZ. Every
 * problem with the arguments is an {@link IllegalArgumentException} whose message names the
 * option, so the CLI can print it as it is.
 */
public record LaunchPlan(
    Path dataDir,
    int processes,
    List<String> azs,
    String host,
    int grpcPort,
    int managementPort,
    int remotingPort,
    String nodeHeap,
    RestartPolicy restart,
    int cassandraPort,
    int cassandraStoragePort,
    boolean clockControl,
    int cassandraDiskMib,
    boolean linkControl) {

  /** libfaketime, from Debian's faketime package: node clocks a drill can skew. */
  public static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

  /** Beyond this the machine runs out of memory long before ports run out. */
  public static final int MAX_PROCESSES = 32;
  /** Enough seeds that any single node restarting finds a running one to join. */
  static final int MAX_SEEDS = 3;

  public enum RestartPolicy {
    ALWAYS, NEVER;

    public static RestartPolicy parse(String value) {
      switch (value) {
        case "always":
          return ALWAYS;
        case "never":
          return NEVER;
        default:
          throw new IllegalArgumentException("--restart must be always or never, got '"
              + value + "'");
      }
    }

    public String cliName() {
      return name().toLowerCase();
    }
  }

  /** One fabric node process. */
  public record NodeSpec(int index, String id, String az, int grpcPort, int managementPort,
      int remotingPort, Path log) {
    public String label() {
      return id + " (" + az + ")";
    }
  }

  /** A plan whose node clocks are the machine's. */
  public LaunchPlan(Path dataDir, int processes, List<String> azs, String host, int grpcPort,
      int managementPort, int remotingPort, String nodeHeap, RestartPolicy restart,
      int cassandraPort, int cassandraStoragePort) {
    this(dataDir, processes, azs, host, grpcPort, managementPort, remotingPort, nodeHeap,
        restart, cassandraPort, cassandraStoragePort, false, 0, false);
  }

  /**
   * With --link-control a node binds its remoting here, above the port it advertises
   * (where the supervisor's {@link LinkDelayProxy} listens).
   */
  public static final int LINK_BIND_PORT_OFFSET = 1_000;

  /** Most MiB a Cassandra node's tmpfs may take (--cassandra-disk-mib): it is RAM. */
  public static final int MAX_CASSANDRA_DISK_MIB = 8_192;
  /** Cassandra alone needs this (commit log segments, system keyspaces) to start. */
  public static final int MIN_CASSANDRA_DISK_MIB = 256;

  public LaunchPlan {
    dataDir = dataDir.toAbsolutePath().normalize();
    azs = List.copyOf(azs);
    if (processes < 1) {
      throw new IllegalArgumentException("--processes must be at least 1, got " + processes);
    }
    if (processes > MAX_PROCESSES) {
      throw new IllegalArgumentException("--processes must be at most " + MAX_PROCESSES
          + " (each node process takes a few hundred MB), got " + processes);
    }
    if (azs.isEmpty()) {
      throw new IllegalArgumentException("--azs needs at least one AZ");
    }
    if (!nodeHeap.matches("[1-9][0-9]*[kKmMgG]")) {
      throw new IllegalArgumentException("--node-heap must be a JVM heap size such as 512m "
          + "or 1g, got '" + nodeHeap + "'");
    }
    checkRange("--grpc-port", grpcPort, processes);
    checkRange("--management-port", managementPort, processes);
    checkRange("--remoting-port", remotingPort, processes);
    checkDisjoint("--grpc-port", grpcPort, "--management-port", managementPort, processes);
    checkDisjoint("--grpc-port", grpcPort, "--remoting-port", remotingPort, processes);
    checkDisjoint("--management-port", managementPort, "--remoting-port", remotingPort,
        processes);
    checkRange("--cassandra-port", cassandraPort, 1);
    checkRange("--cassandra-storage-port", cassandraStoragePort, 1);
    if (cassandraPort == cassandraStoragePort) {
      throw new IllegalArgumentException("--cassandra-port and --cassandra-storage-port must "
          + "differ, both are " + cassandraPort);
    }
    if (linkControl) {
      checkRange("--remoting-port (+" + LINK_BIND_PORT_OFFSET + " with --link-control)",
          remotingPort + LINK_BIND_PORT_OFFSET, processes);
      checkDisjoint("--grpc-port", grpcPort, "the remoting bind ports of --link-control",
          remotingPort + LINK_BIND_PORT_OFFSET, processes);
      checkDisjoint("--management-port", managementPort,
          "the remoting bind ports of --link-control", remotingPort + LINK_BIND_PORT_OFFSET,
          processes);
    }
    if (cassandraDiskMib != 0 && (cassandraDiskMib < MIN_CASSANDRA_DISK_MIB
        || cassandraDiskMib > MAX_CASSANDRA_DISK_MIB)) {
      throw new IllegalArgumentException("--cassandra-disk-mib must be 0 (no limit) or "
          + MIN_CASSANDRA_DISK_MIB + ".." + MAX_CASSANDRA_DISK_MIB + ", got "
          + cassandraDiskMib);
    }
    if (clockControl && !Files.isReadable(LIBFAKETIME)) {
      throw new IllegalArgumentException("--clock-control needs libfaketime at " + LIBFAKETIME
          + ": apt-get install faketime");
    }
  }

  private static void checkRange(String option, int base, int count) {
    if (base < 1 || base + count - 1 > 65535) {
      throw new IllegalArgumentException(count == 1
          ? option + " must be a port in 1..65535, got " + base
          : option + " " + base + " with " + count + " processes needs ports " + base + ".."
              + (base + count - 1) + ", beyond 1..65535");
    }
  }

  private static void checkDisjoint(String a, int baseA, String b, int baseB, int count) {
    if (baseA < baseB + count && baseB < baseA + count) {
      throw new IllegalArgumentException("the ports of " + a + " (" + baseA + ".."
          + (baseA + count - 1) + ") and " + b + " (" + baseB + ".." + (baseB + count - 1)
          + ") overlap: each node process needs one of each");
    }
  }

  public String region() {
    String az = azs.get(0);
    return az.substring(0, az.length() - 1);
  }

  public Path stateFile() {
    return dataDir.resolve(StateFile.NAME);
  }

  public Path logsDir() {
    return dataDir.resolve("logs");
  }

  public Path cassandraDir() {
    return dataDir.resolve("cassandra");
  }

  /** Requests from drills to the supervisor, e.g. to restart an AZ's Cassandra node. */
  /** Where the node binds its remoting: its advertised port, or above it with a proxy. */
  public int remotingBindPort(NodeSpec node) {
    return linkControl ? node.remotingPort() + LINK_BIND_PORT_OFFSET : node.remotingPort();
  }

  /** The slow-link drill's knob for a node: milliseconds of delay on its inbound link. */
  public Path linkDelayFile(String nodeId) {
    return controlDir().resolve("link-delay-" + nodeId);
  }

  public Path controlDir() {
    return dataDir.resolve("control");
  }

  /** With --clock-control: {@code <node-id>.faketime}, the offset of that node's clock. */
  public Path clockDir() {
    return dataDir.resolve("clock");
  }

  public Path supervisorLog() {
    return logsDir().resolve("supervisor.log");
  }

  /** Node i lives in AZ i % azs, with ports base + i; ids count from node-1. */
  public List<NodeSpec> nodes() {
    List<NodeSpec> nodes = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      String id = "node-" + (i + 1);
      nodes.add(new NodeSpec(i, id, azs.get(i % azs.size()), grpcPort + i, managementPort + i,
          remotingPort + i, logsDir().resolve(id + ".log")));
    }
    return nodes;
  }

  /** host:port of the seed nodes: the first up to three nodes, node-1 first. */
  public List<String> seedNodes() {
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < Math.min(MAX_SEEDS, processes); i++) {
      seeds.add(host + ":" + (remotingPort + i));
    }
    return seeds;
  }

  /**
   * The seed list for one start of a node. Pekko lets only the first seed of the list form a
   * new cluster by joining itself when no other seed answers within seed-node-timeout. That
   * is right when the fabric starts, but a restarted node-1 whose peers happen to answer
   * slowly would form a second cluster beside the running one. So while another node is
   * running, a restarting node puts itself last: it can then only join the running cluster.
   */
  public List<String> seedsFor(NodeSpec node, boolean clusterRunning) {
    List<String> seeds = new ArrayList<>(seedNodes());
    String self = host + ":" + node.remotingPort();
    if (clusterRunning && seeds.size() > 1 && seeds.remove(self)) {
      seeds.add(self);
    }
    return seeds;
  }

  /** The arguments of {@code ./fabric up} that give this plan again (for --detach). */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>(List.of("up",
        "--processes", Integer.toString(processes),
        "--journal", "cassandra",
        "--data-dir", dataDir.toString(),
        "--azs", String.join(",", azs),
        "--host", host,
        "--grpc-port", Integer.toString(grpcPort),
        "--management-port", Integer.toString(managementPort),
        "--remoting-port", Integer.toString(remotingPort),
        "--node-heap", nodeHeap,
        "--restart", restart.cliName(),
        "--cassandra-port", Integer.toString(cassandraPort),
        "--cassandra-storage-port", Integer.toString(cassandraStoragePort)));
    if (clockControl) {
      args.add("--clock-control");
    }
    if (cassandraDiskMib > 0) {
      args.add("--cassandra-disk-mib");
      args.add(Integer.toString(cassandraDiskMib));
    }
    if (linkControl) {
      args.add("--link-control");
    }
    return args;
  }
}
