package fabric.core.replication;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.ResourceDefinition;
import fabric.core.serialization.CborSerializable;
import fabric.core.topology.AzPinnedAllocationStrategy;
import fabric.core.topology.NodeLocation;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Registers the followers of a resource type with Cluster Sharding: entity
 * {@code az|resourceId}, in a shard whose id starts with the AZ, placed on a node of that
 * AZ by {@link AzPinnedAllocationStrategy}.
 */
public final class FollowerSharding {
  private FollowerSharding() {}

  public static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      ActorRef<ShardingEnvelope<Object>> init(ActorSystem<?> system,
          ResourceDefinition<C, E, S> definition, NodeLocation location) {
    int shards = system.settings().config().getInt("pekko.cluster.sharding.number-of-shards");
    return ClusterSharding.get(system).init(
        Entity.of(FollowerIds.typeKey(definition.typeKey()),
                ctx -> FollowerEntity.create(definition, ctx.getEntityId(), location))
            .withMessageExtractor(new AzShardExtractor(shards))
            .withAllocationStrategy(new AzPinnedAllocationStrategy(FollowerIds::azOf)));
  }

  private static final class AzShardExtractor
      extends ShardingMessageExtractor<ShardingEnvelope<Object>, Object> {
    private final int numberOfShards;

    AzShardExtractor(int numberOfShards) {
      this.numberOfShards = numberOfShards;
    }

    @Override
    public String entityId(ShardingEnvelope<Object> envelope) {
      return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
      return FollowerIds.shardId(entityId, numberOfShards);
    }

    @Override
    public Object unwrapMessage(ShardingEnvelope<Object> envelope) {
      return envelope.message();
    }
  }
}
