package fabric.core.testkit;

import com.typesafe.config.ConfigFactory;
import fabric.core.entity.EntityCommand;
import fabric.core.entity.ResourceDefinition;
import fabric.core.entity.ResourceEntity;
import fabric.core.serialization.CborSerializable;
import fabric.core.topology.NodeLocation;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;

/**
 * The one way entity tests run a resource definition: Pekko's EventSourcedBehaviorTestKit
 * on the real {@link ResourceEntity}, with every command, event and state checked to
 * survive a Jackson CBOR round trip unchanged (what the journal and the network do).
 */
public final class EntityTestKit {
  public static final NodeLocation LOCATION =
      new NodeLocation("node-1", "us-east-1", "us-east-1a");

  private EntityTestKit() {}

  /** An actor system with the in-memory test journal and the fabric's serialization. */
  public static ActorTestKit actorTestKit(String name) {
    return ActorTestKit.create(name,
        EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  /** An actor system with the in-memory test journal and snapshot store, for tests that
   *  run entities as actors (snapshots, deletions) rather than through {@link #entity}. */
  public static ActorTestKit withSnapshots() {
    return ActorTestKit.create(PersistenceTestKitPlugin.getInstance().config()
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.load()));
  }

  /** The sequence numbers of the snapshots stored for {@code persistenceId}, ascending. */
  public static List<Long> snapshotSequenceNumbers(SnapshotTestKit snapshots,
      String persistenceId) {
    return snapshots.persistedInStorage(persistenceId).stream()
        .map(p -> p.first().sequenceNr()).sorted().toList();
  }

  /** A fresh entity of {@code definition} with id {@code entityId} and an empty journal. */
  public static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      EventSourcedBehaviorTestKit<EntityCommand, E, S> entity(ActorTestKit kit,
          ResourceDefinition<C, E, S> definition, String entityId) {
    EventSourcedBehaviorTestKit<EntityCommand, E, S> testKit = EventSourcedBehaviorTestKit.create(
        kit.system(), ResourceEntity.create(definition, entityId, LOCATION),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    testKit.clear(); // the journal is shared by the actor system: start from nothing
    return testKit;
  }
}
