package fabric.core.replication;

import fabric.core.topology.AzDirectory;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * The leader's side of replication: after each journal write it pushes the new events to
 * the follower of the resource in every AZ that has a serving node. Pushes are fire and
 * forget; a follower that misses one sees the gap at the next push or heartbeat and
 * catches up from the journal, so a lost push costs staleness, never correctness.
 */
public final class FollowerFeed {
  private final ActorSystem<?> system;
  private final ActorRef<ShardingEnvelope<Object>> followers;
  private final AzDirectory azs;
  private final String leaderNodeId;

  public FollowerFeed(ActorSystem<?> system, ActorRef<ShardingEnvelope<Object>> followers,
      AzDirectory azs, String leaderNodeId) {
    this.system = system;
    this.followers = followers;
    this.azs = azs;
    this.leaderNodeId = leaderNodeId;
  }

  /** Pushes {@code events}, the last of which has {@code leaderSeqNr}; none = heartbeat. */
  public void publish(String resourceId, long leaderSeqNr, List<?> events) {
    Set<String> targets = azs.servingAzs();
    if (targets.isEmpty()) {
      return;
    }
    Replicate message = new Replicate(resourceId, leaderSeqNr - events.size() + 1, leaderSeqNr,
        SerializedEvent.serializeAll(system, events), System.currentTimeMillis(), leaderNodeId);
    ReplicationFaults faults = ReplicationFaults.get(system);
    for (String az : targets) {
      if (faults.isHeldBack(az)) {
        continue;
      }
      followers.tell(new ShardingEnvelope<>(FollowerIds.entityId(az, resourceId), message));
    }
  }
}
