package fabric.node;

import com.typesafe.config.Config;
import fabric.core.topology.NodeLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a node is started with, read once from {@code fabric.*} (defaults in the
 * reference.conf of node, core and shards-storage).
 */
public record NodeSettings(
    NodeLocation location,
    String host,
    int remotingPort,
    List<String> seedNodes,
    int grpcPort,
    int managementPort,
    Path dataDir,
    Journal journal,
    CassandraSettings cassandra,
    Duration acceptableHeartbeatPause,
    Duration stableAfter,
    Duration askTimeout,
    boolean exitJvmWhenDown) {

  public enum Journal { EMBEDDED, CASSANDRA }

  public record CassandraSettings(
      List<String> contactPoints, String localDatacenter, String keyspace, String replication) {}

  public static NodeSettings from(Config config) {
    Config n = config.getConfig("fabric.node");
    return new NodeSettings(
        new NodeLocation(n.getString("id"), config.getString("fabric.region"),
            config.getString("fabric.az")),
        n.getString("host"),
        n.getInt("remoting-port"),
        n.getStringList("seed-nodes"),
        n.getInt("grpc-port"),
        n.getInt("management-port"),
        Path.of(n.getString("data-dir")).toAbsolutePath().normalize(),
        parseJournal(n.getString("journal")),
        new CassandraSettings(
            n.getStringList("cassandra.contact-points"),
            n.getString("cassandra.local-datacenter"),
            n.getString("cassandra.keyspace"),
            n.getString("cassandra.replication")),
        n.getDuration("failure-detector.acceptable-heartbeat-pause"),
        n.getDuration("split-brain-resolver.stable-after"),
        config.getDuration("fabric.entity.ask-timeout"),
        n.getBoolean("exit-jvm-when-down"));
  }

  static Journal parseJournal(String value) {
    return switch (value) {
      case "embedded" -> Journal.EMBEDDED;
      case "cassandra" -> Journal.CASSANDRA;
      default -> throw new IllegalArgumentException(
          "fabric.node.journal must be 'embedded' or 'cassandra', got '" + value + "'");
    };
  }
}
