package fabric.node.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import fabric.node.FabricNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import java.util.concurrent.CountDownLatch;
import fabric.node.launcher.Detach;
import fabric.node.launcher.LaunchPlan;
import fabric.node.launcher.MultiProcessFabric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./fabric up}: the embedded default, one node per AZ in this JVM. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Starts the fabric on this machine: one JVM, one node per simulated AZ, each with",
        "its own gRPC port (the first on --grpc-port, the next ones counting up), sharing",
        "one journal and blob store under --data-dir. Ctrl-C stops it cleanly; starting it",
        "again on the same --data-dir finds every bucket and object again.",
        "",
        "With --processes N --journal cassandra: a real Cassandra cluster (one node and data",
        "center per AZ on 127.0.0.1, .2, ...) under <data-dir>/cassandra, and N node",
        "processes spread over the AZs, restarted when they exit; PIDs and ports in",
        "<data-dir>/fabric-up.json, logs in <data-dir>/logs. ./fabric down stops it."})
final class UpCommand implements Callable<Integer> {
  @Option(names = "--data-dir", defaultValue = "./data",
      description = "Where the journal and object bytes live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--grpc-port", defaultValue = "50051",
      description = "gRPC port of the first node; node i listens on port + i "
          + "(default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(names = "--management-port", defaultValue = "8558",
      description = "Management HTTP port of the first node (/ready, /alive, /cluster); "
          + "node i on port + i (default: ${DEFAULT-VALUE}).")
  int managementPort;

  @Option(names = "--remoting-port", defaultValue = "2551",
      description = "Cluster port of the first node; node i on port + i (default: ${DEFAULT-VALUE}).")
  int remotingPort;

  @Option(names = "--azs", defaultValue = "us-east-1a,us-east-1b,us-east-1c",
      description = "Comma-separated simulated AZs of one region, one node each "
          + "(default: ${DEFAULT-VALUE}).")
  String azs;

  @Option(names = "--journal", defaultValue = "embedded",
      description = "embedded (H2 file journal, blobs on disk) or cassandra "
          + "(default: ${DEFAULT-VALUE}).")
  String journal;

  @Option(names = "--cassandra", defaultValue = "127.0.0.1:9042",
      description = "Cassandra contact points host:port[,host:port] for --journal cassandra "
          + "(default: ${DEFAULT-VALUE}).")
  String cassandra;

  @Option(names = "--cassandra-dc", defaultValue = "dc1",
      description = "Cassandra local data center (default: ${DEFAULT-VALUE}).")
  String cassandraDc;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address every port binds to (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--processes", paramLabel = "N",
      description = "Run N node processes (spread over the AZs) on a Cassandra cluster this "
          + "command starts, instead of one JVM; needs --journal cassandra.")
  Integer processes;

  @Option(names = "--node-heap", defaultValue = "512m",
      description = "With --processes: maximum heap of each node process "
          + "(default: ${DEFAULT-VALUE}).")
  String nodeHeap;

  @Option(names = "--restart", defaultValue = "always",
      description = "With --processes: always (a node process that exits is started again, "
          + "as Kubernetes would) or never (default: ${DEFAULT-VALUE}).")
  String restart;

  @Option(names = "--cassandra-port", defaultValue = "9042",
      description = "With --processes: CQL port of every Cassandra node, each on its own "
          + "address (default: ${DEFAULT-VALUE}).")
  int cassandraPort;

  @Option(names = "--cassandra-storage-port", defaultValue = "7000",
      description = "With --processes: Cassandra's internode port (default: ${DEFAULT-VALUE}).")
  int cassandraStoragePort;

  @Option(names = "--clock-control",
      description = "With --processes: run each node under libfaketime, so that drills can "
          + "skew one node's wall clock (<data-dir>/clock/<node-id>.faketime).")
  boolean clockControl;

  @Option(names = "--cassandra-disk-mib", defaultValue = "0",
      description = "With --processes: give each Cassandra node a disk of this many MiB of its "
          + "own (a tmpfs, needs root), so that the disk-full drill can fill one; 0 = the "
          + "data dir's disk (default).")
  int cassandraDiskMib;

  @Option(names = "--link-control",
      description = "With --processes: every node's inbound remoting link passes a proxy of "
          + "the supervisor that the slow-link drill can delay "
          + "(<data-dir>/control/link-delay-<node-id>, milliseconds).")
  boolean linkControl;

  @Option(names = "--detach",
      description = "With --processes: return once the fabric is ready and keep it running in "
          + "the background (log: <data-dir>/logs/supervisor.log); ./fabric down stops it.")
  boolean detach;

  /** Set on the supervisor that --detach starts: it ignores SIGHUP. */
  @Option(names = Detach.BACKGROUND_FLAG, hidden = true)
  boolean background;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<String> zones;
    LaunchPlan plan;
    try {
      zones = Azs.parse(azs);
      if (!journal.equals("embedded") && !journal.equals("cassandra")) {
        throw new IllegalArgumentException("--journal must be embedded or cassandra, got '"
            + journal + "'");
      }
      plan = processes == null ? singleJvmOnly() : plan(zones);
    } catch (IllegalArgumentException e) {
      System.err.println("fabric up: " + e.getMessage());
      return 2;
    }
    if (plan != null) {
      return detach ? Detach.start(plan) : MultiProcessFabric.run(plan, background);
    }
    String seed = host + ":" + remotingPort;
    List<FabricNode> nodes = new ArrayList<>();
    for (int i = 0; i < zones.size(); i++) {
      nodes.add(FabricNode.start(nodeConfig(i, zones.get(i), seed)));
    }
    awaitReady(nodes);
    System.out.println();
    for (FabricNode n : nodes) {
      System.out.printf("  node %-7s az %-12s gRPC %s:%d   management http://%s:%d/cluster%n",
          n.settings().location().nodeId(), n.settings().location().az(), host, n.grpcPort(),
          host, n.settings().managementPort());
    }
    System.out.printf("fabric is ready: %d nodes in %s, %s journal under %s (Ctrl-C stops)%n",
        nodes.size(), String.join(",", zones), journal, dataDir.toAbsolutePath().normalize());
    stopInOrderOnShutdown(nodes);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      nodes.forEach(n -> n.system().getWhenTerminated().toCompletableFuture().join());
      System.out.println("fabric stopped");
      stopped.countDown();
    }, "fabric-stopped"));
    stopped.await();
    return 0;
  }

  /**
   * On Ctrl-C or SIGTERM, Pekko runs every node's CoordinatedShutdown at once (its JVM hook
   * must stay on: Artery's own hook cuts remoting immediately unless it can wait for it).
   * Each node waits in its first phase until the nodes started after it have left, so the
   * nodes leave one by one, last first, each handing its shards to nodes still running.
   */
  private static void stopInOrderOnShutdown(List<FabricNode> nodes) {
    for (int i = 0; i < nodes.size() - 1; i++) {
      List<FabricNode> later = nodes.subList(i + 1, nodes.size());
      CoordinatedShutdown.get(nodes.get(i).system()).addTask(
          CoordinatedShutdown.PhaseBeforeServiceUnbind(), "wait-for-later-nodes",
          () -> CompletableFuture.allOf(later.stream()
                  .map(n -> n.system().getWhenTerminated().toCompletableFuture())
                  .toArray(CompletableFuture[]::new))
              .thenApply(x -> Done.getInstance()));
    }
  }

  private static final List<String> PROCESSES_ONLY = List.of("--node-heap", "--restart",
      "--cassandra-port", "--cassandra-storage-port", "--clock-control",
      "--cassandra-disk-mib", "--link-control", "--detach",
      Detach.BACKGROUND_FLAG);

  /** Without --processes: refuses the options that only mean something with it. */
  private LaunchPlan singleJvmOnly() {
    for (String option : PROCESSES_ONLY) {
      if (given(option)) {
        throw new IllegalArgumentException(option + " needs --processes N");
      }
    }
    return null;
  }

  LaunchPlan plan(List<String> zones) {
    LaunchPlan plan = new LaunchPlan(dataDir, processes, zones, host, grpcPort, managementPort,
        remotingPort, nodeHeap, LaunchPlan.RestartPolicy.parse(restart), cassandraPort,
        cassandraStoragePort, clockControl, cassandraDiskMib, linkControl);
    if (!journal.equals("cassandra")) {
      throw new IllegalArgumentException("--processes needs --journal cassandra: node "
          + "processes cannot share the embedded journal's H2 files");
    }
    for (String option : List.of("--cassandra", "--cassandra-dc")) {
      if (given(option)) {
        throw new IllegalArgumentException(option + " does not apply with --processes: "
            + "the fabric starts its own Cassandra, one node per AZ (see --cassandra-port)");
      }
    }
    return plan;
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private Config nodeConfig(int i, String az, String seed) {
    return ConfigFactory.empty()
        .withValue("fabric.node.id", ConfigValueFactory.fromAnyRef("node-" + (i + 1)))
        .withValue("fabric.region", ConfigValueFactory.fromAnyRef(Azs.regionOf(az)))
        .withValue("fabric.az", ConfigValueFactory.fromAnyRef(az))
        .withValue("fabric.node.host", ConfigValueFactory.fromAnyRef(host))
        .withValue("fabric.node.remoting-port", ConfigValueFactory.fromAnyRef(remotingPort + i))
        .withValue("fabric.node.seed-nodes", ConfigValueFactory.fromIterable(List.of(seed)))
        .withValue("fabric.node.grpc-port", ConfigValueFactory.fromAnyRef(grpcPort + i))
        .withValue("fabric.node.management-port",
            ConfigValueFactory.fromAnyRef(managementPort + i))
        .withValue("fabric.node.data-dir",
            ConfigValueFactory.fromAnyRef(dataDir.toAbsolutePath().normalize().toString()))
        .withValue("fabric.node.journal", ConfigValueFactory.fromAnyRef(journal))
        // Node i waits for the nodes after it (stopInOrderOnShutdown): ~10 s per node.
        .withValue("pekko.coordinated-shutdown.phases.before-service-unbind.timeout",
            ConfigValueFactory.fromAnyRef("60s"))
        .withValue("fabric.node.cassandra.contact-points",
            ConfigValueFactory.fromIterable(List.of(cassandra.split(","))))
        .withValue("fabric.node.cassandra.local-datacenter",
            ConfigValueFactory.fromAnyRef(cassandraDc))
        .withFallback(ConfigFactory.load());
  }

  private static void awaitReady(List<FabricNode> nodes) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!nodes.stream().allMatch(FabricNode::isReady)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the nodes did not form a cluster within 60 s");
      }
      Thread.sleep(100);
    }
  }
}
