package fabric.core.replication;

import fabric.core.epoch.EpochHistory;
import fabric.core.epoch.EpochStamping;
import fabric.core.epoch.LeaderEpochs;
import fabric.core.entity.ResourceDefinition;
import fabric.core.entity.ResourceEntity;
import fabric.core.serialization.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.typed.EventAdapter;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A follower's catch-up: recovers the leader's persistence id (latest snapshot, then the
 * events after it) exactly as a new leader would, reports the state and its sequence
 * number, and is stopped by its parent. It takes no commands, so it never writes: the
 * leader stays the single writer. It loads the resource's leader epochs first, so it drops
 * the same orphans a leader's replay drops.
 */
final class JournalReplay<E extends CborSerializable, S extends CborSerializable>
    extends EventSourcedBehavior<Object, E, S> {

  /** The journal's state of the resource at {@code seqNr}. */
  record Recovered(Object state, long seqNr) {}

  private final ResourceDefinition<?, E, S> definition;
  private final String resourceId;
  private final ActorRef<Object> parent;
  private final ActorContext<Object> context;
  private final EpochStamping<E> epochs;

  private record EpochsLoaded(EpochHistory history, Throwable failure) {}

  private JournalReplay(ResourceDefinition<?, E, S> definition, String resourceId,
      ActorRef<Object> parent, ActorContext<Object> context, EpochHistory history) {
    super(ResourceEntity.persistenceId(definition, resourceId));
    this.definition = definition;
    this.resourceId = resourceId;
    this.parent = parent;
    this.context = context;
    this.epochs = new EpochStamping<>(context.getSystem(),
        ResourceEntity.persistenceId(definition, resourceId).id(), history);
  }

  /** Fails (the parent sees the child fail and retries) if the epochs cannot be loaded. */
  static <E extends CborSerializable, S extends CborSerializable> Behavior<Object> create(
      ResourceDefinition<?, E, S> definition, String resourceId, ActorRef<Object> parent) {
    return Behaviors.setup(ctx -> {
      String persistenceId = ResourceEntity.persistenceId(definition, resourceId).id();
      long timeoutMillis = ctx.getSystem().settings().config()
          .getDuration("fabric.leader-epochs.timeout").toMillis();
      ctx.pipeToSelf(LeaderEpochs.get(ctx.getSystem()).store().load(persistenceId)
          .toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS),
          EpochsLoaded::new);
      return Behaviors.receiveMessage(message -> {
        if (!(message instanceof EpochsLoaded loaded)) {
          return Behaviors.same(); // it takes no commands
        }
        if (loaded.failure() != null) {
          throw new IllegalStateException("could not load the leader epochs of "
              + persistenceId + ": " + loaded.failure(), loaded.failure());
        }
        return new JournalReplay<>(definition, resourceId, parent, ctx, loaded.history());
      });
    });
  }

  @Override
  public EventAdapter<E, ?> eventAdapter() {
    return epochs;
  }

  @Override
  public S emptyState() {
    return definition.emptyState(resourceId);
  }

  @Override
  public CommandHandler<Object, E, S> commandHandler() {
    return newCommandHandlerBuilder().forAnyState().onAnyCommand((state, c) -> Effect().none());
  }

  @Override
  public EventHandler<S, E> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(definition::evolve);
  }

  @Override
  public SignalHandler<S> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(),
            state -> parent.tell(new Recovered(state, lastSequenceNumber(context))))
        .build();
  }
}
