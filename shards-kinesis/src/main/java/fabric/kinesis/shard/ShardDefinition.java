package fabric.kinesis.shard;

import fabric.core.entity.Outcome;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceDefinition;
import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.model.SequenceNumbers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A Kinesis shard as a resource: records are numbered in arrival order and journaled in one
 * event per put (a group-commit batch of puts is one journal write); the state keeps only
 * counters and a coarse index, so readers read the records back from the journal
 * ({@link ShardIndex}). No followers: a reader reads the journal, which holds exactly what
 * was acknowledged, so there is nothing for a replica to serve.
 */
public final class ShardDefinition
    implements ResourceDefinition<ShardCommand, ShardEvent, ShardState> {
  public static final EntityTypeKey<ShardCommand> TYPE_KEY =
      EntityTypeKey.create(ShardCommand.class, "KinesisShard");
  /** How often the leader forgets records past retention by default
   *  ({@code fabric.kinesis.trim-interval}). AWS trims lazily too: records may stay
   *  readable a little past the period, never less. Each trim snapshots the shard (so the
   *  trimmed journal prefix can be deleted, {@link #journalDeletableUpTo}): the interval
   *  also bounds those snapshots to one a minute per shard with expiring records. */
  public static final Duration TRIM_INTERVAL = Duration.ofSeconds(60);
  /** AWS: a record's data plus partition key is at most 1 MiB. */
  public static final int MAX_RECORD_BYTES = 1024 * 1024;

  private final Clock clock;
  private final Duration trimInterval;

  /** The system clock, trims every {@link #TRIM_INTERVAL} (entity tests, journal ids). */
  public ShardDefinition() {
    this(Clock.systemUTC(), TRIM_INTERVAL);
  }

  /** @param clock the node's clock: ticks (trims) read it, so tests can move time */
  public ShardDefinition(Clock clock, Duration trimInterval) {
    if (trimInterval.isNegative() || trimInterval.isZero()) {
      throw new IllegalArgumentException("fabric.kinesis.trim-interval " + trimInterval);
    }
    this.clock = clock;
    this.trimInterval = trimInterval;
  }

  @Override
  public EntityTypeKey<ShardCommand> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public ShardState emptyState(String entityId) {
    return ShardState.empty(entityId);
  }

  @Override
  public boolean hasFollowers() {
    return false;
  }

  @Override
  public boolean readOnly(ShardCommand command) {
    return command instanceof ShardCommand.Describe || command instanceof ShardCommand.Locate;
  }

  /** Bytes of records a recovery replays at most (besides the snapshot). */
  static final long REPLAY_BYTES = 16L * 1024 * 1024;

  /**
   * Recovery replays the events since the last snapshot, record bodies included, so a shard
   * snapshots every 16 MiB of records on average: every 2^k events for the average event's
   * size, between 16 (large records at the write limit: a ~750 KB snapshot per 16 MiB of
   * data at worst) and 1,024 (small puts).
   */
  @Override
  public long snapshotEveryEvents(ShardState state) {
    long averageEventBytes = Math.max(1, state.recordBytes() / Math.max(1,
        state.appliedEvents()));
    return Math.max(16, Math.min(1_024, Long.highestOneBit(REPLAY_BYTES / averageEventBytes)));
  }

  @Override
  public Duration tickInterval() {
    return trimInterval;
  }

  @Override
  public Clock tickClock() {
    return clock;
  }

  @Override
  public ShardCommand tick(ShardState state, long nowMillis, ActorRef<Reply> replyTo) {
    return state.opened() && !state.deleted()
        && firstKeptAt(state, nowMillis) > state.firstKeptRecordNumber()
        ? new ShardCommand.Trim(nowMillis, replyTo) : null;
  }

  /** The first record younger than the retention period at {@code nowMillis}, at the
   *  index's granularity (rounded down: a record is kept too long, never too short): the
   *  first of the first checkpoint whose records did not all arrive before the cutoff. */
  static long firstKeptAt(ShardState state, long nowMillis) {
    long cutoff = nowMillis - state.retentionHours() * 3_600_000L;
    if (state.lastArrivalMillis() < cutoff) {
      return state.nextRecordNumber(); // everything is older
    }
    Checkpoint young = state.index().firstHoldingArrivalAtOrAfter(cutoff);
    return young == null ? state.firstKeptRecordNumber()
        : Math.max(state.firstKeptRecordNumber(), young.firstRecordNumber());
  }

  /** A trim lets a journal prefix go once snapshots past it exist: snapshot at once rather
   *  than at the next interval, which an idle shard may never reach. */
  @Override
  public boolean snapshotAfter(ShardState state, ShardEvent event) {
    return event instanceof ShardEvent.Trimmed;
  }

  /**
   * The journal events whose records are all past retention: those before the checkpoint
   * a reader of the first kept record starts from (a checkpoint's journal number is a lower
   * bound of its event's, so every event before it holds only earlier records), or every
   * event applied when no record is kept. Readers never go below: a position is located
   * through the same checkpoint, and an older iterator is moved up to the first kept record
   * before it reads. A deleted shard's whole journal goes.
   */
  @Override
  public long journalDeletableUpTo(ShardState state) {
    if (state.deleted()) {
      return Long.MAX_VALUE;
    }
    long firstKept = state.firstKeptRecordNumber();
    if (firstKept == 0) {
      return 0;
    }
    if (firstKept >= state.nextRecordNumber()) {
      return state.appliedEvents();
    }
    Checkpoint from = state.index().forRecord(firstKept);
    return from == null || from.firstRecordNumber() > firstKept ? 0
        : from.journalSeqNrAtLeast() - 1;
  }

  @Override
  public Outcome<ShardEvent, ShardState> decide(ShardState state, ShardCommand command) {
    if (command instanceof ShardCommand.Delete) {
      return state.deleted() || !state.opened() ? Outcome.reply(new ShardReply.Done())
          : Outcome.persist(new ShardEvent.Deleted(), s -> new ShardReply.Done());
    }
    if (state.deleted()) {
      throw KinesisErrors.ResourceNotFoundException.exception("Shard " + state.entityId()
          + " not found: its stream was deleted.");
    }
    if (command instanceof ShardCommand.Open open) {
      return state.opened() ? Outcome.reply(new ShardReply.Done())
          : Outcome.persist(new ShardEvent.Opened(open.startingHashKey(), open.endingHashKey(),
              open.parentShardId(), open.adjacentParentShardId(), open.retentionHours(),
              open.enforceLimits(), open.nowMillis()), s -> new ShardReply.Done());
    }
    if (!state.opened()) {
      throw KinesisErrors.ResourceNotFoundException.exception("Shard " + state.entityId()
          + " not found.");
    }
    if (command instanceof ShardCommand.Put put) {
      return put(state, put);
    }
    if (command instanceof ShardCommand.Close close) {
      return state.closed() ? Outcome.reply(new ShardReply.ShardClosed(
          state.nextRecordNumber() - 1)) : Outcome.persist(new ShardEvent.Closed(
              state.nextRecordNumber() - 1, Math.max(1, close.nowMillis())),
              s -> new ShardReply.ShardClosed(s.nextRecordNumber() - 1));
    }
    if (command instanceof ShardCommand.SetRetention set) {
      return set.retentionHours() == state.retentionHours() ? Outcome.reply(
          new ShardReply.Done()) : Outcome.persist(new ShardEvent.RetentionChanged(
              set.retentionHours()), s -> new ShardReply.Done());
    }
    if (command instanceof ShardCommand.Trim trim) {
      long firstKept = firstKeptAt(state, trim.nowMillis());
      return firstKept <= state.firstKeptRecordNumber() ? Outcome.reply(new ShardReply.Done())
          : Outcome.persist(new ShardEvent.Trimmed(firstKept), s -> new ShardReply.Done());
    }
    if (command instanceof ShardCommand.Describe) {
      return Outcome.reply(new ShardReply.Status(state.startingHashKey(),
          state.endingHashKey(), state.parentShardId(), state.adjacentParentShardId(),
          state.createdMillis(), state.firstKeptRecordNumber(), state.nextRecordNumber() - 1,
          state.lastArrivalMillis(), state.retentionHours(), state.closedAtMillis()));
    }
    if (command instanceof ShardCommand.Locate locate) {
      return Outcome.reply(locate(state, locate));
    }
    throw new IllegalArgumentException("unknown shard command " + command);
  }

  private static Outcome<ShardEvent, ShardState> put(ShardState state, ShardCommand.Put put) {
    if (state.closed()) {
      return Outcome.reply(new ShardReply.ShardClosed(state.nextRecordNumber() - 1));
    }
    List<ShardRecord> records = put.records();
    if (records.isEmpty() || records.size() > SequenceNumbers.MAX_RECORDS_PER_EVENT) {
      throw new IllegalArgumentException("a put of " + records.size() + " records");
    }
    int[] sizes = new int[records.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = records.get(i).sizeBytes();
      if (sizes[i] > MAX_RECORD_BYTES) {
        throw KinesisErrors.ValidationException.exception("1 validation error detected: "
            + "Value at 'data' failed to satisfy constraint: Member must have length less "
            + "than or equal to " + MAX_RECORD_BYTES);
      }
    }
    // Arrival times never go back, even when a new leader's clock is behind the old one's:
    // readers rely on them growing with record numbers.
    long arrival = Math.max(put.nowMillis(), state.lastArrivalMillis());
    // The limits count by the clock as it is, not by the arrival: after the clock went back
    // (a serving node whose clock was ahead is right again) the arrival stands
    // still until the clock catches up, and a bucket counted by it would never refill.
    int accepted = state.enforceLimits() ? state.writeBucket().admits(sizes, put.nowMillis())
        : records.size();
    long first = state.nextRecordNumber();
    if (accepted == 0) {
      return Outcome.reply(new ShardReply.Appended(first, 0));
    }
    return Outcome.persist(new ShardEvent.RecordsPut(first, arrival,
        List.copyOf(records.subList(0, accepted)), put.nowMillis()),
        s -> new ShardReply.Appended(first, accepted));
  }

  private static ShardReply.Location locate(ShardState state, ShardCommand.Locate locate) {
    // Retention as of the caller's clock, not as of the last trim: a shard that slept
    // (passivated) trims only a tick after it wakes, and its expired records must not be
    // readable meanwhile.
    long firstKept = firstKeptAt(state, locate.nowMillis());
    long from = Math.max(locate.recordNumber(), firstKept);
    if (locate.timestampMillis() < 0 && from >= state.nextRecordNumber()) {
      // The tip (LATEST): the next record comes in the next event.
      return new ShardReply.Location(state.appliedEvents() + 1, state.nextRecordNumber(),
          state.nextRecordNumber(), state.lastArrivalMillis(), state.closedAtMillis(),
          state.appliedEvents() + 1);
    }
    Checkpoint start = locate.timestampMillis() >= 0
        ? state.index().forTimestamp(locate.timestampMillis()) : state.index().forRecord(from);
    long journalFrom = start == null ? state.appliedEvents() + 1 : start.journalSeqNrAtLeast();
    if (start != null && locate.timestampMillis() >= 0) {
      from = Math.max(firstKept, start.firstRecordNumber());
    }
    return new ShardReply.Location(journalFrom, from, state.nextRecordNumber(),
        state.lastArrivalMillis(), state.closedAtMillis(), state.appliedEvents() + 1);
  }

  @Override
  public ShardState evolve(ShardState state, ShardEvent event) {
    ShardState s = apply(state, event);
    return s.counted();
  }

  private static ShardState apply(ShardState s, ShardEvent event) {
    if (event instanceof ShardEvent.RecordsPut put) {
      long bytes = 0;
      for (ShardRecord r : put.records()) {
        bytes += r.sizeBytes();
      }
      // The event about to be counted is at journal sequence number appliedEvents + 1 or
      // later.
      Checkpoint here = new Checkpoint(put.firstRecordNumber(), s.appliedEvents() + 1,
          put.arrivalMillis(), put.arrivalMillis());
      return s.with(s.index().after(here, ShardIndex.spacingMillis(s.retentionHours())),
          put.firstRecordNumber() + put.records().size(), bytes, put.arrivalMillis(),
          s.enforceLimits() ? s.writeBucket().consume(put.records().size(), bytes,
              put.limitsMillis()) : s.writeBucket());
    }
    if (event instanceof ShardEvent.Opened o) {
      return new ShardState(s.entityId(), true, o.startingHashKey(), o.endingHashKey(),
          o.parentShardId(), o.adjacentParentShardId(), o.retentionHours(), o.enforceLimits(),
          o.atMillis(), 0, 0, s.appliedEvents(), 0, 0, ShardIndex.EMPTY,
          new WriteBucket(WriteBucket.RECORDS_PER_SECOND, WriteBucket.BYTES_PER_SECOND,
              o.atMillis()), 0, false);
    }
    if (event instanceof ShardEvent.Closed c) {
      return s.closedAt(c.atMillis());
    }
    if (event instanceof ShardEvent.RetentionChanged r) {
      return s.withRetention(r.retentionHours());
    }
    if (event instanceof ShardEvent.Deleted) {
      return s.deletedNow();
    }
    if (event instanceof ShardEvent.Trimmed t) {
      return s.trimmed(t.firstKeptRecordNumber(), s.index().trimmedBefore(
          t.firstKeptRecordNumber()));
    }
    throw new IllegalArgumentException("unknown shard event " + event);
  }
}
