package fabric.core.entity;

import fabric.core.epoch.EpochHistory;
import fabric.core.epoch.LeaderEpoch;
import fabric.core.epoch.LeaderEpochStore;
import fabric.core.epoch.LeaderEpochs;
import fabric.core.error.CommonErrors;
import fabric.core.replication.FollowerFeed;
import fabric.core.serialization.CborSerializable;
import fabric.core.topology.NodeLocation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The sharded entity as Cluster Sharding sees it: a front for the event-sourced
 * {@link ResourceEntity} (its child). While the entity writes one batch, the front queues
 * the commands that arrive, and hands them over as the next batch once the write is done:
 * group commit. An entity then takes as many writes per second as its batch holds per
 * journal round trip, instead of one.
 *
 * <p>Before its first write it claims the resource's next leader epoch ({@link
 * fabric.core.epoch}): it loads the epochs, lets the entity recover (dropping superseded
 * leaders' orphans), claims the epoch that starts after what it recovered and only then
 * answers. A claim that loses (another leader started meanwhile) or fails stops the front;
 * its callers get ServiceUnavailable and the next request starts it again.
 *
 * <p>After each write it pushes the new events to the resource's followers ({@link
 * FollowerFeed}), and after a burst of writes one heartbeat with its sequence number, so a
 * follower that missed a push catches up.
 */
final class GroupCommitFront<C extends EntityCommand> extends AbstractBehavior<Object> {
  /** Most commands in one journal write: bounds the write's size and latency. */
  static final int MAX_BATCH_COMMANDS = 128;
  /** Most commands waiting; beyond that callers get ServiceUnavailable at once. */
  static final int MAX_QUEUED_COMMANDS = 4_096;
  /** Most commands waiting for a change (long polls); beyond that a wait ends at once. */
  static final int MAX_PARKED_COMMANDS = 1_000;

  /** Null until the epochs are loaded. */
  private ActorRef<EntityCommand> entity;
  private final ActorRef<CommandBatch.Durable> done;
  private final NodeLocation location;
  private final LeaderEpochStore epochs;
  private final String persistenceId;
  private final Duration epochTimeout;
  private EpochHistory history;
  /** The claimed epoch, 0 until then: nothing is answered before. */
  private long epoch;
  private final long startedNanos = System.nanoTime();
  /** When the epochs were loaded and the entity had recovered: for the start's log line. */
  private long loadedNanos;
  private long recoveredNanos;
  private final ResourceDefinition<C, ?, ?> definition;
  private final String entityId;
  /** The state the journal holds (null until the entity recovered); reads are answered
   *  from it without waiting for writes in flight, which are not acknowledged yet. */
  private Object durableState;
  private final ArrayDeque<EntityCommand> queue = new ArrayDeque<>();
  private final String label;
  /** Null when followers are off. */
  private final FollowerFeed feed;
  private final AckFence fence;
  private long durableSeqNr;
  private long heartbeatSeqNr;
  private boolean writing;
  private boolean stopping;
  private final TimerScheduler<Object> timers;
  /** Commands that wait for a change ({@link Outcome.Park}). */
  private final ParkedCommands parked;
  /** Null until the first read-back (most resources never read back). */
  private JournalReader reader;
  private boolean reading;
  /** The last read started, and whether events were written since: the same read of an
   *  unchanged resource would find the same, so it is not started again. */
  private JournalRead lastRead;
  private boolean writtenSinceRead;

  private record EventsRead(JournalRead read, List<JournalRead.Event<Object>> events,
      Throwable failure) {}

  private enum HeartbeatTick { INSTANCE }

  /** The definition's timed work ({@link ResourceDefinition#tickInterval}). */
  private enum DefinitionTick { INSTANCE }

  private record EpochsLoaded(EpochHistory history, Throwable failure) {}

  private record EpochClaimed(LeaderEpoch epoch, Boolean won, Throwable failure) {}

  /**
   * What sharding sends to passivate the entity or hand its shard off: the front finishes
   * the write in flight and the queued commands first, so no acknowledged-but-unanswered
   * request is cut off by a graceful leave.
   */
  enum Stop implements EntityCommand {
    INSTANCE;

    @Override
    public ActorRef<Reply> replyTo() {
      return null;
    }
  }

  private GroupCommitFront(ActorContext<Object> context, TimerScheduler<Object> timers,
      ResourceDefinition<C, ?, ?> definition, String entityId, NodeLocation location,
      FollowerFeed feed, Duration heartbeat, AckFence fence) {
    super(context);
    // Named here: Pekko otherwise guesses the logger from the stack of the first log call,
    // which after a pipeToSelf is one of its own classes (level WARN), and "leader
    // started" went missing from the drills' logs.
    context.setLoggerName(GroupCommitFront.class);
    this.definition = definition;
    this.feed = feed;
    this.fence = fence;
    this.timers = timers;
    this.parked = new ParkedCommands(timers, MAX_PARKED_COMMANDS);
    if (feed != null) {
      timers.startTimerWithFixedDelay(HeartbeatTick.INSTANCE, heartbeat);
    }
    if (definition.tickInterval() != null) {
      timers.startTimerWithFixedDelay(DefinitionTick.INSTANCE, definition.tickInterval());
    }
    this.entityId = entityId;
    this.label = definition.typeKey().name() + " " + entityId;
    this.done = context.getSelf().narrow();
    this.location = location;
    this.epochs = LeaderEpochs.get(context.getSystem()).store();
    this.persistenceId = ResourceEntity.persistenceId(definition, entityId).id();
    this.epochTimeout = context.getSystem().settings().config()
        .getDuration("fabric.leader-epochs.timeout");
    // Until the epoch is claimed every command waits in the queue, as behind a write.
    this.writing = true;
    context.pipeToSelf(epochs.load(persistenceId).toCompletableFuture()
        .orTimeout(epochTimeout.toMillis(), TimeUnit.MILLISECONDS), EpochsLoaded::new);
  }

  /** The stop message, typed as the entity's commands for Cluster Sharding's API. */
  @SuppressWarnings("unchecked")
  static <C extends EntityCommand> C stopMessage() {
    return (C) Stop.INSTANCE;
  }

  /** A front without followers (entity tests). */
  static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      Behavior<C> create(ResourceDefinition<C, E, S> definition, String entityId,
          NodeLocation location) {
    return create(definition, entityId, location, null, Duration.ofSeconds(1), AckFence.NONE);
  }

  @SuppressWarnings("unchecked")
  static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      Behavior<C> create(ResourceDefinition<C, E, S> definition, String entityId,
          NodeLocation location, FollowerFeed feed, Duration heartbeat, AckFence fence) {
    Behavior<Object> front = Behaviors.withTimers(timers -> Behaviors.setup(
        ctx -> new GroupCommitFront<C>(ctx, timers, definition, entityId, location, feed,
            heartbeat, fence)));
    return (Behavior<C>) (Behavior<?>) front;
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(CommandBatch.Durable.class, this::onDurable)
        .onMessage(EpochsLoaded.class, this::onEpochsLoaded)
        .onMessage(EpochClaimed.class, this::onEpochClaimed)
        .onMessage(Stop.class, s -> onStop())
        .onMessage(HeartbeatTick.class, t -> onHeartbeat())
        .onMessage(ParkedCommands.Wake.class, this::onWake)
        .onMessage(DefinitionTick.class, t -> onDefinitionTick())
        .onMessage(EventsRead.class, this::onEventsRead)
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .onMessage(EntityCommand.class, this::onCommand)
        .build();
  }

  private Behavior<Object> onEpochsLoaded(EpochsLoaded loaded) {
    if (loaded.failure() != null) {
      return giveUp("could not load its leader epochs: " + loaded.failure());
    }
    history = loaded.history();
    loadedNanos = System.nanoTime();
    entity = getContext().spawn(ResourceEntity.create(definition, entityId, location, done,
        fence, history), "leader");
    getContext().watch(entity);
    return stopping && queue.isEmpty() ? Behaviors.stopped() : this;
  }

  private Behavior<Object> onEpochClaimed(EpochClaimed claimed) {
    if (claimed.failure() != null) {
      return giveUp("could not claim leader epoch " + claimed.epoch().epoch() + ": "
          + claimed.failure());
    }
    if (!claimed.won()) {
      return giveUp("leader epoch " + claimed.epoch().epoch()
          + " was claimed by another leader meanwhile");
    }
    epoch = claimed.epoch().epoch();
    entity.tell(new ResourceEntity.UseEpoch(epoch));
    readBackIfWanted();
    long now = System.nanoTime();
    getContext().getLog().info("leader started: {} on node {} az {}, epoch {} from seqNr {}, "
            + "after {} ms (epochs loaded {} ms, replay {} ms, claim {} ms)", label,
        location.nodeId(), location.az(), epoch, claimed.epoch().startSeqNr(),
        (now - startedNanos) / 1_000_000, (loadedNanos - startedNanos) / 1_000_000,
        (recoveredNanos - loadedNanos) / 1_000_000, (now - recoveredNanos) / 1_000_000);
    return onWritten();
  }

  /** Stops without having answered anything: callers retry, a new start loads again. */
  private Behavior<Object> giveUp(String why) {
    getContext().getLog().warn("{} on node {} az {} stops: {}", label, location.nodeId(),
        location.az(), why);
    for (EntityCommand waiting : queue) {
      waiting.replyTo().tell(new Rejected(CommonErrors.ServiceUnavailable.withMessage(
          label + " is starting on another node or could not start; retry")));
    }
    queue.clear();
    parked.endAll();
    return Behaviors.stopped();
  }

  private Behavior<Object> onDurable(CommandBatch.Durable durable) {
    durableState = durable.state();
    durableSeqNr = durable.seqNr();
    if (epoch == 0) {
      // Recovered: claim the epoch that starts after everything this replay kept.
      recoveredNanos = System.nanoTime();
      LeaderEpoch next = history.next(durable.seqNr() + 1, location.nodeId());
      getContext().pipeToSelf(epochs.claim(persistenceId, next).toCompletableFuture()
              .orTimeout(epochTimeout.toMillis(), TimeUnit.MILLISECONDS),
          (won, failure) -> new EpochClaimed(next, won, failure));
      return this;
    }
    if (feed != null && !durable.events().isEmpty()) {
      feed.publish(entityId, durable.seqNr(), durable.events());
    }
    if (!durable.events().isEmpty()) {
      queue.addAll(parked.wakeAll()); // the state changed: what waited may go on now
      writtenSinceRead = true;
    }
    readBackIfWanted();
    durable.parked().forEach(p -> parked.park(p, stopping));
    return durable.batchDone() ? onWritten() : this;
  }

  private Behavior<Object> onHeartbeat() {
    if (durableSeqNr != heartbeatSeqNr) {
      feed.publish(entityId, durableSeqNr, List.of());
      heartbeatSeqNr = durableSeqNr;
    }
    return this;
  }

  @SuppressWarnings("unchecked")
  private Behavior<Object> onCommand(EntityCommand command) {
    var fenced = fence.fenced();
    if (fenced.isPresent()) {
      // Neither writes nor strong reads: a new leader may already be answering elsewhere.
      command.replyTo().tell(new Rejected(CommonErrors.ServiceUnavailable.withMessage(
          label + " is not available on this node (" + fenced.get() + "); retry")));
    } else if (epoch != 0 && definition.readOnly((C) command)) {
      answerRead((C) command);
    } else if (!writing) {
      send(List.of(command));
    } else if (queue.size() < MAX_QUEUED_COMMANDS) {
      queue.add(command);
    } else {
      command.replyTo().tell(new Rejected(CommonErrors.ServiceUnavailable.withMessage(
          label + " has " + MAX_QUEUED_COMMANDS + " requests waiting; slow down and retry")));
    }
    return this;
  }

  private Behavior<Object> onStop() {
    stopping = true;
    parked.endAll();
    return writing && (entity != null || !queue.isEmpty()) ? this : Behaviors.stopped();
  }

  private Behavior<Object> onWritten() {
    if (queue.isEmpty()) {
      writing = false;
      return stopping ? Behaviors.stopped() : this;
    }
    List<EntityCommand> next = new ArrayList<>(Math.min(queue.size(), MAX_BATCH_COMMANDS));
    while (!queue.isEmpty() && next.size() < MAX_BATCH_COMMANDS) {
      next.add(queue.poll());
    }
    send(next);
    return this;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void answerRead(C command) {
    Outcome outcome = ResourceEntity.decide((ResourceDefinition) definition,
        (fabric.core.serialization.CborSerializable) durableState, command, getContext(),
        entityId);
    if (outcome instanceof Outcome.Respond respond) {
      command.replyTo().tell(respond.reply());
    } else {
      getContext().getLog().error("{}: read-only {} decided to write; refused", label,
          command.getClass().getSimpleName());
      command.replyTo().tell(new Rejected(CommonErrors.InternalError.withMessage(
          "internal error handling " + command.getClass().getSimpleName())));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void readBackIfWanted() {
    if (reading || stopping || durableState == null) {
      return;
    }
    JournalRead want = ((ResourceDefinition) definition).journalRead(
        (fabric.core.serialization.CborSerializable) durableState);
    if (want == null || (want.equals(lastRead) && !writtenSinceRead)) {
      return;
    }
    lastRead = want;
    writtenSinceRead = false;
    if (reader == null) {
      reader = new JournalReader(getContext().getSystem());
    }
    reading = true;
    getContext().pipeToSelf(reader.<Object>read(persistenceId, history, want),
        (events, failure) -> new EventsRead(want, events, failure));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Behavior<Object> onEventsRead(EventsRead read) {
    reading = false;
    if (read.failure() != null) {
      // The next batch asks again.
      getContext().getLog().warn("{} on node {} az {}: reading events back from seqNr {} "
          + "failed: {}", label, location.nodeId(), location.az(), read.read().fromSeqNr(),
          read.failure().toString());
      writtenSinceRead = true; // so the next batch tries again
      return this;
    }
    if (!stopping) {
      onCommand((EntityCommand) ((ResourceDefinition) definition).eventsRead(read.read(),
          (List) read.events(), getContext().getSystem().ignoreRef()));
    }
    return this;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Behavior<Object> onDefinitionTick() {
    if (epoch != 0 && !stopping && durableState != null) {
      Object command = ((ResourceDefinition) definition).tick(
          (fabric.core.serialization.CborSerializable) durableState,
          definition.tickClock().millis(), getContext().getSystem().ignoreRef());
      if (command != null) {
        onCommand((EntityCommand) command);
      }
    }
    return this;
  }

  private Behavior<Object> onWake(ParkedCommands.Wake wake) {
    EntityCommand again = parked.woken(wake);
    if (again != null) {
      onCommand(again);
    }
    return this;
  }

  private void send(List<EntityCommand> commands) {
    writing = true;
    entity.tell(new CommandBatch(commands, done));
  }
}
