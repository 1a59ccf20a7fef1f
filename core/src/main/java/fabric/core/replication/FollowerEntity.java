package fabric.core.replication;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Outcome;
import fabric.core.entity.Rejected;
import fabric.core.entity.ResourceDefinition;
import fabric.core.entity.ResourceEntity;
import fabric.core.error.CommonErrors;
import fabric.core.serialization.CborSerializable;
import fabric.core.topology.NodeLocation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A read replica of one resource in one AZ. It starts from the journal (as a new leader
 * would), then applies the events its leader pushes in sequence-number order. A push that
 * does not follow what it has applied (a lost push, a new leader after failover, a
 * heartbeat announcing more than it has) makes it catch up from the journal again; pushes
 * that arrive meanwhile wait and are applied afterwards. It answers the resource's
 * read-only commands from its state, which may be behind the leader's: eventual
 * consistency.
 */
final class FollowerEntity<C extends EntityCommand, E extends CborSerializable,
        S extends CborSerializable> extends AbstractBehavior<Object> {
  /** Reads waiting for the first catch-up; beyond that callers get ServiceUnavailable. */
  static final int MAX_WAITING_READS = 1_000;
  /** Pushes kept while catching up; older ones are dropped (the catch-up covers them). */
  static final int MAX_PENDING_PUSHES = 1_000;
  private static final Duration CATCH_UP_RETRY = Duration.ofMillis(500);
  /**
   * Failed catch-ups back off up to this: a replay that fails for good (two writers at one
   * sequence number, with the replay filter set to fail) must not flood the log.
   */
  static final Duration MAX_CATCH_UP_BACKOFF = Duration.ofSeconds(30);

  private enum RetryCatchUp { INSTANCE }

  private final ResourceDefinition<C, E, S> definition;
  private final String resourceId;
  private final String az;
  private final String label;
  private final NodeLocation location;
  private final ReplicationStatus status;
  private final TimerScheduler<Object> timers;
  private final TreeMap<Long, Replicate> pending = new TreeMap<>();
  private final ArrayDeque<C> waitingReads = new ArrayDeque<>();
  private final long startedNanos = System.nanoTime();

  /** Null until the first catch-up finished. */
  private S state;
  private long appliedSeqNr;
  private long leaderSeqNr;
  private long lastApplyDelayMillis;
  private int failedCatchUps;
  /** The running catch-up, or null. */
  private ActorRef<Object> replay;
  private int catchUps;

  private FollowerEntity(ActorContext<Object> context, TimerScheduler<Object> timers,
      ResourceDefinition<C, E, S> definition, String followerId, NodeLocation location) {
    super(context);
    context.setLoggerName(FollowerEntity.class); // not guessed from a stack (GroupCommitFront)
    this.timers = timers;
    this.definition = definition;
    this.resourceId = FollowerIds.resourceIdOf(followerId);
    this.az = FollowerIds.azOf(followerId);
    this.label = definition.typeKey().name() + " " + resourceId + " follower in " + az;
    this.location = location;
    this.status = ReplicationStatus.get(context.getSystem());
    startCatchUp();
  }

  static <C extends EntityCommand, E extends CborSerializable, S extends CborSerializable>
      Behavior<Object> create(ResourceDefinition<C, E, S> definition, String followerId,
          NodeLocation location) {
    return Behaviors.withTimers(timers -> Behaviors.setup(
        ctx -> new FollowerEntity<>(ctx, timers, definition, followerId, location)));
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(Replicate.class, this::onReplicate)
        .onMessage(JournalReplay.Recovered.class, this::onRecovered)
        .onMessage(RetryCatchUp.class, r -> {
          startCatchUp();
          return this;
        })
        .onMessage(EntityCommand.class, this::onRead)
        .onSignal(Terminated.class, this::onCatchUpFailed)
        .onSignal(PostStop.class, s -> {
          status.remove(definition.typeKey().name(), az, resourceId);
          return this;
        })
        .build();
  }

  private Behavior<Object> onReplicate(Replicate push) {
    leaderSeqNr = Math.max(leaderSeqNr, push.leaderSeqNr());
    if (state == null || replay != null) {
      keep(push);
    } else if (push.leaderSeqNr() > appliedSeqNr) {
      if (push.fromSeqNr() <= appliedSeqNr + 1) {
        apply(push);
        applyPending();
      } else {
        keep(push);
        getContext().getLog().debug("{}: gap after seqNr {} (push from {}), catching up",
            label, appliedSeqNr, push.fromSeqNr());
        startCatchUp();
      }
    }
    publishStatus();
    return this;
  }

  @SuppressWarnings("unchecked")
  private void apply(Replicate push) {
    for (int i = 0; i < push.events().size(); i++) {
      long seqNr = push.fromSeqNr() + i;
      if (seqNr <= appliedSeqNr) {
        continue;
      }
      E event = (E) push.events().get(i).deserialize(getContext().getSystem());
      state = Objects.requireNonNull(definition.evolve(state, event), "evolve returned null");
      appliedSeqNr = seqNr;
    }
    lastApplyDelayMillis = Math.max(0, System.currentTimeMillis() - push.committedAtMillis());
  }

  private void keep(Replicate push) {
    if (push.events().isEmpty()) {
      return;
    }
    pending.put(push.fromSeqNr(), push);
    if (pending.size() > MAX_PENDING_PUSHES) {
      pending.pollFirstEntry();
    }
  }

  /** Applies the kept pushes that now follow on; stops at the first gap. */
  private void applyPending() {
    while (!pending.isEmpty()) {
      Replicate first = pending.firstEntry().getValue();
      if (first.leaderSeqNr() <= appliedSeqNr) {
        pending.pollFirstEntry();
      } else if (first.fromSeqNr() <= appliedSeqNr + 1) {
        pending.pollFirstEntry();
        apply(first);
      } else {
        return;
      }
    }
  }

  private void startCatchUp() {
    if (replay != null) {
      return;
    }
    catchUps++;
    replay = getContext().spawn(JournalReplay.create(definition, resourceId,
        getContext().getSelf()), "catch-up-" + catchUps);
    getContext().watch(replay);
  }

  @SuppressWarnings("unchecked")
  private Behavior<Object> onRecovered(JournalReplay.Recovered recovered) {
    getContext().unwatch(replay);
    getContext().stop(replay);
    replay = null;
    boolean first = state == null;
    if (first || recovered.seqNr() > appliedSeqNr) {
      state = (S) recovered.state();
      appliedSeqNr = recovered.seqNr();
    }
    leaderSeqNr = Math.max(leaderSeqNr, appliedSeqNr);
    failedCatchUps = 0;
    applyPending();
    if (first) {
      getContext().getLog().info("follower started: {} {} in az {} on node {} at seqNr {} "
          + "after {} ms of journal replay", definition.typeKey().name(), resourceId, az,
          location.nodeId(), appliedSeqNr, (System.nanoTime() - startedNanos) / 1_000_000);
      while (!waitingReads.isEmpty()) {
        answer(waitingReads.poll());
      }
    }
    if (leaderSeqNr > appliedSeqNr) {
      // The journal had not caught up with a push yet (read before its write landed):
      // try again shortly rather than spin.
      timers.startSingleTimer(RetryCatchUp.INSTANCE, CATCH_UP_RETRY);
    }
    publishStatus();
    return this;
  }

  private Behavior<Object> onCatchUpFailed(Terminated terminated) {
    if (terminated.getRef().equals(replay)) {
      replay = null;
      Object cause = terminated instanceof ChildFailed failed ? failed.getCause() : "stopped";
      Duration backoff = catchUpBackoff(failedCatchUps++);
      getContext().getLog().warn("{}: journal catch-up failed {} time(s) in a row ({}); "
          + "retrying in {} ms", label, failedCatchUps, cause, backoff.toMillis());
      timers.startSingleTimer(RetryCatchUp.INSTANCE, backoff);
    }
    return this;
  }

  /** 500 ms, doubling per failure in a row, at most {@link #MAX_CATCH_UP_BACKOFF}. */
  static Duration catchUpBackoff(int failuresBefore) {
    long millis = CATCH_UP_RETRY.toMillis() << Math.min(failuresBefore, 10);
    return Duration.ofMillis(Math.min(millis, MAX_CATCH_UP_BACKOFF.toMillis()));
  }

  @SuppressWarnings("unchecked")
  private Behavior<Object> onRead(EntityCommand message) {
    C command = (C) message;
    if (!definition.readOnly(command)) {
      getContext().getLog().error("{}: {} is not read-only; followers only read", label,
          command.getClass().getSimpleName());
      command.replyTo().tell(new Rejected(CommonErrors.InternalError.withMessage(
          "internal error handling " + command.getClass().getSimpleName())));
    } else if (state != null) {
      answer(command);
    } else if (waitingReads.size() < MAX_WAITING_READS) {
      waitingReads.add(command);
    } else {
      command.replyTo().tell(new Rejected(CommonErrors.ServiceUnavailable.withMessage(
          label + " is still loading; retry")));
    }
    return this;
  }

  private void answer(C command) {
    Outcome<E, S> outcome = ResourceEntity.decide(definition, state, command, getContext(),
        resourceId);
    if (outcome instanceof Outcome.Respond<E, S> respond) {
      command.replyTo().tell(respond.reply());
    } else {
      getContext().getLog().error("{}: read-only {} decided to write; refused", label,
          command.getClass().getSimpleName());
      command.replyTo().tell(new Rejected(CommonErrors.InternalError.withMessage(
          "internal error handling " + command.getClass().getSimpleName())));
    }
  }

  private void publishStatus() {
    if (state != null) {
      status.update(new FollowerStatus(definition.typeKey().name(), resourceId, az,
          location.nodeId(), appliedSeqNr, leaderSeqNr, lastApplyDelayMillis,
          System.currentTimeMillis()));
    }
  }
}
