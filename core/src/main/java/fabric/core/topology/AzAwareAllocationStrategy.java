package fabric.core.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Cluster Sharding's allocation strategy for fabric resources: new shards go to the least
 * loaded AZ ({@link AzPlacement}), and the coordinator moves one shard per rebalance round
 * while AZs differ by more than one shard. The AZ of a region is its node's {@code az:}
 * cluster role. Regions that joined less than {@link RegionWarmUp#WARM_UP} ago get new
 * shards only when no other region exists, and rebalancing waits until all are warm.
 */
public final class AzAwareAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {
  private volatile Cluster cluster;
  private final RegionWarmUp<ActorRef> warmUp = new RegionWarmUp<>(System::nanoTime);

  @Override
  public void start(ActorSystem system) {
    cluster = Cluster.get(system);
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, IndexedSeq<String>> current) {
    Set<ActorRef> warm = warmUp.warm(current.keySet());
    Map<ActorRef, IndexedSeq<String>> candidates = current;
    if (!warm.isEmpty() && warm.size() < current.size()) {
      candidates = new HashMap<>(current);
      candidates.keySet().retainAll(warm);
    }
    return Future.successful(AzPlacement.allocate(regions(candidates)).ref());
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current,
      Set<String> rebalanceInProgress) {
    if (!rebalanceInProgress.isEmpty()
        || warmUp.warm(current.keySet()).size() < current.size()) {
      return Future.successful(Set.of());
    }
    Optional<AzPlacement.Region<ActorRef>> from = AzPlacement.rebalanceFrom(regions(current));
    return Future.successful(from
        .map(r -> current.get(r.ref()))
        .filter(shards -> !shards.isEmpty())
        .map(shards -> Set.of(shards.head()))
        .orElse(Set.of()));
  }

  private Map<AzPlacement.Region<ActorRef>, Integer> regions(
      Map<ActorRef, IndexedSeq<String>> current) {
    Map<AzPlacement.Region<ActorRef>, Integer> regions = new HashMap<>();
    RegionAzs.of(cluster, current.keySet()).forEach((ref, placement) ->
        regions.put(new AzPlacement.Region<>(ref, placement.az(), placement.address().toString()),
            current.get(ref).size()));
    return regions;
  }
}
