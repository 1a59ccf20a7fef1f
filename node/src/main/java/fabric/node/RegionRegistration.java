package fabric.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * Whether this node's shard regions are known to their coordinators. A node is Up a moment
 * before that; meanwhile it hosts no shards, so resources created then all land on the nodes
 * that registered first (every bucket of a new cluster led by one AZ). A node is ready only
 * once registered. Asks without blocking the caller; once registered it stays so.
 */
final class RegionRegistration {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final List<String> entityTypes;
  private volatile boolean registered;
  private final AtomicBoolean asking = new AtomicBoolean();

  RegionRegistration(ActorSystem<?> system, List<String> entityTypes) {
    this.system = system;
    this.entityTypes = entityTypes;
  }

  /** True once every entity type's coordinator knows this node's region. */
  boolean registered() {
    if (!registered && asking.compareAndSet(false, true)) {
      Address self = Cluster.get(system).selfMember().address();
      ClusterSharding sharding = ClusterSharding.get(system.classicSystem());
      CompletableFuture<?>[] asks = entityTypes.stream()
          .map(type -> Patterns.ask(sharding.shardRegion(type),
                  ShardRegion.getCurrentRegionsInstance(), ASK_TIMEOUT)
              .toCompletableFuture()
              .thenApply(reply -> ((ShardRegion.CurrentRegions) reply).getRegions()
                  .contains(self)))
          .toArray(CompletableFuture[]::new);
      CompletableFuture.allOf(asks).whenComplete((ok, failure) -> {
        if (failure == null) {
          boolean all = true;
          for (CompletableFuture<?> ask : asks) {
            all &= (Boolean) ask.join();
          }
          registered = all;
        }
        asking.set(false);
      });
    }
    return registered;
  }
}
