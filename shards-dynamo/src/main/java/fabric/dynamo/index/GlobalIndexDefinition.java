package fabric.dynamo.index;

import fabric.core.entity.Outcome;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceDefinition;
import fabric.dynamo.model.DynamoErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A global secondary index as one resource, fed asynchronously from its table's partitions:
 * on each tick the leader has {@link GlobalIndexFeeder} read the partitions' journals from
 * its cursors and hand the events back as an {@link IndexCommand.Apply}, decided here
 * (purely) into index changes. Writes to the table never wait for the index: it is
 * eventually consistent, as DynamoDB's.
 */
public final class GlobalIndexDefinition
    implements ResourceDefinition<IndexCommand, IndexEvent, IndexState> {
  public static final EntityTypeKey<IndexCommand> TYPE_KEY =
      EntityTypeKey.create(IndexCommand.class, "TableGlobalIndex");
  /** How often the index reads its partitions: the floor of its lag behind the table. */
  public static final Duration FEED_INTERVAL = Duration.ofMillis(200);
  private final GlobalIndexFeeder feeder;

  /** @param feeder null: no feeding (unit tests drive {@link IndexCommand.Apply} by hand) */
  public GlobalIndexDefinition(GlobalIndexFeeder feeder) {
    this.feeder = feeder;
  }

  @Override
  public EntityTypeKey<IndexCommand> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public IndexState emptyState(String entityId) {
    return IndexState.empty(entityId);
  }

  @Override
  public boolean readOnly(IndexCommand command) {
    return command instanceof IndexCommand.Query || command instanceof IndexCommand.Scan
        || command instanceof IndexCommand.Status;
  }

  /** Index reads are eventually consistent by definition and come from the leader: a
   *  follower would only copy every Applied event to each AZ once more. */
  @Override
  public boolean hasFollowers() {
    return false;
  }

  /** Fewest events between two snapshots. */
  static final long MIN_SNAPSHOT_EVERY_EVENTS = 1_024;

  /** As a partition's schedule: a snapshot holds every entry, so a large index takes one
   *  every (its KiB, rounded up to a power of two) events: about 1 KiB of snapshot per
   *  event, and recovery replays at most that many events. */
  @Override
  public long snapshotEveryEvents(IndexState state) {
    long kib = state.entries().sizeBytes() / 1024;
    return Math.max(MIN_SNAPSHOT_EVERY_EVENTS,
        kib <= 1 ? 1 : Long.highestOneBit(kib - 1) << 1);
  }

  @Override
  public Duration tickInterval() {
    return FEED_INTERVAL;
  }

  /** Starts a read of the partitions (at most one at a time per index); never a command:
   *  the read's result comes back as one. */
  @Override
  public IndexCommand tick(IndexState state, long nowMillis, ActorRef<Reply> replyTo) {
    if (feeder != null && state.initialized()) {
      feeder.feed(state.entityId(), state.cursors());
    }
    return null;
  }

  @Override
  public Outcome<IndexEvent, IndexState> decide(IndexState state, IndexCommand command) {
    if (command instanceof IndexCommand.Init init) {
      boolean same = state.initialized()
          && state.spec().keySchema().equals(init.spec().keySchema())
          && state.spec().projectionType().equals(init.spec().projectionType())
          && state.spec().nonKeyAttributes().equals(init.spec().nonKeyAttributes());
      return same ? Outcome.reply(new IndexReply.Done())
          : Outcome.persist(new IndexEvent.Initialized(init.spec(), init.tableKeys(),
              init.backfill()), s -> new IndexReply.Done());
    }
    if (command instanceof IndexCommand.Status) {
      return Outcome.reply(new IndexReply.Status(state.status(), state.entries().count(),
          state.entries().sizeBytes(), state.cursors()));
    }
    if (command instanceof IndexCommand.Drop) {
      return state.initialized() ? Outcome.persist(new IndexEvent.Dropped(),
          s -> new IndexReply.Done()) : Outcome.reply(new IndexReply.Done());
    }
    if (!state.initialized()) {
      throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found: "
          + "index " + state.entityId() + " is not set up");
    }
    if (command instanceof IndexCommand.Apply apply) {
      return apply(state, apply);
    }
    if (IndexState.CREATING.equals(state.status())) {
      throw DynamoErrors.validation("Cannot read from backfilling global secondary index: "
          + state.spec().name());
    }
    if (command instanceof IndexCommand.Query query) {
      return Outcome.reply(GlobalIndexReads.query(state, query));
    }
    return Outcome.reply(GlobalIndexReads.scan(state, (IndexCommand.Scan) command));
  }

  private static Outcome<IndexEvent, IndexState> apply(IndexState state,
      IndexCommand.Apply apply) {
    Map<String, IndexCommand.BasePartition> map = new HashMap<>();
    apply.partitions().forEach(p -> map.put(p.id(), p));
    // A map older than the one the cursors come from (it names the parent of a partition
    // already read: children are named by their parent's id and a letter) would undo the
    // split here: the read is dropped.
    for (String read : state.cursors().keySet()) {
      if (map.keySet().stream().anyMatch(p -> read.length() > p.length()
          && read.startsWith(p))) {
        return Outcome.reply(new IndexReply.Done());
      }
    }
    Map<String, Long> cursors = new HashMap<>();
    state.cursors().forEach((p, seq) -> {
      if (map.containsKey(p)) {
        cursors.put(p, seq); // a partition gone from the map (a split parent) is forgotten
      }
    });
    List<IndexEvent.TokenRange> resets = new ArrayList<>();
    List<IndexEvent.Change> changes = new ArrayList<>();
    for (IndexCommand.Batch b : apply.batches()) {
      Long at = state.cursors().get(b.partition());
      IndexCommand.BasePartition p = map.get(b.partition());
      if (p == null || (at == null ? b.fromSeqNr() != 1 : at != b.fromSeqNr())) {
        return Outcome.reply(new IndexReply.Done()); // read from a stale cursor: drop it
      }
      if (at == null) {
        resets.add(new IndexEvent.TokenRange(p.fromToken(), p.toToken()));
      }
      for (var e : b.events()) {
        IndexChanges.of(state.spec(), state.tableKeys(), e, changes);
      }
      cursors.put(b.partition(), b.nextSeqNr());
    }
    boolean nowActive = IndexState.CREATING.equals(state.status()) && apply.caughtUp()
        && map.keySet().stream().allMatch(cursors::containsKey);
    if (resets.isEmpty() && changes.isEmpty() && !nowActive
        && Objects.equals(cursors, state.cursors())) {
      return Outcome.reply(new IndexReply.Done());
    }
    return Outcome.persist(new IndexEvent.Applied(cursors, resets, changes, nowActive),
        s -> new IndexReply.Done());
  }

  @Override
  public IndexState evolve(IndexState s, IndexEvent event) {
    if (event instanceof IndexEvent.Initialized i) {
      return new IndexState(s.entityId(), i.spec(), i.tableKeys(),
          i.backfilling() ? IndexState.CREATING : IndexState.ACTIVE, Map.of(),
          GlobalIndexStore.empty());
    }
    if (event instanceof IndexEvent.Applied a) {
      GlobalIndexStore entries = s.entries();
      for (IndexEvent.TokenRange r : a.resets()) {
        entries = entries.withoutTokens(r.fromToken(), r.toToken());
      }
      for (IndexEvent.Change c : a.changes()) {
        entries = entries.set(c.baseKey(), c.entry());
      }
      return new IndexState(s.entityId(), s.spec(), s.tableKeys(),
          a.nowActive() ? IndexState.ACTIVE : s.status(), a.cursors(), entries);
    }
    return IndexState.empty(s.entityId());
  }
}
