package fabric.dynamo.index;

import fabric.core.entity.EntityClient;
import fabric.core.entity.JournalRead;
import fabric.core.entity.JournalReader;
import fabric.core.entity.ResourceEntity;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionEvent;
import fabric.dynamo.table.TableCommand;
import fabric.dynamo.table.TableDefinition;
import fabric.dynamo.table.TableReply;
import fabric.dynamo.table.TableState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds global secondary indexes from their table's partitions, on the node leading the
 * index: the table's current partition map (so a split's children are followed and its
 * parent forgotten), then each partition's journal from the index's cursor, handed to the
 * index as one {@link IndexCommand.Apply}. At most one read per index at a time. An index
 * whose table is gone, recreated, or no longer has it is dropped.
 */
public final class GlobalIndexFeeder {
  /** Events read per partition per round: bounds one Apply (a split's Loaded event holds
   *  up to 1 MB of items) while a backfill still moves 5,000 events a second. */
  public static final int MAX_EVENTS_PER_PARTITION = 1_000;
  private static final Logger log = LoggerFactory.getLogger(GlobalIndexFeeder.class);
  private static final PartitionDefinition PARTITIONS = new PartitionDefinition();
  private final EntityClient entities;
  private final JournalReader journal;
  private final Set<String> feeding = ConcurrentHashMap.newKeySet();

  public GlobalIndexFeeder(EntityClient entities, JournalReader journal) {
    this.entities = entities;
    this.journal = journal;
  }

  /** The parts of an index entity id {@code <account>/<region>/<table>/<tableId>/<index>}
   *  ({@code account} holds {@code <account>/<region>}: the scope the table's ids start
   *  with). */
  public record IndexId(String account, String table, String tableId, String index) {
    public static IndexId parse(String entityId) {
      String[] p = entityId.split("/");
      int n = p.length;
      return new IndexId(String.join("/", java.util.Arrays.copyOf(p, n - 3)), p[n - 3],
          p[n - 2], p[n - 1]);
    }

    public String entityId() {
      return account + "/" + table + "/" + tableId + "/" + index;
    }

    String tableEntityId() {
      return account + "/" + table;
    }

    String partitionEntityId(String partition) {
      return tableEntityId() + "/" + tableId + "/" + partition;
    }
  }

  /** Starts one round for index {@code entityId} unless one is running. */
  void feed(String entityId, Map<String, Long> cursors) {
    if (!feeding.add(entityId)) {
      return;
    }
    IndexId id = IndexId.parse(entityId);
    entities.ask(TableDefinition.TYPE_KEY, id.tableEntityId(), TableCommand.Describe::new,
        TableReply.Description.class).thenCompose(d -> {
          TableState t = d.table();
          if (!t.exists() || !t.tableId().equals(id.tableId()) || t.spec().globalIndexes()
              .stream().noneMatch(g -> g.name().equals(id.index()))) {
            return drop(entityId);
          }
          return read(id, t, cursors).thenCompose(apply -> entities.ask(
              GlobalIndexDefinition.TYPE_KEY, entityId, r -> new IndexCommand.Apply(
                  apply.batches(), apply.partitions(), apply.caughtUp(), r),
              IndexReply.Done.class));
        }).whenComplete((done, failure) -> {
          feeding.remove(entityId);
          if (failure != null && !fabric.dynamo.model.DynamoErrors.isResourceNotFound(failure)) {
            log.debug("index {}: feed round failed (the next tick retries): {}", entityId,
                failure.toString());
          } else if (failure != null) {
            drop(entityId); // the table is gone
          }
        });
  }

  private CompletableFuture<IndexReply.Done> drop(String entityId) {
    return entities.ask(GlobalIndexDefinition.TYPE_KEY, entityId, IndexCommand.Drop::new,
        IndexReply.Done.class).toCompletableFuture();
  }

  private record Read(List<IndexCommand.Batch> batches,
      List<IndexCommand.BasePartition> partitions, boolean caughtUp) {}

  private CompletableFuture<Read> read(IndexId id, TableState t, Map<String, Long> cursors) {
    List<IndexCommand.BasePartition> partitions = new ArrayList<>();
    List<TableState.Partition> map = t.partitions();
    for (int i = 0; i < map.size(); i++) {
      long to = i + 1 < map.size() ? map.get(i + 1).fromToken() - 1 : Long.MAX_VALUE;
      partitions.add(new IndexCommand.BasePartition(map.get(i).id(), map.get(i).fromToken(),
          to));
    }
    List<CompletableFuture<IndexCommand.Batch>> reads = new ArrayList<>();
    for (IndexCommand.BasePartition p : partitions) {
      long from = cursors.getOrDefault(p.id(), 1L);
      String pid = ResourceEntity.persistenceId(PARTITIONS, id.partitionEntityId(p.id())).id();
      reads.add(journal.<PartitionEvent>read(pid, new JournalRead(from,
          MAX_EVENTS_PER_PARTITION)).thenApply(events -> {
            long next = from;
            List<PartitionEvent> out = new ArrayList<>(events.size());
            for (JournalRead.Event<PartitionEvent> e : events) {
              next = e.seqNr() + 1;
              out.add(e.event());
            }
            return new IndexCommand.Batch(p.id(), from, next, out, events.size()
                < MAX_EVENTS_PER_PARTITION);
          }).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<IndexCommand.Batch> batches = reads.stream().map(CompletableFuture::join).toList();
      boolean caughtUp = batches.stream().allMatch(IndexCommand.Batch::atEnd);
      // A batch with nothing new is sent only to set a first cursor (an empty partition).
      return new Read(batches.stream().filter(b -> !b.events().isEmpty()
          || !cursors.containsKey(b.partition())).toList(), partitions, caughtUp);
    });
  }
}
