package fabric.dynamo.service;

import fabric.core.entity.EntityClient;
import fabric.core.entity.Reply;
import fabric.dynamo.index.GlobalIndexDefinition;
import fabric.dynamo.index.IndexCommand;
import fabric.dynamo.index.IndexReply;
import fabric.dynamo.index.IndexState;
import fabric.dynamo.table.IndexSpec;
import fabric.dynamo.table.TableCommand;
import fabric.dynamo.table.TableDefinition;
import fabric.dynamo.table.TableReply;
import fabric.dynamo.table.TableState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global secondary indexes' control plane: an index entity per GSI (see {@link
 * GlobalIndexDefinition}), set up with the table (empty: ACTIVE at once) or by UpdateTable
 * (backfilling: CREATING until it has read every partition), dropped with it, and asked for
 * its status and counts by DescribeTable.
 */
public final class DynamoGlobalIndexes {
  private static final Logger log = LoggerFactory.getLogger(DynamoGlobalIndexes.class);
  private final DynamoService dynamo;

  DynamoGlobalIndexes(DynamoService dynamo) {
    this.dynamo = dynamo;
  }

  /** An index as DescribeTable shows it. @param status CREATING or ACTIVE */
  public record Status(String status, boolean backfilling, long itemCount, long sizeBytes) {}

  private EntityClient entities() {
    return dynamo.entities();
  }

  private CompletableFuture<IndexReply.Done> init(TableId id, TableState t, IndexSpec index,
      boolean backfill) {
    return entities().ask(GlobalIndexDefinition.TYPE_KEY, id.indexEntityId(t.tableId(),
            index.name()), r -> new IndexCommand.Init(index, t.spec().keySchema(), backfill, r),
        IndexReply.Done.class).toCompletableFuture();
  }

  /** Sets up every index of a table being created (no items yet: nothing to backfill). */
  CompletionStage<Void> initAll(TableId id, TableState t) {
    return CompletableFuture.allOf(t.spec().globalIndexes().stream()
        .map(g -> init(id, t, g, false)).toArray(CompletableFuture[]::new));
  }

  /** Drops the indexes of a deleted table, in the background (their feeders drop them too,
   *  finding the table gone). */
  void dropAll(TableId id, TableState before) {
    for (IndexSpec g : before.spec().globalIndexes()) {
      drop(id, before.tableId(), g.name());
    }
  }

  private void drop(TableId id, String tableId, String index) {
    entities().ask(GlobalIndexDefinition.TYPE_KEY, id.indexEntityId(tableId, index),
        IndexCommand.Drop::new, IndexReply.Done.class).whenComplete((done, failure) -> {
          if (failure != null) {
            log.warn("table {}: index {} not dropped: {}", id.entityId(), index,
                failure.toString());
          }
        });
  }

  /**
   * Wakes the indexes of an ACTIVE table (called at most once a second per table and node,
   * when its cached description is refreshed): an index is fed by its own ticks, which stop
   * when its entity passivates or its node dies; and an index whose setup was cut off (its
   * UpdateTable's driver died) is set up here.
   */
  void wake(TableId id, TableState t) {
    for (IndexSpec g : t.spec().globalIndexes()) {
      entities().ask(GlobalIndexDefinition.TYPE_KEY, id.indexEntityId(t.tableId(), g.name()),
          IndexCommand.Status::new, IndexReply.Status.class).thenAccept(s -> {
            if (s.status() == null) {
              init(id, t, g, true);
            }
          });
    }
  }

  /** Each index's status and counts, by name. */
  public CompletionStage<Map<String, Status>> statuses(String account, TableState t) {
    if (!t.exists() || t.spec().globalIndexes().isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    TableId id = new TableId(t.region(), account,
        t.entityId().substring(t.entityId().lastIndexOf('/') + 1));
    List<IndexSpec> gsis = t.spec().globalIndexes();
    List<CompletableFuture<IndexReply.Status>> asks = gsis.stream().map(g -> entities().ask(
        GlobalIndexDefinition.TYPE_KEY, id.indexEntityId(t.tableId(), g.name()),
        IndexCommand.Status::new, IndexReply.Status.class).toCompletableFuture()).toList();
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Map<String, Status> out = new LinkedHashMap<>();
      for (int i = 0; i < gsis.size(); i++) {
        IndexReply.Status s = asks.get(i).join();
        String status = s.status() == null ? IndexState.CREATING : s.status();
        out.put(gsis.get(i).name(), new Status(status, IndexState.CREATING.equals(status)
            && TableState.ACTIVE.equals(t.status()), s.itemCount(), s.sizeBytes()));
      }
      return out;
    });
  }

  private CompletionStage<TableState> ask(TableId id,
      Function<ActorRef<Reply>, TableCommand> command) {
    return entities().ask(TableDefinition.TYPE_KEY, id.entityId(), command::apply,
        TableReply.Description.class).thenApply(TableReply.Description::table);
  }

  /**
   * UpdateTable's GlobalSecondaryIndexUpdates Create: the table's spec gains the index, then
   * the index is set up to backfill from the partitions.
   * @param attributeDefinitions the request's (the new index's key attributes at least)
   */
  public CompletionStage<TableState> create(String account, String table, IndexSpec index,
      Map<String, String> attributeDefinitions) {
    TableId id = dynamo.table(account, table);
    return ask(id, r -> new TableCommand.CreateGlobalIndex(index, attributeDefinitions, r))
        .thenCompose(t -> {
          dynamo.forget(id);
          IndexSpec created = t.spec().globalIndexes().stream()
              .filter(g -> g.name().equals(index.name())).findFirst().orElseThrow();
          return init(id, t, created, true).thenApply(d -> t);
        });
  }

  /** GlobalSecondaryIndexUpdates Delete: out of the spec and its entity dropped at once. */
  public CompletionStage<TableState> delete(String account, String table, String index) {
    TableId id = dynamo.table(account, table);
    return ask(id, r -> new TableCommand.DeleteGlobalIndex(index, r)).thenCompose(t -> {
      dynamo.forget(id);
      // Dropped before the answer, so that no read after it finds the index (a node whose
      // cached description still names it then learns it is gone).
      return entities().ask(GlobalIndexDefinition.TYPE_KEY, id.indexEntityId(t.tableId(),
          index), IndexCommand.Drop::new, IndexReply.Done.class).thenApply(d -> t);
    });
  }

  /** GlobalSecondaryIndexUpdates Update: the index's provisioned throughput (recorded; an
   *  index's writes are not throttled here). */
  public CompletionStage<TableState> update(String account, String table, String index,
      long rcu, long wcu) {
    TableId id = dynamo.table(account, table);
    return ask(id, r -> new TableCommand.UpdateGlobalIndex(index, rcu, wcu, r));
  }
}
