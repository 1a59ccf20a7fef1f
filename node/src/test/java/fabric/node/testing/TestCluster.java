package fabric.node.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import fabric.node.FabricNode;
import fabric.node.management.ClusterView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Real fabric nodes in this JVM, one per AZ, on free loopback ports: a real Pekko cluster
 * with a real journal and real gRPC servers. Nodes can be stopped gracefully or crashed.
 */
public final class TestCluster implements AutoCloseable {
  public static final List<String> AZS = List.of("us-east-1a", "us-east-1b", "us-east-1c");

  private final Path dataDir;
  private final Map<String, Object> extra;
  private final java.time.Clock clock;
  private final List<FabricNode> nodes = new ArrayList<>();
  private final List<Boolean> alive = new ArrayList<>();
  /** Each node's remoting, gRPC and management ports: a restarted node gets its own back. */
  private final List<int[]> ports = new ArrayList<>();
  private final int seedPort;

  private TestCluster(Path dataDir, Map<String, Object> extra, java.time.Clock clock) {
    this.dataDir = dataDir;
    this.extra = extra;
    this.clock = clock;
    this.seedPort = FreePorts.next();
  }

  /** Starts one node per AZ and waits until all are Up. */
  public static TestCluster start(Path dataDir, Map<String, Object> extraConfig) throws Exception {
    return start(dataDir, extraConfig, java.time.Clock.systemUTC());
  }

  /** As {@link #start(Path, Map)}, every node reading {@code clock} as its wall clock (see
   *  {@link FabricNode#start(Config, java.time.Clock)}): a test moves time with it. */
  public static TestCluster start(Path dataDir, Map<String, Object> extraConfig,
      java.time.Clock clock) throws Exception {
    TestCluster cluster = new TestCluster(dataDir, extraConfig, clock);
    try {
      for (int i = 0; i < AZS.size(); i++) {
        cluster.ports.add(new int[] {i == 0 ? cluster.seedPort : FreePorts.next(),
            FreePorts.next(), FreePorts.next()});
        cluster.nodes.add(FabricNode.start(cluster.config(i,
            List.of("127.0.0.1:" + cluster.seedPort)), clock));
        cluster.alive.add(true);
      }
      cluster.awaitUp(Duration.ofSeconds(60));
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public static TestCluster start(Path dataDir) throws Exception {
    return start(dataDir, Map.of());
  }

  private Config config(int i, List<String> seeds) {
    Config c = ConfigFactory.empty()
        .withValue("fabric.node.id", ConfigValueFactory.fromAnyRef("node-" + (i + 1)))
        .withValue("fabric.region", ConfigValueFactory.fromAnyRef("us-east-1"))
        .withValue("fabric.az", ConfigValueFactory.fromAnyRef(AZS.get(i)))
        .withValue("fabric.node.remoting-port", ConfigValueFactory.fromAnyRef(ports.get(i)[0]))
        .withValue("fabric.node.seed-nodes", ConfigValueFactory.fromIterable(seeds))
        .withValue("fabric.node.grpc-port", ConfigValueFactory.fromAnyRef(ports.get(i)[1]))
        .withValue("fabric.node.management-port", ConfigValueFactory.fromAnyRef(ports.get(i)[2]))
        .withValue("fabric.node.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()));
    for (var e : extra.entrySet()) {
      c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return c.withFallback(ConfigFactory.load());
  }

  private void awaitUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!java.util.stream.IntStream.range(0, nodes.size())
        .allMatch(i -> !alive.get(i) || nodes.get(i).isReady())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("cluster did not form within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  public FabricNode node(int i) {
    return nodes.get(i);
  }

  public int size() {
    return nodes.size();
  }

  public S3TestClient client(int i, String account) {
    return new S3TestClient("127.0.0.1", nodes.get(i).grpcPort(), account);
  }

  public SqsTestClient sqsClient(int i, String account) {
    return new SqsTestClient("127.0.0.1", nodes.get(i).grpcPort(), account);
  }

  /** The index of the node whose shard region hosts the entity now, asked via node {@code via}. */
  public Optional<Integer> leaderOf(int via, String type, String id) throws Exception {
    ClusterView view = new ClusterView(nodes.get(via).system(), List.of(type), Duration.ofSeconds(3));
    ClusterView.Snapshot snapshot = view.snapshot().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return snapshot.leaders().stream()
        .filter(l -> l.type().equals(type) && l.id().equals(id) && !l.nodeId().isEmpty())
        .findFirst()
        .map(l -> Integer.parseInt(l.nodeId().substring("node-".length())) - 1);
  }

  /** Kills node i without a graceful leave (see {@link FabricNode#crash()}). */
  public void crash(int i) {
    nodes.get(i).crash();
    alive.set(i, false);
  }

  public void stop(int i) {
    nodes.get(i).stop();
    alive.set(i, false);
  }

  /**
   * Starts node i again (after {@link #stop} or {@link #crash}) on its ports, joining through
   * the nodes alive (node 0's own address would make a restarted node 0 a cluster of its
   * own), and waits until it is ready.
   */
  public void restart(int i) throws Exception {
    if (alive.get(i)) {
      throw new IllegalStateException("node " + i + " is running");
    }
    List<String> seeds = new ArrayList<>();
    for (int j = 0; j < nodes.size(); j++) {
      if (alive.get(j)) {
        seeds.add("127.0.0.1:" + ports.get(j)[0]);
      }
    }
    nodes.set(i, FabricNode.start(config(i, seeds), clock));
    alive.set(i, true);
    awaitUp(Duration.ofSeconds(60));
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (alive.get(i)) {
        stop(i);
      }
    }
  }
}
