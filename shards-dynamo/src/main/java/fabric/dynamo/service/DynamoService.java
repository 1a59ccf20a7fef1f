package fabric.dynamo.service;

import fabric.core.entity.EntityClient;
import fabric.core.entity.Reply;
import fabric.core.index.NameIndexDefinition;
import fabric.core.replication.ReadConsistency;
import fabric.core.replication.ReadPreference;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.table.TableCommand;
import fabric.dynamo.table.TableDefinition;
import fabric.dynamo.table.TableReply;
import fabric.dynamo.table.TableSpec;
import fabric.dynamo.table.TableState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DynamoDB's operations, independent of the protocol that carries them: table names to
 * table entities, keys to the partition entity that owns their token, the caller's clock
 * into every write. A table's description (schema, partitions) is cached per table for
 * {@link #TABLE_CACHE_MILLIS}; a partition that no longer belongs to the table (dropped,
 * recreated table) answers ResourceNotFound, which drops the cache entry and retries once.
 */
public final class DynamoService {
  /** Each account's table names, for ListTables. */
  public static final NameIndexDefinition TABLE_NAMES = new NameIndexDefinition("AccountTables");
  /** ListTables' largest page. */
  public static final int MAX_LIST_TABLES = 100;
  private static final Logger log = LoggerFactory.getLogger(DynamoService.class);
  static final long TABLE_CACHE_MILLIS = 1_000;
  private final EntityClient entities;
  private final String region;
  private final String az;
  private final Clock clock;
  private final Map<String, Cached> tables = new ConcurrentHashMap<>();
  private final DynamoItems items = new DynamoItems(this);
  private final DynamoQueries queries = new DynamoQueries(this);
  private final DynamoTransactions transactions = new DynamoTransactions(this);
  private final DynamoGlobalIndexes globalIndexes = new DynamoGlobalIndexes(this);
  private final PartitionSplits splits;
  private final SplitPolicy splitPolicy;
  /** This service in every region a caller named (regions are simulated in one cluster). */
  private final Map<String, DynamoService> regions;
  private final GlobalTables globals = new GlobalTables(this);

  private record Cached(TableState table, long atMillis) {}

  /** @param az this node's AZ: eventually consistent reads go to its follower */
  public DynamoService(EntityClient entities, String region, String az, Clock clock) {
    this(entities, region, az, clock, SplitPolicy.DEFAULT);
  }

  public DynamoService(EntityClient entities, String region, String az, Clock clock,
      SplitPolicy splitPolicy) {
    this(entities, region, az, clock, splitPolicy, new ConcurrentHashMap<>());
    regions.put(region, this);
  }

  private DynamoService(EntityClient entities, String region, String az, Clock clock,
      SplitPolicy splitPolicy, Map<String, DynamoService> regions) {
    this.entities = entities;
    this.region = region;
    this.az = az;
    this.clock = clock;
    this.splitPolicy = splitPolicy;
    this.splits = new PartitionSplits(this, splitPolicy);
    this.regions = regions;
  }

  /** AWS has about 35 regions; a bound so a caller cannot make this map grow without end. */
  public static final int MAX_REGIONS = 64;
  private static final java.util.regex.Pattern REGION =
      java.util.regex.Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  /** This service for the tables of {@code regionName} (ValidationException if it is not a
   *  region's name). */
  public DynamoService inRegion(String regionName) {
    if (regionName == null || regionName.isEmpty() || regionName.equals(region)) {
      return this;
    }
    DynamoService known = regions.get(regionName);
    if (known != null) {
      return known;
    }
    if (regionName.length() > 32 || !REGION.matcher(regionName).matches()) {
      throw DynamoErrors.validation("Invalid region name: '" + (regionName.length() > 32
          ? regionName.substring(0, 32) + "..." : regionName) + "'");
    }
    if (regions.size() >= MAX_REGIONS) {
      throw DynamoErrors.validation("At most " + MAX_REGIONS + " regions");
    }
    return regions.computeIfAbsent(regionName, r -> new DynamoService(entities, r, az, clock,
        splitPolicy, regions));
  }

  /** Global tables: replicas in other regions (UpdateTable's ReplicaUpdates). */
  public GlobalTables globals() {
    return globals;
  }


  /** Drops the cached description of {@code id} (its partition map changed). */
  void forget(TableId id) {
    forgotten.put(id.entityId(), generation.incrementAndGet());
    tables.remove(id.entityId());
  }

  /** Caches a description just read from the table entity (newer than any cached one). */
  void remember(TableId id, TableState table) {
    tables.put(id.entityId(), new Cached(table, clock.millis()));
  }

  /** Descriptions asked before the last {@link #forget} of their table are not cached: an
   *  answer in flight across a partition split would bring the old map back for a second.
   *  One number per table this node ever forgot. */
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, Long> forgotten = new ConcurrentHashMap<>();

  PartitionSplits splits() {
    return splits;
  }

  public String region() {
    return region;
  }

  public TableId table(String account, String name) {
    return new TableId(region, account, name);
  }

  CompletionStage<TableState> ask(TableId id,
      Function<ActorRef<Reply>, TableCommand> command) {
    return entities.ask(TableDefinition.TYPE_KEY, id.entityId(), command::apply,
        TableReply.Description.class).thenApply(TableReply.Description::table);
  }

  // ------------------------------------------------------------------ tables

  /** CreateTable: answers the table CREATING, as AWS; it is ACTIVE once its partitions are. */
  public CompletionStage<TableState> createTable(String account, String name, TableSpec spec,
      Map<String, String> tags) {
    TableId id = table(account, name);
    String tableId = UUID.randomUUID().toString();
    return ask(id, r -> new TableCommand.Create(region, tableId, spec, tags, clock.millis(), r))
        .thenCompose(created -> activate(id, created)
            .thenCompose(active -> names(account, r -> new NameIndexDefinition.Register(name,
                r)))
            .thenApply(registered -> created));
  }

  CompletionStage<NameIndexDefinition.Done> names(String account,
      Function<ActorRef<Reply>, NameIndexDefinition.Command> command) {
    return entities.ask(TABLE_NAMES.typeKey(), account + "/" + region, command::apply,
        NameIndexDefinition.Done.class);
  }

  /** A ListTables page. @param lastEvaluatedTableName null on the last page */
  public record TableNames(List<String> names, String lastEvaluatedTableName) {}

  public CompletionStage<TableNames> listTables(String account, String exclusiveStart,
      int limit) {
    if (limit < 0 || limit > MAX_LIST_TABLES) {
      throw DynamoErrors.validation("1 validation error detected: Value '" + limit + "' at "
          + "'limit' failed to satisfy constraint: Member must have value less than or equal "
          + "to " + MAX_LIST_TABLES);
    }
    return entities.ask(TABLE_NAMES.typeKey(), account + "/" + region,
        r -> new NameIndexDefinition.ListNames("", exclusiveStart == null
            || exclusiveStart.isEmpty() ? null : exclusiveStart,
            limit == 0 ? MAX_LIST_TABLES : limit, r), NameIndexDefinition.Names.class)
        .thenApply(n -> new TableNames(n.names(), n.more()
            ? n.names().get(n.names().size() - 1) : null));
  }

  /** Sets up every partition, then marks the table ACTIVE (idempotent: a retry repairs). */
  CompletionStage<TableState> activate(TableId id, TableState table) {
    return initPartitions(id, table)
        .thenCompose(v -> globalIndexes.initAll(id, table))
        .thenCompose(v -> ask(id, r -> new TableCommand.Activate(clock.millis(), r)));
  }

  /** Sets up every partition of {@code table} (idempotent). */
  CompletableFuture<Void> initPartitions(TableId id, TableState table) {
    CompletableFuture<?>[] inits = table.partitions().stream()
        .map(p -> entities.ask(PartitionDefinition.TYPE_KEY,
            id.partitionEntityId(table.tableId(), p.id()),
            r -> new PartitionCommand.Init(table.spec().keySchema(),
                table.spec().localIndexes(), writeShare(table),
                table.spec().streamViewType(),
                clock.millis(), r),
            PartitionReply.Done.class).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(inits);
  }

  /** A provisioned table's WCU split over its partitions; 0 = on demand. */
  static double writeShare(TableState table) {
    return TableSpec.PROVISIONED.equals(table.spec().billingMode())
        ? (double) table.spec().writeCapacityUnits() / table.partitions().size() : 0;
  }

  /** How a caller's read of {@code table} is metered: its partition's share of a
   *  provisioned table's RCU (0 = on demand), full price when strongly consistent. */
  static fabric.dynamo.partition.ReadCharge readCharge(TableState table,
      boolean consistentRead) {
    return fabric.dynamo.partition.ReadCharge.of(consistentRead,
        TableSpec.PROVISIONED.equals(table.spec().billingMode())
            ? (double) table.spec().readCapacityUnits() / table.partitions().size() : 0);
  }

  /** A table's item count and size, summed over its partitions (DynamoDB updates these
   *  about every six hours; here they are current). */
  public record TableCounts(long itemCount, long sizeBytes) {}

  public CompletionStage<TableCounts> counts(String account, TableState table) {
    TableId id = new TableId(table.region(), account,
        table.entityId().substring(table.entityId().lastIndexOf('/') + 1));
    List<CompletableFuture<PartitionReply.Position>> all = table.partitions().stream()
        .map(p -> entities.ask(PartitionDefinition.TYPE_KEY,
            id.partitionEntityId(table.tableId(), p.id()), PartitionCommand.Position::new,
            PartitionReply.Position.class).toCompletableFuture()).toList();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v ->
        new TableCounts(all.stream().mapToLong(f -> f.join().itemCount()).sum(),
            all.stream().mapToLong(f -> f.join().sizeBytes()).sum()));
  }

  public CompletionStage<TableState> describeTable(String account, String name) {
    TableId id = table(account, name);
    return ask(id, TableCommand.Describe::new).thenCompose(table -> {
      globals.resumeStale(account, name, table);
      // Its creator died between the create and the activation: finish it here (a new
      // global table replica is activated by its build, after its copy: GlobalTables).
      return TableState.CREATING.equals(table.status()) && table.replicas().isEmpty()
          && clock.millis() - table.createdAtMillis() > 10_000 ? activate(id, table)
          : CompletableFuture.completedFuture(table);
    });
  }

  /** DeleteTable: answers DELETING; the partitions drop their items in the background. */
  public CompletionStage<TableState> deleteTable(String account, String name) {
    TableId id = table(account, name);
    return ask(id, TableCommand.Describe::new).thenCompose(before -> ask(id,
        r -> new TableCommand.Delete(clock.millis(), r)).thenCompose(deleting -> names(account,
            r -> new NameIndexDefinition.Unregister(name, r)).thenApply(d -> deleting))
        .thenApply(deleting -> {
          tables.remove(id.entityId());
          globalIndexes.dropAll(id, before);
          for (TableState.Partition p : before.partitions()) {
            entities.ask(PartitionDefinition.TYPE_KEY,
                id.partitionEntityId(before.tableId(), p.id()), PartitionCommand.Drop::new,
                PartitionReply.Done.class).whenComplete((done, failure) -> {
                  if (failure != null) {
                    log.warn("table {}: partition {} not dropped: {}", id.entityId(), p.id(),
                        failure.toString());
                  }
                });
          }
          return deleting;
        }));
  }

  /** UpdateTable (billing, capacity, stream): the table, then every partition. */
  public CompletionStage<TableState> updateTable(String account, String name,
      String billingMode, long rcu, long wcu, String streamViewType) {
    TableId id = table(account, name);
    return ask(id, r -> new TableCommand.Update(billingMode, rcu, wcu, streamViewType, r))
        .thenCompose(t -> {
          tables.remove(id.entityId());
          CompletableFuture<?>[] all = t.partitions().stream().map(p -> entities.ask(
              PartitionDefinition.TYPE_KEY, id.partitionEntityId(t.tableId(), p.id()),
              r -> new PartitionCommand.Reconfigure(writeShare(t), t.spec().streamViewType(),
                  clock.millis(), r), PartitionReply.Done.class).toCompletableFuture())
              .toArray(CompletableFuture[]::new);
          return CompletableFuture.allOf(all).thenApply(v -> t);
        });
  }

  public CompletionStage<TableState> updateTimeToLive(String account, String name,
      boolean enabled, String attribute) {
    TableId id = table(account, name);
    return ask(id, r -> new TableCommand.UpdateTimeToLive(enabled, attribute, r))
        .thenCompose(t -> {
          CompletableFuture<?>[] all = t.partitions().stream().map(p -> entities.ask(
              PartitionDefinition.TYPE_KEY, id.partitionEntityId(t.tableId(), p.id()),
              r -> new PartitionCommand.SetTimeToLive(t.ttlAttribute(), r),
              PartitionReply.Done.class).toCompletableFuture())
              .toArray(CompletableFuture[]::new);
          return CompletableFuture.allOf(all).thenApply(v -> t);
        });
  }

  public CompletionStage<TableState> tag(String account, String arn, Map<String, String> tags) {
    return ask(fromArn(account, arn), r -> new TableCommand.Tag(tags, r));
  }

  public CompletionStage<TableState> untag(String account, String arn, List<String> keys) {
    return ask(fromArn(account, arn), r -> new TableCommand.Untag(keys, r));
  }

  public CompletionStage<TableState> describeArn(String account, String arn) {
    return ask(fromArn(account, arn), TableCommand.Describe::new);
  }

  private TableId fromArn(String account, String arn) {
    String prefix = "arn:aws:dynamodb:" + region + ":" + account + ":table/";
    if (arn == null || !arn.startsWith(prefix)) {
      throw DynamoErrors.validation("Invalid TableArn: " + arn);
    }
    return table(account, arn.substring(prefix.length()));
  }

  // ------------------------------------------------------------------ items

  /** The table, from the cache while fresh; refused unless it is ACTIVE. */
  CompletionStage<TableState> active(TableId id) {
    Cached c = tables.get(id.entityId());
    long now = clock.millis();
    long asked = generation.get();
    CompletionStage<TableState> table = c != null && now - c.atMillis() < TABLE_CACHE_MILLIS
        ? CompletableFuture.completedFuture(c.table())
        : ask(id, TableCommand.Describe::new).thenApply(t -> {
          if (forgotten.getOrDefault(id.entityId(), 0L) <= asked) {
            tables.put(id.entityId(), new Cached(t, now));
          }
          if (TableState.ACTIVE.equals(t.status())) {
            globalIndexes.wake(id, t);
          }
          return t;
        });
    return table.thenApply(t -> {
      if (!TableState.ACTIVE.equals(t.status())) {
        throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found: "
            + "Table: " + id.name() + " is " + t.status());
      }
      return t;
    });
  }

  static String partitionOf(TableState table, AttributeValue partitionKey) {
    long token = PrimaryKey.token(partitionKey);
    String id = table.partitions().get(0).id();
    for (TableState.Partition p : table.partitions()) {
      if (p.fromToken() <= token) {
        id = p.id();
      }
    }
    return id;
  }

  /** Runs {@code call} against the partition owning {@code partitionKey}; once more with a
   *  fresh table if that partition is gone (the table was deleted or recreated). */
  <R> CompletionStage<R> onPartition(TableId id, Function<TableState,
      AttributeValue> partitionKey, PartitionCall<R> call) {
    return active(id).thenCompose(t -> call.run(t, id.partitionEntityId(t.tableId(),
            partitionOf(t, partitionKey.apply(t)))))
        .handle((r, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(r);
          }
          // A partition that is gone (split, or the table recreated): the map changed under
          // the cached description; once more with the table as it is now (a table that is
          // gone answers ResourceNotFound from there).
          if (DynamoErrors.isResourceNotFound(failure)) {
            tables.remove(id.entityId());
            return active(id).thenCompose(t -> call.run(t, id.partitionEntityId(t.tableId(),
                partitionOf(t, partitionKey.apply(t)))));
          }
          // As it failed, wrapper included: a caller may need to know which partition
          // refused (DynamoItems finishes a split the refusal names).
          return CompletableFuture.<R>failedFuture(failure);
        }).thenCompose(Function.identity());
  }

  /**
   * A strongly consistent read as {@code partition} answered it, checked when the partition
   * was frozen for a split: the answer stands while the table's map (asked afresh) still
   * names the partition, since no write reaches its children before the map flips to them;
   * after the flip it fails with ResourceNotFound, which {@link #onPartition} (and the other
   * readers) take as "read the map again".
   */
  <R extends PartitionReply> CompletionStage<R> ownedRead(TableId id, String partition,
      CompletionStage<R> read) {
    return read.thenCompose(reply -> {
      if (!reply.frozen()) {
        return CompletableFuture.completedFuture(reply);
      }
      forget(id);
      return active(id).thenApply(t -> {
        boolean owns = t.partitions().stream()
            .anyMatch(p -> id.partitionEntityId(t.tableId(), p.id()).equals(partition));
        if (!owns) {
          throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not "
              + "found: partition " + partition + " was split");
        }
        return reply;
      });
    });
  }

  @FunctionalInterface
  interface PartitionCall<R> {
    CompletionStage<R> run(TableState table, String partitionEntityId);
  }

  /** Several tables, each ACTIVE (else ResourceNotFound). */
  CompletionStage<Map<String, TableState>> activeTables(String account,
      List<String> names) {
    Map<String, TableState> out = new ConcurrentHashMap<>();
    CompletableFuture<?>[] all = names.stream().map(name -> active(table(account, name))
        .thenAccept(t -> out.put(name, t)).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all).thenApply(v -> out);
  }
  static AttributeValue hashOf(TableState t, Map<String, AttributeValue> keyOrItem) {
    AttributeValue v = keyOrItem.get(t.spec().keySchema().hashName());
    if (v == null) {
      throw DynamoErrors.validation("One of the required keys was not given a value");
    }
    return v;
  }

  EntityClient entities() {
    return entities;
  }

  Clock clock() {
    return clock;
  }

  /** Strong reads from the partition's leader, eventual ones from this AZ's follower. */
  ReadPreference read(boolean consistentRead) {
    return consistentRead ? ReadPreference.STRONG
        : new ReadPreference(ReadConsistency.EVENTUAL, az);
  }

  /** PutItem, GetItem, UpdateItem, DeleteItem. */
  public DynamoItems items() {
    return items;
  }

  /** TransactWriteItems and TransactGetItems. */
  public DynamoTransactions transactions() {
    return transactions;
  }

  /** Global secondary indexes: UpdateTable's index updates, DescribeTable's statuses. */
  public DynamoGlobalIndexes globalIndexes() {
    return globalIndexes;
  }

  /** Scan and Query. */
  public DynamoQueries queries() {
    return queries;
  }
}
