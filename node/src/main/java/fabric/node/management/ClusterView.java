package fabric.node.management;

import fabric.core.replication.FollowerStatus;
import fabric.core.replication.ReplicationStatusReporter;
import fabric.core.topology.AzRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.RootActorPath;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;

/**
 * What the management port shows: the members with their AZ and state, which node leads
 * each live resource (asked from every node's shard region), and how far each resource's
 * followers lag (asked from every node's {@link ReplicationStatusReporter}).
 */
public final class ClusterView {
  public static final String NODE_ROLE_PREFIX = "node:";
  public static final String GRPC_PORT_ROLE_PREFIX = "grpc-port:";
  public static final String MANAGEMENT_PORT_ROLE_PREFIX = "management-port:";
  public static final String PID_ROLE_PREFIX = "pid:";

  /** One member; ports and PID are 0 when the member did not announce them. */
  public record NodeInfo(String nodeId, String address, String az, String status,
      boolean reachable, long pid, int grpcPort, int managementPort) {}

  /**
   * One live resource and its followers. A resource whose leader is not running (passivated
   * or moving) but has followers shows {@code nodeId} and {@code az} as empty.
   */
  public record ResourceLeader(String type, String id, String nodeId, String az,
      List<FollowerLag> followers) {}

  /** @param lagEvents events the leader announced that this follower has not applied */
  public record FollowerLag(String az, String nodeId, long appliedSeqNr, long lagEvents,
      long lastApplyDelayMillis) {}

  public record Snapshot(String self, List<NodeInfo> nodes, List<ResourceLeader> leaders) {}

  private final ActorSystem<?> system;
  private final List<String> entityTypes;
  private final Duration timeout;

  public ClusterView(ActorSystem<?> system, List<String> entityTypes, Duration timeout) {
    this.system = system;
    this.entityTypes = entityTypes;
    this.timeout = timeout;
  }

  public List<NodeInfo> nodes() {
    Cluster cluster = Cluster.get(system);
    Set<Member> unreachable = cluster.state().getUnreachable();
    List<NodeInfo> nodes = new ArrayList<>();
    for (Member m : cluster.state().getMembers()) {
      nodes.add(new NodeInfo(nodeIdOf(m), m.address().toString(),
          AzRoles.azOf(m.getRoles()).orElse("unknown"), m.status().toString(),
          !unreachable.contains(m), roleNumber(m, PID_ROLE_PREFIX),
          (int) roleNumber(m, GRPC_PORT_ROLE_PREFIX),
          (int) roleNumber(m, MANAGEMENT_PORT_ROLE_PREFIX)));
    }
    nodes.sort(Comparator.comparing(NodeInfo::nodeId));
    return nodes;
  }

  public CompletionStage<Snapshot> snapshot() {
    Cluster cluster = Cluster.get(system);
    List<CompletableFuture<List<Leader>>> asks = new ArrayList<>();
    List<CompletableFuture<List<FollowerStatus>>> followerAsks = new ArrayList<>();
    for (Member m : cluster.state().getMembers()) {
      if (cluster.state().getUnreachable().contains(m)) {
        continue;
      }
      for (String type : entityTypes) {
        asks.add(leadersOn(m, type).toCompletableFuture());
      }
      followerAsks.add(followersOn(m).toCompletableFuture());
    }
    List<CompletableFuture<?>> all = new ArrayList<>(asks);
    all.addAll(followerAsks);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> {
      Map<String, Leader> leaders = new TreeMap<>();
      asks.forEach(a -> a.join().forEach(l -> leaders.put(l.type() + "/" + l.id(), l)));
      Map<String, List<FollowerLag>> followers = new TreeMap<>();
      followerAsks.forEach(a -> a.join().stream().filter(f -> entityTypes.contains(f.type()))
          .forEach(f -> followers
          .computeIfAbsent(f.type() + "/" + f.resourceId(), k -> new ArrayList<>())
          .add(new FollowerLag(f.az(), f.nodeId(), f.appliedSeqNr(), f.lagEvents(),
              f.lastApplyDelayMillis()))));
      Set<String> resources = new TreeSet<>(leaders.keySet());
      resources.addAll(followers.keySet());
      List<ResourceLeader> out = new ArrayList<>();
      for (String key : resources) {
        Leader l = leaders.get(key);
        List<FollowerLag> fs = new ArrayList<>(followers.getOrDefault(key, List.of()));
        fs.sort(Comparator.comparing(FollowerLag::az));
        int slash = key.indexOf('/');
        out.add(new ResourceLeader(key.substring(0, slash), key.substring(slash + 1),
            l == null ? "" : l.nodeId(), l == null ? "" : l.az(), fs));
      }
      return new Snapshot(nodeIdOf(cluster.selfMember()), nodes(), out);
    });
  }

  private record Leader(String type, String id, String nodeId, String az) {}

  private CompletionStage<List<FollowerStatus>> followersOn(Member member) {
    ActorSelection reporter = Adapter.toClassic(system).actorSelection(
        RootActorPath.apply(member.address(), "/").child("system")
            .child(ReplicationStatusReporter.NAME));
    return Patterns.ask(reporter, ReplicationStatusReporter.GetFollowers.INSTANCE, timeout)
        .handle((reply, failure) -> reply instanceof ReplicationStatusReporter.Followers f
            ? f.followers() : List.of());
  }

  private CompletionStage<List<Leader>> leadersOn(Member member, String type) {
    Address address = member.address();
    ActorSelection region = Adapter.toClassic(system).actorSelection(
        RootActorPath.apply(address, "/").child("system").child("sharding").child(type));
    String nodeId = nodeIdOf(member);
    String az = AzRoles.azOf(member.getRoles()).orElse("unknown");
    return Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), timeout)
        .handle((reply, failure) -> {
          List<Leader> out = new ArrayList<>();
          if (reply instanceof ShardRegion.CurrentShardRegionState state) {
            for (ShardRegion.ShardState shard : state.getShards()) {
              for (String id : shard.getEntityIds()) {
                out.add(new Leader(type, id, nodeId, az));
              }
            }
          }
          return out; // a node that does not answer in time shows no leaders
        });
  }

  static String nodeIdOf(Member m) {
    return role(m, NODE_ROLE_PREFIX).orElse(m.address().toString());
  }

  private static long roleNumber(Member m, String prefix) {
    return role(m, prefix).map(Long::parseLong).orElse(0L);
  }

  private static java.util.Optional<String> role(Member m, String prefix) {
    return StreamSupport.stream(m.getRoles().spliterator(), false)
        .filter(r -> r.startsWith(prefix)).map(r -> r.substring(prefix.length())).findFirst();
  }
}
