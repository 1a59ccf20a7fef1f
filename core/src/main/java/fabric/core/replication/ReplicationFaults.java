package fabric.core.replication;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Fault injection for replication, per node: the leaders of this node stop feeding the
 * followers in a held-back AZ (no pushes, no heartbeats), so those followers go stale until
 * the AZ is released; they then catch up at the next push. For tests and drills of
 * eventual consistency (a stale eventually consistent read next to a fresh strong one).
 */
public final class ReplicationFaults implements Extension {
  private final Set<String> heldBack = ConcurrentHashMap.newKeySet();

  public static ReplicationFaults get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public void holdBack(String az) {
    heldBack.add(az);
  }

  public void release(String az) {
    heldBack.remove(az);
  }

  boolean isHeldBack(String az) {
    return !heldBack.isEmpty() && heldBack.contains(az);
  }

  private static final class Id extends ExtensionId<ReplicationFaults> {
    static final Id INSTANCE = new Id();

    @Override
    public ReplicationFaults createExtension(ActorSystem<?> system) {
      return new ReplicationFaults();
    }
  }
}
