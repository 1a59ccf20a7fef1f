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
  private final List<FabricNode> nodes = new ArrayList<>();
  private final List<Boolean> alive = new ArrayList<>();
  private final int seedPort;

  private TestCluster(Path dataDir, Map<String, Object> extra) {
    this.dataDir = dataDir;
    this.extra = extra;
    this.seedPort = FreePorts.next();
  }

  /** Starts one node per AZ and waits until all are Up. */
  public static TestCluster start(Path dataDir, Map<String, Object> extraConfig) throws Exception {
    TestCluster cluster = new TestCluster(dataDir, extraConfig);
    try {
      for (int i = 0; i < AZS.size(); i++) {
        cluster.nodes.add(FabricNode.start(cluster.config(i)));
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

  private Config config(int i) {
    Config c = ConfigFactory.empty()
        .withValue("fabric.node.id", ConfigValueFactory.fromAnyRef("node-" + (i + 1)))
        .withValue("fabric.region", ConfigValueFactory.fromAnyRef("us-east-1"))
        .withValue("fabric.az", ConfigValueFactory.fromAnyRef(AZS.get(i)))
        .withValue("fabric.node.remoting-port",
            ConfigValueFactory.fromAnyRef(i == 0 ? seedPort : FreePorts.next()))
        .withValue("fabric.node.seed-nodes",
            ConfigValueFactory.fromIterable(List.of("127.0.0.1:" + seedPort)))
        .withValue("fabric.node.grpc-port", ConfigValueFactory.fromAnyRef(FreePorts.next()))
        .withValue("fabric.node.management-port", ConfigValueFactory.fromAnyRef(FreePorts.next()))
        .withValue("fabric.node.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()));
    for (var e : extra.entrySet()) {
      c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return c.withFallback(ConfigFactory.load());
  }

  private void awaitUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!nodes.stream().allMatch(FabricNode::isReady)) {
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

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (alive.get(i)) {
        stop(i);
      }
    }
  }
}
