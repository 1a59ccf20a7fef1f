package fabric.core.topology;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Allocation for shards that belong to one AZ (followers): a shard goes to the least
 * loaded node of its AZ; only when that AZ has no node does it go elsewhere (least loaded
 * overall), and a rebalance round moves one such stray shard home once its AZ has a node
 * again.
 *
 * <p>A node of the home AZ that is Up but whose region has not registered yet (a node
 * start-up race) makes the allocation wait, up to {@link #HOME_REGION_WAIT}: placing the
 * shard elsewhere would serve that AZ's reads from another AZ until a rebalance round.
 * A dropped allocation is retried by the requesting region on its own retry interval.
 */
public final class AzPinnedAllocationStrategy
    extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {
  /** How long an allocation waits for the home AZ's region before placing it elsewhere. */
  static final Duration HOME_REGION_WAIT = Duration.ofSeconds(20);

  private final Function<String, String> azOfShard;
  /** First deferral per shard; an entry lives until the shard is allocated. */
  private final Map<String, Long> deferredSinceNanos = new ConcurrentHashMap<>();
  private volatile Cluster cluster;
  private volatile ActorRef deadLetters;

  public AzPinnedAllocationStrategy(Function<String, String> azOfShard) {
    this.azOfShard = azOfShard;
  }

  @Override
  public void start(ActorSystem system) {
    cluster = Cluster.get(system);
    deadLetters = system.deadLetters();
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, IndexedSeq<String>> current) {
    Map<ActorRef, String> azs = azByRegion(current);
    String home = azOfShard.apply(shardId);
    Comparator<ActorRef> leastLoaded = Comparator.comparingInt(r -> current.get(r).size());
    Optional<ActorRef> atHome = current.keySet().stream()
        .filter(r -> home.equals(azs.get(r))).min(leastLoaded);
    if (atHome.isEmpty() && homeRegionExpected(shardId, home)) {
      // The coordinator drops an allocation to a region that is not registered (debug log
      // only; a failed future would log an error) and the requester asks again later.
      return Future.successful(deadLetters);
    }
    deferredSinceNanos.remove(shardId);
    return Future.successful(atHome.orElseGet(
        () -> current.keySet().stream().min(leastLoaded).orElse(requester)));
  }

  /** True while the home AZ has an Up, reachable node and the wait has not run out. */
  private boolean homeRegionExpected(String shardId, String home) {
    var unreachable = cluster.state().getUnreachable();
    boolean homeNodeUp = false;
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() && !unreachable.contains(m)
          && AzRoles.azOf(m.getRoles()).map(home::equals).orElse(false)) {
        homeNodeUp = true;
        break;
      }
    }
    if (!homeNodeUp) {
      return false;
    }
    long now = System.nanoTime();
    long since = deferredSinceNanos.computeIfAbsent(shardId, s -> now);
    return now - since < HOME_REGION_WAIT.toNanos();
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current,
      Set<String> rebalanceInProgress) {
    if (!rebalanceInProgress.isEmpty()) {
      return Future.successful(Set.of());
    }
    Map<ActorRef, String> azs = azByRegion(current);
    var present = new java.util.HashSet<>(azs.values());
    for (var entry : current.entrySet()) {
      String regionAz = azs.get(entry.getKey());
      var shards = entry.getValue().iterator();
      while (shards.hasNext()) {
        String shard = shards.next();
        String home = azOfShard.apply(shard);
        if (!home.equals(regionAz) && present.contains(home)) {
          return Future.successful(Set.of(shard));
        }
      }
    }
    return Future.successful(Set.of());
  }

  private Map<ActorRef, String> azByRegion(Map<ActorRef, IndexedSeq<String>> current) {
    Map<ActorRef, String> azs = new HashMap<>();
    RegionAzs.of(cluster, current.keySet()).forEach((ref, p) -> azs.put(ref, p.az()));
    return azs;
  }
}
