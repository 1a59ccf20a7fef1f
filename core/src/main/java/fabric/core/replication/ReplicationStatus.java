package fabric.core.replication;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * This node's followers and their lag: followers write here as they apply events, the
 * management port reads it (cluster view, metrics). One per actor system.
 */
public final class ReplicationStatus implements Extension {
  private final ConcurrentHashMap<String, FollowerStatus> followers = new ConcurrentHashMap<>();

  public static ReplicationStatus get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  void update(FollowerStatus status) {
    followers.put(key(status.type(), status.az(), status.resourceId()), status);
  }

  void remove(String type, String az, String resourceId) {
    followers.remove(key(type, az, resourceId));
  }

  public List<FollowerStatus> followers() {
    return List.copyOf(followers.values());
  }

  private static String key(String type, String az, String resourceId) {
    return type + '\u0000' + az + '\u0000' + resourceId;
  }

  static final class Id extends ExtensionId<ReplicationStatus> {
    static final Id INSTANCE = new Id();

    @Override
    public ReplicationStatus createExtension(ActorSystem<?> system) {
      return new ReplicationStatus();
    }
  }
}
