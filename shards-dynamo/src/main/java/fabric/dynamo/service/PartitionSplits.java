package fabric.dynamo.service;

import fabric.core.entity.EntityClient;
import fabric.core.replication.ReadPreference;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.table.TableCommand;
import fabric.dynamo.table.TableDefinition;
import fabric.dynamo.table.TableReply;
import fabric.dynamo.table.TableState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a partition that grew past the policy's size or took more writes per second than
 * it allows ({@link SplitPolicy}), while the table serves: the parent
 * freezes (reads go on, writes answer "retry" for the moment of the copy), its items are
 * copied into two children that halve its token range, the table's map then points at the
 * children (the parent's stream shard closed, see fabric.dynamo.stream.StreamShards), and
 * the parent's items are dropped (its journal stays: the closed shard's records). Every step
 * is idempotent, so a split cut by a crash is finished by the next one that finds the parent
 * frozen.
 */
final class PartitionSplits {
  private static final Logger log = LoggerFactory.getLogger(PartitionSplits.class);
  /** Writes to a table between two size checks of the partition written. */
  static final int CHECK_EVERY_WRITES = 100;
  private final DynamoService dynamo;
  private final SplitPolicy policy;
  private final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();
  /** Per partition entity, the first position seen in the current rate window. At most one
   *  per partition this node wrote to; a split parent's goes with it. */
  private final Map<String, RateSample> rateSamples = new ConcurrentHashMap<>();
  /** The splits this node drives, by parent partition entity id: a write that finds the
   *  parent frozen waits for the split in progress instead of failing. */
  private final Map<String, CompletableFuture<TableState>> splitting =
      new ConcurrentHashMap<>();

  private record RateSample(long appliedEvents, long atMillis) {}

  PartitionSplits(DynamoService dynamo, SplitPolicy policy) {
    this.dynamo = dynamo;
    this.policy = policy;
  }

  /** After a write to a partition (its entity id): now and then, its size and write rate;
   *  a split past either limit. */
  void afterWrite(TableId id, TableState table, String partitionEntityId) {
    String partition = partitionEntityId.substring(partitionEntityId.lastIndexOf('/') + 1);
    long n = writes.computeIfAbsent(id.entityId(), k -> new AtomicLong()).incrementAndGet();
    // A global table's partitions do not split yet: the children would need its versions,
    // tombstones and feed cursors (GlobalTables).
    if (n % CHECK_EVERY_WRITES != 0 || splitting.containsKey(partitionEntityId)
        || !table.replicas().isEmpty()) {
      return;
    }
    EntityClient entities = dynamo.entities();
    entities.ask(PartitionDefinition.TYPE_KEY, partitionEntityId,
        PartitionCommand.Position::new, PartitionReply.Position.class).thenAccept(p -> {
          if (p.sizeBytes() > policy.sizeBytes()) {
            split(id, table, partition);
          } else if (tooHot(table, partition, partitionEntityId, p.appliedEvents())) {
            log.info("table {}: partition {} took more than {} writes/s over at least {} ms: "
                + "splitting it for throughput", id.entityId(), partition, policy.writesPerSecond(),
                SplitPolicy.RATE_WINDOW_MILLIS);
            split(id, table, partition);
          }
        });
  }

  /** Whether the partition's write rate since the window's first sample is past the
   *  policy's; a window at least {@link SplitPolicy#RATE_WINDOW_MILLIS} long starts over. */
  private boolean tooHot(TableState table, String partition, String entityId,
      long appliedEvents) {
    long now = dynamo.clock().millis();
    RateSample first = rateSamples.computeIfAbsent(entityId,
        k -> new RateSample(appliedEvents, now));
    long millis = now - first.atMillis();
    if (millis < SplitPolicy.RATE_WINDOW_MILLIS) {
      return false;
    }
    rateSamples.put(entityId, new RateSample(appliedEvents, now));
    long[] range = tokenRange(table, partition);
    return range != null && policy.tooHot(appliedEvents - first.appliedEvents(), millis)
        && SplitPolicy.wideEnoughForThroughputSplit(range[0], range[1]);
  }

  /** The partition's first and last token, or null when the map no longer has it. */
  private static long[] tokenRange(TableState table, String partition) {
    List<TableState.Partition> partitions = table.partitions();
    for (int i = 0; i < partitions.size(); i++) {
      if (partitions.get(i).id().equals(partition)) {
        long to = i + 1 < partitions.size() ? partitions.get(i + 1).fromToken() - 1
            : Long.MAX_VALUE;
        return new long[] {partitions.get(i).fromToken(), to};
      }
    }
    return null;
  }

  /** How often a node that does not drive a split looks whether its driver finished it. */
  static final long FINISH_POLL_MILLIS = 100;
  /** How long it waits for another node's split before it finishes the split itself (its
   *  driver presumed gone): a split copies at most the split size, which takes seconds. */
  static final int FINISH_POLLS = 100;

  /** A write found {@code partitionEntityId} frozen: waits for the split that froze it to
   *  end, finishing it if its driver seems gone; then the write can go to the child. */
  CompletionStage<TableState> finish(TableId id, String partitionEntityId) {
    return finish(id, partitionEntityId, FINISH_POLLS);
  }

  private CompletionStage<TableState> finish(TableId id, String partitionEntityId,
      int pollsLeft) {
    String partition = partitionEntityId.substring(partitionEntityId.lastIndexOf('/') + 1);
    CompletableFuture<TableState> running = splitting.get(partitionEntityId);
    if (running != null) {
      return running; // this node drives it: wait for its end
    }
    // The map as it is now (the split may be over), without dropping the cache for every
    // other caller: a burst of writes to a frozen partition would each ask the table.
    return dynamo.ask(id, TableCommand.Describe::new).thenCompose(t -> {
      dynamo.remember(id, t); // the write that retries routes by this map
      if (t.partitions().stream().noneMatch(p -> p.id().equals(partition))) {
        return CompletableFuture.completedFuture(t);
      }
      if (pollsLeft == 0) {
        return split(id, t, partition);
      }
      // Another node is probably copying: look again shortly rather than copy it twice.
      return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
          FINISH_POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS))
          .thenCompose(v -> finish(id, partitionEntityId, pollsLeft - 1));
    });
  }

  /** Splits {@code partition} of {@code table} in two (at the middle of its token range). */
  CompletionStage<TableState> split(TableId id, TableState table, String partition) {
    String parent = id.partitionEntityId(table.tableId(), partition);
    CompletableFuture<TableState> mine = new CompletableFuture<>();
    CompletableFuture<TableState> running = splitting.putIfAbsent(parent, mine);
    if (running != null) {
      return running; // this node drives it already: wait for its end
    }
    long[] range = tokenRange(table, partition);
    if (range == null || range[0] == range[1]) {
      // Split meanwhile, or one token: nothing to halve.
      splitting.remove(parent);
      mine.complete(table);
      return mine;
    }
    long startedMillis = dynamo.clock().millis();
    driveSplit(id, table, partition, parent, range[0], range[1]).whenComplete((t, failure) -> {
      splitting.remove(parent);
      log.info("table {}: split of {} ended after {} ms{}", id.entityId(), partition,
          dynamo.clock().millis() - startedMillis, failure == null ? "" : " (unfinished)");
      if (failure != null) {
        log.warn("table {}: split of {} not finished yet (the next write that finds it "
            + "frozen finishes it): {}", id.entityId(), partition, failure.toString());
        mine.completeExceptionally(failure);
      } else {
        mine.complete(t);
      }
    });
    return mine;
  }

  private CompletionStage<TableState> driveSplit(TableId id, TableState table,
      String partition, String parent, long from, long to) {
    long mid = midToken(from, to);
    String low = partition + "a";
    String high = partition + "b";
    EntityClient entities = dynamo.entities();
    long now = dynamo.clock().millis();
    double share = DynamoService.writeShare(table) * table.partitions().size()
        / (table.partitions().size() + 1);
    log.info("table {}: splitting partition {} (tokens {}..{}) into {} and {} at {}",
        id.entityId(), partition, from, to, low, high, mid);
    return entities.ask(PartitionDefinition.TYPE_KEY, parent,
            r -> new PartitionCommand.Freeze(low, high, mid, now, r), PartitionReply.Done.class)
        // Frozen, the parent's journal takes no more item changes: its stream shard ends here.
        .thenCompose(f -> entities.ask(PartitionDefinition.TYPE_KEY, parent,
            PartitionCommand.Position::new, PartitionReply.Position.class))
        .thenCompose(ending -> CompletableFuture.allOf(
            init(id, table, low, share).toCompletableFuture(),
            init(id, table, high, share).toCompletableFuture())
        .thenCompose(v -> copy(id, table, parent, low, high, mid, null))
        .thenCompose(v -> entities.ask(TableDefinition.TYPE_KEY, id.entityId(),
            r -> new TableCommand.Split(partition, low, high, mid, ending.appliedEvents(),
                dynamo.clock().millis(), r),
            TableReply.Description.class)))
        .thenCompose(split -> {
          dynamo.forget(id);
          rateSamples.remove(parent);
          return entities.ask(PartitionDefinition.TYPE_KEY, parent, PartitionCommand.Drop::new,
              PartitionReply.Done.class).thenApply(d -> split.table());
        });
  }

  /**
   * Where {@code [from, to]} (from < to) splits: the first token of its upper half. The
   * range's width is taken as unsigned, since a whole table's range is all 2^64 tokens.
   */
  static long midToken(long from, long to) {
    return from + ((to - from) >>> 1) + 1;
  }

  private CompletionStage<PartitionReply.Done> init(TableId id, TableState t, String child,
      double share) {
    EntityClient entities = dynamo.entities();
    String entity = id.partitionEntityId(t.tableId(), child);
    return entities.ask(PartitionDefinition.TYPE_KEY, entity,
        r -> new PartitionCommand.Init(t.spec().keySchema(), t.spec().localIndexes(), share,
            t.spec().streamViewType(), dynamo.clock().millis(), r), PartitionReply.Done.class)
        .thenCompose(d -> t.ttlAttribute() == null ? CompletableFuture.completedFuture(d)
            : entities.ask(PartitionDefinition.TYPE_KEY, entity,
                r -> new PartitionCommand.SetTimeToLive(t.ttlAttribute(), r),
                PartitionReply.Done.class));
  }

  /** Copies the parent's items page by page (1 MB), each into the child of its token. */
  private CompletionStage<Void> copy(TableId id, TableState t, String parent, String low,
      String high, long mid, Map<String, fabric.dynamo.model.AttributeValue> after) {
    EntityClient entities = dynamo.entities();
    return entities.ask(PartitionDefinition.TYPE_KEY, parent, ReadPreference.STRONG,
        r -> new PartitionCommand.Scan(after, Long.MIN_VALUE, Long.MAX_VALUE, 10_000,
            DynamoQueries.PAGE_BYTES, RequestExpressions.NONE, r), PartitionReply.Page.class)
        .thenCompose(page -> {
          List<Item> lows = new ArrayList<>();
          List<Item> highs = new ArrayList<>();
          for (Item item : page.items()) {
            long token = PrimaryKey.token(item.get(t.spec().keySchema().hashName()));
            (token < mid ? lows : highs).add(item);
          }
          return CompletableFuture.allOf(
              load(id, t, low, lows).toCompletableFuture(),
              load(id, t, high, highs).toCompletableFuture())
              .thenCompose(v -> page.lastKey() == null ? CompletableFuture.<Void>completedFuture(
                  null) : copy(id, t, parent, low, high, mid, page.lastKey()));
        });
  }

  private CompletionStage<PartitionReply.Done> load(TableId id, TableState t, String child,
      List<Item> items) {
    return dynamo.entities().ask(PartitionDefinition.TYPE_KEY,
        id.partitionEntityId(t.tableId(), child), r -> new PartitionCommand.Load(items, r),
        PartitionReply.Done.class);
  }
}
