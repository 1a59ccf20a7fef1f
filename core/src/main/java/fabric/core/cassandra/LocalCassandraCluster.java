package fabric.core.cassandra;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A real N-node Cassandra cluster on this machine, one node per simulated AZ, for the
 * fabric's multi-AZ mode. Node i listens on 127.0.0.(i+1) and forms its own data center named
 * after its AZ (GossipingPropertyFileSnitch, rack "rack1"), so a keyspace created with
 * {@link #replicationOnePerAz()} holds one replica per AZ and QUORUM means a majority of AZs.
 *
 * <p>Why one DC per AZ rather than racks in one DC: a keyspace can then also live in a single
 * AZ (e.g. ONEZONE_IA-like storage), and losing an AZ is literally losing a data center.
 *
 * <pre>{@code
 * try (var cluster = LocalCassandraCluster.start(root, List.of("us-east-1a", "us-east-1b", "us-east-1c"))) {
 *   cluster.node(2).kill();      // AZ us-east-1c down
 *   cluster.restart(2);          // back on the same data, waits until everyone sees it UN
 * }
 * }</pre>
 */
public final class LocalCassandraCluster implements AutoCloseable {

  private final List<String> azs;
  private final List<LocalCassandra> nodes;
  private final Duration timeout;
  private Duration startupTime;

  private LocalCassandraCluster(List<String> azs, List<LocalCassandra> nodes, Duration timeout) {
    this.azs = azs;
    this.nodes = nodes;
    this.timeout = timeout;
  }

  /** Starts one node per AZ under {@code root} with the defaults of {@link Builder}. */
  public static LocalCassandraCluster start(Path root, List<String> azs) {
    return builder(root).azs(azs).start();
  }

  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /**
   * Launches every node at once, then waits for all of them. Launching together is only safe
   * because the cluster is brand-new and empty: LocalCassandra passes auto_bootstrap=false and
   * skips the gossip settle wait (with bootstrap on, concurrent joins are refused because of
   * consistent range movement; one after another takes ~110 s instead of ~15 s).
   */
  private LocalCassandraCluster startAll() {
    long t0 = System.nanoTime();
    try {
      for (LocalCassandra node : nodes) {
        node.launch();
      }
      for (LocalCassandra node : nodes) {
        node.awaitReady(); // each node's own deadline counts from its launch
      }
      awaitAllUp(remaining(t0));
    } catch (RuntimeException e) {
      killAll(); // the caller gets no handle, so nothing may be left running
      throw e;
    }
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
    return this;
  }

  /**
   * Waits until every running node reports every running node as UN (Up/Normal) in the data
   * center of its AZ. "Ready" (CQL port open) is not enough: a node serves CQL before gossip
   * has told it about its peers, and a QUORUM write sent then fails as Unavailable. The DC
   * check also catches a rackdc file that was not read (the node would be in UNKNOWN_DC).
   * Nodes that are not running (killed on purpose) are left out on both sides.
   */
  public void awaitAllUp(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).isRunning()) {
        pending.add(i);
      }
    }
    String lastProblem = "";
    while (!pending.isEmpty()) {
      int i = pending.get(0);
      try {
        String status = NodeTool.run(nodes.get(i), Duration.ofSeconds(60), "status");
        lastProblem = missingPeers(status);
        if (lastProblem.isEmpty()) {
          pending.remove(0);
          continue;
        }
      } catch (RuntimeException e) {
        // JMX comes up a little after CQL, and nodetool fails while a peer is joining.
        lastProblem = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node " + i + " (" + azs.get(i) + ") does not see all "
            + "running nodes as UN within " + within.toSeconds() + " s: " + lastProblem
            + " (logs: " + nodes.get(i).logFile() + ")");
      }
      sleep(1000);
    }
  }

  /** Empty if the nodetool status output shows every running node UN in its AZ's DC. */
  String missingPeers(String nodetoolStatus) {
    List<String> problems = new ArrayList<>();
    for (int j = 0; j < nodes.size(); j++) {
      if (!nodes.get(j).isRunning()) {
        continue;
      }
      String expected = azs.get(j) + " UN " + address(j);
      if (!NodeToolStatus.parse(nodetoolStatus).contains(expected)) {
        problems.add(address(j) + " not UN in " + azs.get(j));
      }
    }
    return String.join(", ", problems);
  }

  /**
   * Starts a killed or closed node again on the same data and ports and waits until every
   * running node sees it UN again. It rejoins as a known member (its tokens and host id are in
   * its own system tables), so auto_bootstrap=false is harmless here.
   */
  /** Where node {@code i} (in {@code az}) of a cluster under {@code root} keeps its data. */
  public static java.nio.file.Path nodeDir(java.nio.file.Path root, int i, String az) {
    return root.resolve("node" + (i + 1) + "-" + az);
  }

  public void restart(int i) {
    node(i).start();
    awaitAllUp(timeout);
  }

  /** The driver's contact points, one per node (each node's own address and CQL port). */
  public List<InetSocketAddress> contactPoints() {
    return nodes.stream().map(LocalCassandra::contactPoint).collect(Collectors.toList());
  }

  /** The data center of node {@code i}: its AZ name, e.g. "us-east-1a". */
  public String datacenterOf(int i) {
    return azs.get(i);
  }

  public LocalCassandra node(int i) {
    return nodes.get(i);
  }

  public int size() {
    return nodes.size();
  }

  public List<String> azs() {
    return azs;
  }

  /**
   * The CQL replication map for one replica per AZ, e.g.
   * {@code {'class':'NetworkTopologyStrategy','us-east-1a':1,'us-east-1b':1,'us-east-1c':1}}.
   */
  public String replicationOnePerAz() {
    return azs.stream().map(az -> "'" + az + "':1")
        .collect(Collectors.joining(",", "{'class':'NetworkTopologyStrategy',", "}"));
  }

  /** Launch-to-everyone-UN time of the initial start. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Resident memory of node i's JVM in KiB, from /proc (Linux); empty if unknown. */
  public OptionalLong rssKib(int i) {
    OptionalLong pid = node(i).pid();
    if (pid.isEmpty() || !node(i).isRunning()) {
      return OptionalLong.empty();
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid.getAsLong() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (Exception e) {
      // not Linux, or the process just ended: memory is diagnostic only
    }
    return OptionalLong.empty();
  }

  /**
   * Stops every node by its PID (SIGTERM, SIGKILL after 30 s), all in parallel: a graceful
   * stop takes ~14 s per node, so one after another would take three times as long.
   */
  @Override
  public void close() {
    CompletableFuture.allOf(nodes.stream()
        .map(n -> CompletableFuture.runAsync(n::close))
        .toArray(CompletableFuture[]::new)).join();
  }

  private void killAll() {
    for (LocalCassandra node : nodes) {
      node.kill();
    }
  }

  private Duration remaining(long t0) {
    long left = timeout.toNanos() - (System.nanoTime() - t0);
    return Duration.ofNanos(Math.max(left, 0));
  }

  private String address(int i) {
    return nodes.get(i).config().listenAddress();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the cluster", e);
    }
  }

  /** Defaults suit three nodes plus the app on a 2-core machine with a few GB free. */
  public static final class Builder {
    private final Path root;
    private List<String> azs = List.of("us-east-1a", "us-east-1b", "us-east-1c");
    private Path libDir;
    private String clusterName = "fabric-multi-az";
    private int nativePort = 9042;
    private int storagePort = 7000;
    private String initialHeap = "256m";
    private String maxHeap = "512m";
    private Duration timeout = Duration.ofSeconds(180);
    private Function<String, List<String>> launchPrefixByAz = az -> List.of();

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root").toAbsolutePath();
    }

    /** One node per AZ, in this order; node i gets 127.0.0.(i+1) and DC = azs.get(i). */
    public Builder azs(List<String> azs) {
      if (azs.isEmpty() || azs.size() > 254) {
        throw new IllegalArgumentException("need 1..254 AZs, got " + azs.size());
      }
      this.azs = List.copyOf(azs);
      return this;
    }

    public Builder libDir(Path dir) { this.libDir = dir; return this; }
    public Builder clusterName(String name) { this.clusterName = name; return this; }

    /**
     * CQL port of every node (default 9042: the addresses differ, so they do not clash);
     * 0 picks a free port per node, e.g. when another cluster may run on this machine.
     */
    public Builder nativePort(int port) { this.nativePort = port; return this; }

    /** Internode port (default 7000); 0 picks a free one per node (fine since Cassandra 4). */
    public Builder storagePort(int port) { this.storagePort = port; return this; }

    public Builder heap(String initial, String max) {
      this.initialHeap = initial;
      this.maxHeap = max;
      return this;
    }

    /** For start-up and for {@link LocalCassandraCluster#restart}; default 180 s. */
    public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

    /** Per AZ, the {@link CassandraNodeConfig.Builder#launchPrefix} of its node. */
    public Builder launchPrefix(Function<String, List<String>> byAz) {
      this.launchPrefixByAz = Objects.requireNonNull(byAz);
      return this;
    }

    public LocalCassandraCluster start() {
      List<CassandraNodeConfig> configs = new ArrayList<>();
      String seeds = null;
      int[] jmxPorts = new int[azs.size()];
      for (int i = 0; i < jmxPorts.length; i++) {
        jmxPorts[i] = CassandraNodeConfig.freePort(NodeTool.JMX_HOST,
            Arrays.copyOf(jmxPorts, i));
      }
      for (int i = 0; i < azs.size(); i++) {
        CassandraNodeConfig c = CassandraNodeConfig.builder()
            .dataDir(nodeDir(root, i, azs.get(i)))
            .libDir(libDir)
            .clusterName(clusterName)
            .listenAddress("127.0.0." + (i + 1))
            .nativePort(nativePort)
            .storagePort(storagePort)
            // nodetool needs JMX to check that the nodes see each other. Local JMX binds
            // 127.0.0.1 whatever the listen address, so the ports are chosen there, distinct.
            .jmxPort(jmxPorts[i])
            // The first node seeds everyone (itself included); with one seed there is no
            // risk of two halves forming separate clusters.
            .seeds(seeds)
            .datacenter(azs.get(i))
            .rack("rack1")
            .heap(initialHeap, maxHeap)
            .startupTimeout(timeout)
            .launchPrefix(launchPrefixByAz.apply(azs.get(i)))
            .build();
        if (i == 0) {
          seeds = c.seeds(); // unset for node 1, so it seeds itself: its own address:port
        }
        configs.add(c);
      }
      List<LocalCassandra> nodes = configs.stream().map(LocalCassandra::new)
          .collect(Collectors.toList());
      return new LocalCassandraCluster(azs, List.copyOf(nodes), timeout).startAll();
    }
  }
}
