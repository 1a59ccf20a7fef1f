package fabric.drills.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A running multi-process fabric as {@code ./fabric up --processes N} recorded it in
 * {@code <data-dir>/fabric-up.json}: node processes (PID, AZ, ports) and Cassandra nodes. It
 * is re-read on every call, because the supervisor restarts killed nodes under new PIDs.
 */
public final class FabricCluster {
  public static final String STATE_FILE = "fabric-up.json";

  /** A fabric node process. */
  public record Node(String id, String az, long pid, String host, int grpcPort,
      int managementPort, int remotingPort) {
    /** Where other processes reach it: its cluster (remoting) port. */
    public NetworkEndpoint endpoint() {
      return new NetworkEndpoint(id, host, List.of(remotingPort));
    }
  }

  /** A Cassandra node process (one per AZ). */
  public record CassandraNode(String az, long pid, String address, int cqlPort,
      int storagePort, Path dataDir) {
    public String processName() {
      return "cassandra-" + az;
    }

    /** Where fabric nodes (CQL) and the other Cassandra nodes (internode) reach it. */
    public NetworkEndpoint endpoint() {
      return new NetworkEndpoint(processName(), address, List.of(cqlPort, storagePort));
    }
  }

  /**
   * A process's cgroup as nft's {@code socket cgroupv2 level L "path"} takes it (path
   * relative to /sys/fs/cgroup).
   */
  public record Cgroups(String nftRoot, int level) {
    public String pathOf(String processName) {
      return nftRoot + "/" + processName;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path stateFile;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(1)).build();

  public FabricCluster(Path dataDir) {
    this.stateFile = dataDir.resolve(STATE_FILE);
    if (!Files.isRegularFile(stateFile)) {
      throw new IllegalArgumentException("no running fabric recorded in " + stateFile
          + ": start one with ./fabric up --processes 3 --journal cassandra --detach "
          + "--data-dir " + dataDir);
    }
  }

  private JsonNode state() {
    try {
      return JSON.readTree(stateFile.toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + stateFile + ": " + e.getMessage(), e);
    }
  }

  public List<Node> nodes() {
    JsonNode state = state();
    String host = state.path("host").asText("127.0.0.1");
    List<Node> nodes = new ArrayList<>();
    for (JsonNode n : state.path("nodes")) {
      nodes.add(new Node(n.path("id").asText(), n.path("az").asText(), n.path("pid").asLong(),
          host, n.path("grpcPort").asInt(), n.path("managementPort").asInt(),
          n.path("remotingPort").asInt()));
    }
    if (nodes.isEmpty()) {
      throw new IllegalStateException(stateFile + " lists no fabric nodes");
    }
    return nodes;
  }

  public List<CassandraNode> cassandra() {
    List<CassandraNode> out = new ArrayList<>();
    for (JsonNode c : state().path("cassandra")) {
      out.add(new CassandraNode(c.path("az").asText(), c.path("pid").asLong(),
          c.path("address").asText(), c.path("cqlPort").asInt(),
          c.path("storagePort").asInt(7000), Path.of(c.path("dataDir").asText(""))));
    }
    return out;
  }

  /**
   * Asks the supervisor to start the (killed) Cassandra node of {@code az} again and waits
   * for its answer; the request and answer are files in {@code <data-dir>/control}.
   */
  public void restartCassandra(String az, Duration within) throws InterruptedException {
    Path control = stateFile.getParent().resolve("control");
    Path request = control.resolve("restart-cassandra-" + az);
    Path done = control.resolve("restart-cassandra-" + az + ".done");
    try {
      Files.createDirectories(control);
      Files.deleteIfExists(done);
      Files.writeString(request, "restart\n");
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        if (Files.exists(done)) {
          String answer = Files.readString(done).trim();
          Files.deleteIfExists(done);
          if (!answer.startsWith("ok")) {
            throw new IllegalStateException("the supervisor could not restart the Cassandra "
                + "node of " + az + ": " + answer);
          }
          return;
        }
        Thread.sleep(500);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot ask for a Cassandra restart in " + control
          + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException("the supervisor did not restart the Cassandra node of "
        + az + " within " + within.toSeconds() + " s (is it a fabric of this version?)");
  }

  /** The processes' cgroups, or an explanation of why network faults cannot run here. */
  public Cgroups cgroups() {
    JsonNode c = state().path("cgroups");
    if (!c.isObject()) {
      throw new IllegalStateException("the fabric recorded in " + stateFile + " runs without "
          + "per-process cgroups (it needs root and a cgroup v2 mount under /sys/fs/cgroup), "
          + "so its network cannot be cut");
    }
    return new Cgroups(c.path("nftRoot").asText(), c.path("level").asInt());
  }

  /** The clock file of a node started with --clock-control. */
  public Path clockFile(String nodeId) {
    JsonNode dir = state().path("clockDir");
    if (!dir.isTextual()) {
      throw new IllegalStateException("the fabric recorded in " + stateFile + " was started "
          + "without --clock-control, so its clocks cannot be skewed");
    }
    return Path.of(dir.asText()).resolve(nodeId + ".faketime");
  }

  /**
   * The slow-link drill's knob for a node (milliseconds of delay on its inbound link), which
   * the supervisor creates when the fabric runs with --link-control.
   */
  public Path linkDelayFile(String nodeId) {
    Path file = stateFile.getParent().resolve("control").resolve("link-delay-" + nodeId);
    if (!Files.exists(file)) {
      throw new IllegalStateException("the fabric recorded in " + stateFile + " was started "
          + "without --link-control, so its links cannot be slowed (no " + file + ")");
    }
    return file;
  }

  public Node node(String id) {
    return nodes().stream().filter(n -> n.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in " + stateFile));
  }

  /** True if the node's management port says it is a serving cluster member. */
  public boolean isReady(Node node) {
    return get(node, "/ready").map(r -> r.statusCode() == 200).orElse(false);
  }

  /** One follower of a resource as the cluster view reports it. */
  public record Follower(String az, String nodeId, long appliedSeqNr, long lagEvents) {}

  /**
   * The followers of {@code type}/{@code id}, asked from any node that answers; empty if no
   * node answers or the resource has none.
   */
  public List<Follower> followersOf(String type, String id) {
    List<Follower> out = new ArrayList<>();
    resourceInClusterView(type, id).ifPresent(r -> {
      for (JsonNode f : r.path("followers")) {
        out.add(new Follower(f.path("az").asText(), f.path("nodeId").asText(),
            f.path("appliedSeqNr").asLong(), f.path("lagEvents").asLong()));
      }
    });
    return out;
  }

  /** The node that leads {@code type}/{@code id} now, asked from any node that answers. */
  public Optional<String> leaderOf(String type, String id) {
    return resourceInClusterView(type, id).map(r -> r.path("nodeId").asText())
        .filter(nodeId -> !nodeId.isEmpty());
  }

  /**
   * The resource's entry in the {@code /cluster} view of the first node that answers (its
   * leader and followers); empty if no node answers or that view does not list it.
   */
  private Optional<JsonNode> resourceInClusterView(String type, String id) {
    for (Node n : nodes()) {
      Optional<HttpResponse<String>> response = get(n, "/cluster");
      if (response.isEmpty() || response.get().statusCode() != 200) {
        continue;
      }
      try {
        for (JsonNode r : JSON.readTree(response.get().body()).path("leaders")) {
          if (r.path("type").asText().equals(type) && r.path("id").asText().equals(id)) {
            return Optional.of(r);
          }
        }
        return Optional.empty();
      } catch (IOException e) {
        // try the next node
      }
    }
    return Optional.empty();
  }

  /**
   * The leader of {@code type}/{@code id} once two answers 500 ms apart agree (up to 10 s):
   * right after a restarted node rejoins, a rebalance may be moving the resource, and a
   * fault aimed at the node it is leaving would test nothing.
   */
  public Optional<String> stableLeaderOf(String type, String id) throws InterruptedException {
    Optional<String> previous = leaderOf(type, id);
    for (int i = 0; i < 20; i++) {
      Thread.sleep(500);
      Optional<String> now = leaderOf(type, id);
      if (now.isPresent() && now.equals(previous)) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  private Optional<HttpResponse<String>> get(Node node, String path) {
    try {
      return Optional.of(http.send(HttpRequest.newBuilder(
              URI.create("http://" + node.host() + ":" + node.managementPort() + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
