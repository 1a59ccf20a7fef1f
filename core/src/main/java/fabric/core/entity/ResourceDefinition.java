package fabric.core.entity;

import fabric.core.serialization.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A resource type: its commands, events and state, and two pure functions. The framework
 * ({@link ResourceEntity}) turns it into a cluster-sharded, event-sourced leader.
 *
 * <p>Both functions must be deterministic and free of I/O and clock reads (time arrives in
 * the command), so that replaying the journal rebuilds exactly the same state and followers
 * can apply the same events.
 *
 * @param <C> commands
 * @param <E> events (what goes into the journal)
 * @param <S> state (immutable; what snapshots hold)
 */
public interface ResourceDefinition<
    C extends EntityCommand, E extends CborSerializable, S extends CborSerializable> {

  EntityTypeKey<C> typeKey();

  /** The state of an entity that has no events yet. */
  S emptyState(String entityId);

  /** Validates a command against the state and decides what happens. Throwing a
   *  {@link fabric.core.error.ServiceException} is the same as {@link Outcome#reject}. */
  Outcome<E, S> decide(S state, C command);

  /**
   * True for commands that never persist (queries). The entity answers them at once from
   * its durable state instead of queueing them behind writes in flight; their decide must
   * return {@link Outcome.Respond}.
   */
  default boolean readOnly(C command) {
    return false;
  }

  /**
   * Whether the resource has followers (read replicas in every AZ, when
   * {@code fabric.replication.followers} is on). Followers serve eventually consistent
   * reads and cost one push per write to each AZ; a resource without such reads is better
   * off without them (failover does not need them: a new leader recovers from the journal).
   */
  default boolean hasFollowers() {
    return true;
  }

  /**
   * Events this resource wants read back from its own journal now, or null: for data it
   * keeps only in the journal, out of its state (a queue's backlog beyond what it holds in
   * memory). Asked after recovery and after every write that persisted events; at most one
   * read runs at a time. The events come back as the command {@link #eventsRead} builds,
   * decided like any other; it must make progress (a later read starts further on) or the
   * resource stops asking.
   */
  default JournalRead journalRead(S state) {
    return null;
  }

  /** The command that hands the events {@code read} found (orphans dropped) to the entity;
   *  its reply is dropped. */
  default C eventsRead(JournalRead read, List<JournalRead.Event<E>> events,
      ActorRef<Reply> replyTo) {
    throw new UnsupportedOperationException(typeKey().name() + " reads no events back");
  }

  /**
   * How often the leader offers the resource a tick (timed work: a TTL sweep, expiry), or
   * null for never. Ticks run only while the leader is active (not passivated).
   */
  default java.time.Duration tickInterval() {
    return null;
  }

  /** The command a tick at {@code nowMillis} sends, decided from the durable state; null =
   *  nothing to do. Its reply is dropped. */
  default C tick(S state, long nowMillis, ActorRef<Reply> replyTo) {
    return null;
  }

  /**
   * The clock that gives ticks their {@code nowMillis}. The system clock; a definition
   * whose timed work tests must drive (a Kinesis shard's retention: hours) takes the
   * node's clock and returns it, so a test can move time for its ticks as for its service.
   */
  default java.time.Clock tickClock() {
    return java.time.Clock.systemUTC();
  }

  /** Applies one persisted event. */
  S evolve(S state, E event);

  /**
   * Snapshot every this many events, so recovery replays at most this many events however
   * long the history is. Events are kept (not deleted on snapshot) because followers and
   * projections read them.
   */
  default int snapshotEveryEvents() {
    return 1_000;
  }

  /**
   * Snapshot after an event whose sequence number is a multiple of this, given the state
   * (Pekko passes the state before that event). By default {@link #snapshotEveryEvents()}.
   * An entity whose state can grow
   * large (a DynamoDB partition holds up to its split size) returns more as it grows, so
   * that the bytes a snapshot costs per event stay bounded while recovery replays at most
   * this many events. Return powers of two times one base as the state changes size: the
   * snapshot points then stay nested, and a snapshot still comes within the largest value.
   */
  default long snapshotEveryEvents(S state) {
    return snapshotEveryEvents();
  }

  default int snapshotsToKeep() {
    return 2;
  }

  /**
   * Snapshot right after {@code event} as well, off the interval: for an event that lets the
   * journal's prefix go ({@link #journalDeletableUpTo}), whose deletion waits for snapshots
   * past it. False by default.
   */
  default boolean snapshotAfter(S state, E event) {
    return false;
  }

  /**
   * Journal events up to this sequence number (inclusive) hold nothing the resource still
   * needs. After each snapshot the leader deletes them, but never past the oldest of the
   * {@link #snapshotsToKeep} snapshots it saved itself (none before it saved that many), so
   * recovery never replays a deleted event, not even from the fallback snapshot. 0, the
   * default, keeps every event: followers and read-backs read them, so only a resource
   * without followers whose readers never start below this point may return more.
   * {@link Long#MAX_VALUE} means the resource is gone for good (its id is never used
   * again): its events and snapshots all go at once, and a later start recovers the empty
   * state; it must then persist nothing more.
   *
   * <p>A state that counts its events knows a lower bound of their journal sequence
   * numbers (orphans of superseded leaders take numbers too, pushing the real ones up):
   * compute the bound from that, never from a guess above it.
   */
  default long journalDeletableUpTo(S state) {
    return 0;
  }
}
