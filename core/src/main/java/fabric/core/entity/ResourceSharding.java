package fabric.core.entity;

import fabric.core.replication.FollowerFeed;
import fabric.core.replication.FollowerSharding;
import fabric.core.serialization.CborSerializable;
import fabric.core.topology.AzAwareAllocationStrategy;
import fabric.core.topology.AzDirectory;
import fabric.core.topology.MajorityLease;
import fabric.core.topology.NodeLocation;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Registers a resource type with Cluster Sharding on one node: its leaders (balanced over
 * AZs, fenced by the node's {@link MajorityLease}) and, unless
 * {@code fabric.replication.followers} is off or the type has none, its followers (one per
 * AZ).
 */
public final class ResourceSharding {
  private ResourceSharding() {}

  public static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      ActorRef<ShardingEnvelope<C>> init(
          ActorSystem<?> system, ResourceDefinition<C, E, S> definition, NodeLocation location) {
    var config = system.settings().config().getConfig("fabric.replication");
    FollowerFeed feed = null;
    if (config.getBoolean("followers") && definition.hasFollowers()) {
      feed = new FollowerFeed(system, FollowerSharding.init(system, definition, location),
          new AzDirectory(system), location.nodeId());
    }
    FollowerFeed leaderFeed = feed;
    Duration heartbeat = config.getDuration("heartbeat-interval");
    MajorityLease lease = MajorityLease.get(system);
    return ClusterSharding.get(system).init(
        Entity.of(definition.typeKey(), ctx -> GroupCommitFront.create(definition,
                ctx.getEntityId(), location, leaderFeed, heartbeat, lease::fenced))
        .withStopMessage(GroupCommitFront.<C>stopMessage())
        .withAllocationStrategy(new AzAwareAllocationStrategy()));
  }
}
