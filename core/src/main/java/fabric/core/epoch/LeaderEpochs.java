package fabric.core.epoch;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's {@link LeaderEpochStore}. {@code fabric.leader-epochs.store = memory} (entity
 * tests on the in-memory journal) uses {@link InMemoryLeaderEpochStore}; {@code external}
 * (a node, whose journal is shared and durable) requires the node to {@link #use} a store
 * that lives beside its journal before any resource starts, and refuses to run without.
 */
public final class LeaderEpochs implements Extension {
  static final class Id extends ExtensionId<LeaderEpochs> {
    static final Id INSTANCE = new Id();

    @Override
    public LeaderEpochs createExtension(ActorSystem<?> system) {
      return new LeaderEpochs(system.settings().config().getString("fabric.leader-epochs.store"));
    }
  }

  private volatile LeaderEpochStore store;
  private final String kind;

  private LeaderEpochs(String kind) {
    if (!kind.equals("memory") && !kind.equals("external")) {
      throw new IllegalArgumentException(
          "fabric.leader-epochs.store must be memory or external, was " + kind);
    }
    this.kind = kind;
    this.store = kind.equals("memory") ? new InMemoryLeaderEpochStore() : null;
  }

  public static LeaderEpochs get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public void use(LeaderEpochStore external) {
    this.store = external;
  }

  public LeaderEpochStore store() {
    LeaderEpochStore s = store;
    if (s == null) {
      throw new IllegalStateException("fabric.leader-epochs.store = " + kind
          + " but no store was registered: a node must call LeaderEpochs.use before it "
          + "starts resources");
    }
    return s;
  }
}
