package fabric.core.entity;

import com.typesafe.config.ConfigFactory;
import fabric.core.epoch.EpochHistory;
import fabric.core.epoch.EpochStamping;
import fabric.core.error.CommonErrors;
import fabric.core.error.ServiceException;
import fabric.core.serialization.CborSerializable;
import fabric.core.topology.NodeLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.typed.DeleteEventsCompleted;
import org.apache.pekko.persistence.typed.DeleteEventsFailed;
import org.apache.pekko.persistence.typed.EventAdapter;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.SnapshotFailed;
import org.apache.pekko.persistence.typed.SnapshotMetadata;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The leader of one resource: an event-sourced behavior built from a
 * {@link ResourceDefinition}. Cluster Sharding keeps a single instance per entity id in the
 * cluster, so this is the only writer of its persistence id; it replies only after the
 * journal acknowledged the events.
 *
 * <p>It takes single commands (entity tests send those) and {@link CommandBatch}es from its
 * {@link GroupCommitFront}: a batch is decided command by command against the evolving
 * state, then all its events are written in one journal write (group commit), and only then
 * does every command of the batch get its reply.
 */
public final class ResourceEntity<C extends EntityCommand, E extends CborSerializable,
        S extends CborSerializable>
    extends EventSourcedBehaviorWithEnforcedReplies<EntityCommand, E, S> {

  private final ResourceDefinition<C, E, S> definition;
  private final String entityId;
  private final ActorContext<EntityCommand> context;
  private final NodeLocation location;
  private final long startedNanos = System.nanoTime();
  private final ActorRef<CommandBatch.Durable> stateListener;
  private final AckFence fence;
  /** Null for an entity without a front (entity tests): it journals its events as they are. */
  private final EpochStamping<E> stamping;
  private final SnapshotRetention snapshotRetention;
  /** Journal events up to here were asked to go
   *  ({@link ResourceDefinition#journalDeletableUpTo}). */
  private long deletionRequestedUpTo;
  /** The resource is gone and its whole journal was asked to go. */
  private boolean erased;

  private ResourceEntity(
      ResourceDefinition<C, E, S> definition,
      String entityId,
      ActorContext<EntityCommand> context,
      NodeLocation location,
      ActorRef<CommandBatch.Durable> stateListener,
      AckFence fence,
      EpochHistory epochs) {
    super(persistenceId(definition, entityId));
    context.setLoggerName(ResourceEntity.class); // not guessed from a stack (GroupCommitFront)
    this.fence = fence;
    this.stamping = epochs == null ? null : new EpochStamping<>(context.getSystem(),
        persistenceId(definition, entityId).id(), epochs);
    this.definition = definition;
    this.entityId = entityId;
    this.context = context;
    this.location = location;
    this.stateListener = stateListener;
    this.snapshotRetention = new SnapshotRetention(definition.snapshotsToKeep());
  }

  /** An entity on its own, without leader epochs: what entity tests run. */
  public static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      Behavior<EntityCommand> create(
          ResourceDefinition<C, E, S> definition, String entityId, NodeLocation location) {
    return Behaviors.setup(ctx -> new ResourceEntity<>(definition, entityId, ctx, location,
        null, AckFence.NONE, null));
  }

  /** As {@link #create}, telling {@code stateListener} the durable state after recovery and
   *  after every batch (the {@link GroupCommitFront} serves reads from it), and answering a
   *  batch only while {@code fence} allows. Its replay drops the orphans that
   *  {@code epochs} identifies; it writes with the epoch {@link UseEpoch} gives it. */
  static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      Behavior<EntityCommand> create(ResourceDefinition<C, E, S> definition, String entityId,
          NodeLocation location, ActorRef<CommandBatch.Durable> stateListener, AckFence fence,
          EpochHistory epochs) {
    return Behaviors.setup(ctx -> new ResourceEntity<>(definition, entityId, ctx, location,
        stateListener, fence, epochs));
  }

  /**
   * A leader as sharding runs it (with its group-commit front, leader epochs and read-backs),
   * without followers: for tests outside a cluster.
   */
  public static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      Behavior<C> leader(ResourceDefinition<C, E, S> definition, String entityId,
          NodeLocation location) {
    return GroupCommitFront.create(definition, entityId, location);
  }

  /** Sent by the front once it claimed the leader's epoch, before any batch. Local only. */
  record UseEpoch(long epoch) implements EntityCommand {
    @Override
    public ActorRef<Reply> replyTo() {
      return null;
    }
  }

  @Override
  public EventAdapter<E, ?> eventAdapter() {
    return stamping == null ? super.eventAdapter() : stamping;
  }

  private void beginWrite() {
    if (stamping != null) {
      stamping.beginWrite(lastSequenceNumber(context) + 1);
    }
  }

  /** The journal key of an entity: type name and id, e.g. {@code Bucket|photos}. */
  public static PersistenceId persistenceId(ResourceDefinition<?, ?, ?> definition, String id) {
    return PersistenceId.of(definition.typeKey().name(), id);
  }

  @Override
  public S emptyState() {
    return definition.emptyState(entityId);
  }

  @Override
  public CommandHandlerWithReply<EntityCommand, E, S> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(CommandBatch.class, this::onBatch)
        .onCommand(UseEpoch.class, (state, use) -> {
          Objects.requireNonNull(stamping, "UseEpoch without epochs").useEpoch(use.epoch());
          return Effect().none().thenNoReply();
        })
        .onAnyCommand(this::onCommand);
  }

  @SuppressWarnings("unchecked")
  private ReplyEffect<E, S> onCommand(S state, EntityCommand message) {
    C command = (C) message;
    Outcome<E, S> outcome = decide(state, command);
    if (outcome instanceof Outcome.Persist<E, S> persist) {
      beginWrite();
      return Effect()
          .persist(persist.events())
          .thenRun(persist.afterPersist()::accept)
          .thenRun(this::eraseIfGone)
          .thenReply(command.replyTo(), newState -> persist.reply().apply(newState));
    }
    if (outcome instanceof Outcome.Park<E, S> park) {
      // Without a front nothing can hold the command: the wait ends at once.
      return Effect().reply(command.replyTo(), park.onDeadline());
    }
    Outcome.Respond<E, S> respond = (Outcome.Respond<E, S>) outcome;
    return Effect().reply(command.replyTo(), respond.reply());
  }

  @SuppressWarnings("unchecked")
  private ReplyEffect<E, S> onBatch(S state, CommandBatch batch) {
    List<E> events = new ArrayList<>();
    List<Runnable> afterWrite = new ArrayList<>(batch.commands().size());
    List<CommandBatch.Parked> parked = new ArrayList<>(0);
    S current = state;
    for (EntityCommand message : batch.commands()) {
      C command = (C) message;
      Outcome<E, S> outcome = decide(current, command);
      if (outcome instanceof Outcome.Persist<E, S> persist) {
        for (E event : persist.events()) {
          current = evolve(current, event);
          events.add(event);
        }
        S after = current;
        afterWrite.add(() -> {
          command.replyTo().tell(persist.reply().apply(after));
          persist.afterPersist().accept(after);
        });
      } else if (outcome instanceof Outcome.Park<E, S> park) {
        if (command instanceof ParkableCommand parkable) {
          parked.add(new CommandBatch.Parked(parkable, park));
        } else {
          context.getLog().error("{} {}: {} decided to wait but cannot be parked",
              definition.typeKey().name(), entityId, command.getClass().getSimpleName());
          afterWrite.add(() -> command.replyTo().tell(new Rejected(CommonErrors.InternalError
              .withMessage("internal error handling " + command.getClass().getSimpleName()))));
        }
      } else {
        Reply reply = ((Outcome.Respond<E, S>) outcome).reply();
        afterWrite.add(() -> command.replyTo().tell(reply));
      }
    }
    // Replies, even refusals, wait for the write: a refusal may rest on an earlier command
    // of the same batch, which is not durable until the journal confirmed it.
    S last = current;
    Runnable finish = () -> {
      var fenced = fence.fenced();
      // A fenced batch answers every command below, the waiting ones too.
      batch.done().tell(new CommandBatch.Durable(last, true, lastSequenceNumber(context), events,
          fenced.isPresent() ? List.of() : parked));
      if (fenced.isPresent()) {
        // Written, but another leader may have started since: the caller must not count
        // on it either way, so it is told the outcome is unknown.
        context.getLog().warn("{} {}: {} replies withheld: {}", definition.typeKey().name(),
            entityId, batch.commands().size(), fenced.get());
        batch.commands().forEach(c -> c.replyTo().tell(new Rejected(
            CommonErrors.ServiceUnavailable.withMessage(definition.typeKey().name() + " "
                + entityId + " cannot confirm the request (" + fenced.get()
                + "); it may or may not have been applied"))));
        return;
      }
      afterWrite.forEach(Runnable::run);
    };
    if (events.isEmpty()) {
      finish.run();
      return Effect().none().thenNoReply();
    }
    beginWrite();
    return Effect().persist(events).thenRun(s -> {
      finish.run();
      eraseIfGone(s);
    }).thenNoReply();
  }

  private Outcome<E, S> decide(S state, C command) {
    return decide(definition, state, command, context, entityId);
  }

  /**
   * Decides one command; an exception becomes a refusal, never a dead entity or a hang.
   * Followers use it too, for the read-only commands they answer.
   */
  public static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      Outcome<E, S> decide(ResourceDefinition<C, E, S> definition, S state, C command,
          ActorContext<?> context, String entityId) {
    try {
      return definition.decide(state, command);
    } catch (ServiceException e) {
      return Outcome.reject(e.error());
    } catch (RuntimeException e) {
      context.getLog().error("{} {} failed on {}", definition.typeKey().name(), entityId,
          command.getClass().getSimpleName(), e);
      return Outcome.reject(CommonErrors.InternalError.withMessage(
          "internal error handling " + command.getClass().getSimpleName()));
    }
  }

  private S evolve(S state, E event) {
    return Objects.requireNonNull(definition.evolve(state, event), "evolve returned null");
  }

  @Override
  public EventHandler<S, E> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(this::evolve);
  }

  /** Snapshots come from {@link #shouldSnapshot}; old ones are deleted on
   *  {@link SnapshotCompleted} (see {@link SnapshotRetention}). Events are deleted only
   *  where the definition says they are no longer needed
   *  ({@link ResourceDefinition#journalDeletableUpTo}, 0 by default: followers and
   *  read-backs read them), never by Pekko's count-based retention. */
  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.disabled();
  }

  @Override
  public boolean shouldSnapshot(S state, E event, long sequenceNumber) {
    long every = definition.snapshotEveryEvents(state);
    if (every < 1) {
      throw new IllegalStateException(definition.typeKey().name() + " " + entityId
          + ": snapshot interval " + every + " < 1");
    }
    return sequenceNumber % every == 0 || definition.snapshotAfter(state, event);
  }

  /**
   * After a snapshot: deletes the journal events the definition no longer needs, up to the
   * oldest snapshot this leader keeps (so a fallback to it still finds every event after
   * it). A leader that has not saved that many snapshots yet deletes nothing: the older
   * leaders' snapshots it does not know of may be older than what it would delete.
   */
  private void deleteUnneededEvents(S state) {
    long deletable = definition.journalDeletableUpTo(state);
    if (deletable == Long.MAX_VALUE) {
      eraseIfGone(state);
      return;
    }
    var oldest = snapshotRetention.oldestKept();
    if (deletable <= 0 || oldest.isEmpty()) {
      return;
    }
    long upTo = Math.min(deletable, oldest.getAsLong());
    if (upTo <= deletionRequestedUpTo) {
      return;
    }
    deletionRequestedUpTo = upTo;
    // As for snapshots: the reply comes back as a signal (DeleteEventsCompleted/Failed).
    journal().tell(new JournalProtocol.DeleteMessagesTo(persistenceId().id(), upTo,
        Adapter.toClassic(context.getSelf())), Adapter.toClassic(context.getSelf()));
  }

  /** A resource gone for good ({@link ResourceDefinition#journalDeletableUpTo} says
   *  {@link Long#MAX_VALUE}): all its events and snapshots go; a later start recovers the
   *  empty state. Once per incarnation; a restart before it finished erases again. */
  private void eraseIfGone(S state) {
    if (erased || definition.journalDeletableUpTo(state) != Long.MAX_VALUE) {
      return;
    }
    erased = true;
    var self = Adapter.toClassic(context.getSelf());
    journal().tell(new JournalProtocol.DeleteMessagesTo(persistenceId().id(), Long.MAX_VALUE,
        self), self);
    Persistence.get(Adapter.toClassic(context.getSystem()))
        .snapshotStoreFor(snapshotPluginId(), ConfigFactory.empty())
        .tell(new SnapshotProtocol.DeleteSnapshots(persistenceId().id(),
            org.apache.pekko.persistence.SnapshotSelectionCriteria.create(Long.MAX_VALUE,
                Long.MAX_VALUE)), self);
    context.getLog().debug("{} {}: gone, its journal and snapshots deleted",
        definition.typeKey().name(), entityId);
  }

  private org.apache.pekko.actor.ActorRef journal() {
    return Persistence.get(Adapter.toClassic(context.getSystem()))
        .journalFor(journalPluginId(), ConfigFactory.empty());
  }

  private void deleteOldSnapshots(SnapshotMetadata saved) {
    snapshotRetention.saved(saved.sequenceNr()).ifPresent(upTo -> {
      // The reply comes back to this actor, which Pekko turns into a signal (ignored).
      Persistence.get(Adapter.toClassic(context.getSystem()))
          .snapshotStoreFor(snapshotPluginId(), ConfigFactory.empty())
          .tell(new SnapshotProtocol.DeleteSnapshots(persistenceId().id(),
                  org.apache.pekko.persistence.SnapshotSelectionCriteria.create(upTo,
                      Long.MAX_VALUE)),
              Adapter.toClassic(context.getSelf()));
    });
  }

  @Override
  public SignalHandler<S> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(SnapshotCompleted.class, (state, completed) -> {
          deleteOldSnapshots(completed.metadata());
          deleteUnneededEvents(state);
        })
        .onSignal(DeleteEventsCompleted.class, (state, deleted) -> context.getLog().debug(
            "{} {}: journal events up to seqNr {} deleted", definition.typeKey().name(),
            entityId, deleted.toSequenceNr()))
        .onSignal(DeleteEventsFailed.class, (state, failed) -> {
          // The next snapshot asks again.
          deletionRequestedUpTo = 0;
          context.getLog().warn("{} {}: deleting journal events up to seqNr {} failed on node "
              + "{} az {}", definition.typeKey().name(), entityId, failed.toSequenceNr(),
              location.nodeId(), location.az(), failed.failure());
        })
        .onSignal(SnapshotFailed.class, (state, failed) -> context.getLog().warn(
            "{} {}: snapshot at seqNr {} failed on node {} az {}", definition.typeKey().name(),
            entityId, failed.getSnapshotMetadata().sequenceNr(), location.nodeId(),
            location.az(), failed.getFailure()))
        .onSignal(RecoveryCompleted.instance(), state -> {
          // The front logs the start once it claimed the epoch (INFO); this is the replay.
          context.getLog().debug("{} {} recovered on node {} az {} in {} ms at seqNr {}, {} "
                  + "orphaned events dropped", definition.typeKey().name(), entityId,
              location.nodeId(), location.az(), (System.nanoTime() - startedNanos) / 1_000_000,
              lastSequenceNumber(context), stamping == null ? 0 : stamping.orphans());
          eraseIfGone(state); // gone, but the erasure had not finished before a restart
          if (stateListener != null) {
            stateListener.tell(new CommandBatch.Durable(state, false, lastSequenceNumber(context),
                List.of(), List.of()));
          }
        })
        .build();
  }
}
