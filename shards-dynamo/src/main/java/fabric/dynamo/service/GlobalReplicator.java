package fabric.dynamo.service;

import fabric.core.entity.JournalRead;
import fabric.core.entity.JournalReader;
import fabric.core.entity.ResourceEntity;
import fabric.dynamo.global.ReplicaWrite;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionEvent;
import fabric.dynamo.partition.PartitionGlobal;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.partition.PartitionState;
import fabric.dynamo.table.TableCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feeds of global tables: for each partition of a global table led on this node (its
 * leader's ticks wake the feed), each other region's replica gets the partition's local
 * writes read back from its journal, from the cursor the partition keeps for that region,
 * as DynamoDB Streams reads them. Writes that arrived from another region are not in the
 * feed ({@link PartitionEvent.ReplicaApplied}), so nothing ping-pongs; a write shipped twice
 * (a crash between the ship and the cursor's event) is ignored there as not newer.
 *
 * <p>A feed polls its journal while its leader ticks, every {@link #MIN_IDLE_POLL_MILLIS}
 * after a write and backing off to {@link #MAX_IDLE_POLL_MILLIS} while idle (a journal
 * query per peer per poll is the cost of an idle global partition), and stops
 * {@link #STOP_AFTER_MILLIS} after the last tick (the leader moved or passivated: the next
 * leader's ticks start it there, from the cursor the partition keeps). While a peer cannot
 * be reached the feed keeps its partition awake (a Position ask now and then), so pending
 * writes are not left behind a passivated leader.
 */
public final class GlobalReplicator {
  static final long MIN_IDLE_POLL_MILLIS = 50;
  static final long MAX_IDLE_POLL_MILLIS = 1_000;
  static final long RETRY_MILLIS = 1_000;
  static final long STOP_AFTER_MILLIS = 15_000;
  /** Journal events per read (shipped in batches of {@link GlobalTables#SHIP_WRITES}). */
  static final int EVENTS_PER_READ = 200;
  private static final Logger log = LoggerFactory.getLogger(GlobalReplicator.class);
  private static final PartitionDefinition PARTITIONS = new PartitionDefinition();
  private final DynamoService dynamo;
  private final JournalReader journal;
  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

  public GlobalReplicator(DynamoService dynamo, JournalReader journal) {
    this.dynamo = dynamo;
    this.journal = journal;
  }

  /** A leader's tick of a global table's partition: its feed runs (or keeps running). */
  public void onTick(PartitionState state) {
    long now = dynamo.clock().millis();
    Feed started = new Feed(state.entityId());
    Feed feed = feeds.computeIfAbsent(state.entityId(), k -> started);
    feed.tick(state, now);
    if (feed == started) {
      feed.step();
    }
  }

  /** One partition's feeds to every other replica. */
  private final class Feed {
    private final String entityId;
    private final String account;
    private final String name;
    private final String persistenceId;
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private volatile String region;
    private volatile long lastTick;
    private volatile long idleDelay = MIN_IDLE_POLL_MILLIS;

    Feed(String entityId) {
      this.entityId = entityId;
      String[] parts = entityId.split("/"); // <account>/<region>/<name>/<tableId>/<partition>
      this.account = parts[0];
      this.name = parts[2];
      this.persistenceId = ResourceEntity.persistenceId(PARTITIONS, entityId).id();
    }

    void tick(PartitionState state, long now) {
      region = state.global().region();
      lastTick = now;
      cursors.keySet().retainAll(state.global().peers().keySet());
      state.global().peers().forEach((peer, at) -> cursors.merge(peer, at, Math::max));
    }

    void step() {
      if (dynamo.clock().millis() - lastTick > STOP_AFTER_MILLIS) {
        feeds.remove(entityId, this);
        return;
      }
      List<CompletableFuture<Boolean>> all = new ArrayList<>();
      for (String peer : List.copyOf(cursors.keySet())) {
        all.add(ship(peer).toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((v, failure) -> {
        long delay;
        if (failure != null) {
          log.debug("global table feed of {}: {}", entityId, failure.toString());
          dynamo.entities().ask(PartitionDefinition.TYPE_KEY, entityId,
              PartitionCommand.Position::new, PartitionReply.Position.class); // stay awake
          delay = RETRY_MILLIS;
        } else if (all.stream().anyMatch(CompletableFuture::join)) {
          idleDelay = MIN_IDLE_POLL_MILLIS;
          delay = 0;
        } else {
          delay = idleDelay;
          idleDelay = Math.min(MAX_IDLE_POLL_MILLIS, idleDelay * 2);
        }
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(this::step);
      });
    }

    /**
     * Ships the next writes to {@code peer}; true when it shipped some. Events that carry no
     * local write (replicated writes, the cursor's own events) only move the cursor in
     * memory: persisting it for them would make an event for the next read to find, forever.
     */
    private CompletionStage<Boolean> ship(String peer) {
      long from = cursors.getOrDefault(peer, Long.MAX_VALUE);
      return journal.<PartitionEvent>read(persistenceId, new JournalRead(from, EVENTS_PER_READ))
          .thenCompose(events -> {
            if (events.isEmpty()) {
              return CompletableFuture.completedFuture(false);
            }
            List<ReplicaWrite> writes = new ArrayList<>();
            for (JournalRead.Event<PartitionEvent> e : events) {
              writes.addAll(PartitionGlobal.writes(region, e.event()));
            }
            long next = events.get(events.size() - 1).seqNr() + 1;
            if (writes.isEmpty()) {
              cursors.merge(peer, next, Math::max);
              return CompletableFuture.completedFuture(false);
            }
            DynamoService target = dynamo.inRegion(peer);
            TableId id = target.table(account, name);
            return target.ask(id, TableCommand.Describe::new)
                .thenCompose(t -> GlobalTables.ship(target, t, writes))
                .thenCompose(v -> dynamo.entities().ask(PartitionDefinition.TYPE_KEY, entityId,
                    r -> new PartitionCommand.Shipped(peer, next, r), PartitionReply.Done.class))
                .thenApply(done -> {
                  cursors.merge(peer, next, Math::max);
                  return true;
                });
          });
    }
  }
}
