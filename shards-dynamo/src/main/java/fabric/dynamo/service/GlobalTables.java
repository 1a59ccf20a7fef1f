package fabric.dynamo.service;

import fabric.core.index.NameIndexDefinition;
import fabric.dynamo.global.ReplicaWrite;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.table.TableCommand;
import fabric.dynamo.table.TableState;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global tables (version 2019.11.21): UpdateTable's ReplicaUpdates add a replica of a table
 * in another region (regions are simulated in one cluster: a region is part of the table's
 * entity id) or remove one. A new replica: every member of the group learns it (its
 * partitions start a feed to it from that point of their journals, {@link GlobalReplicator}),
 * the replica table is created with the same schema, every member copies its items and
 * tombstones into it (with their versions, so the copy and the feed converge by last writer
 * wins), then it is ACTIVE everywhere. The copy runs after UpdateTable answered (the replica
 * is CREATING meanwhile); a Create of a replica still CREATING runs it again (idempotent).
 */
public final class GlobalTables {
  /** Replicas per global table at most (AWS documents no lower limit than its regions;
   *  each replica is one more feed per partition in every member). */
  public static final int MAX_REPLICAS = 10;
  private static final int COPY_PAGE = 100;
  private static final Logger log = LoggerFactory.getLogger(GlobalTables.class);
  /** A replica CREATING this long lost its driver (a crash): the next DescribeTable of the
   *  table resumes it (every step is idempotent: a slow build running twice only copies
   *  twice). */
  static final long RESUME_AFTER_MILLIS = 60_000;
  private final DynamoService dynamo;
  /** The replicas this node builds now ({@code <account>/<name>/<region>}). */
  private final java.util.Set<String> building =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  GlobalTables(DynamoService dynamo) {
    this.dynamo = dynamo;
  }

  /** After a DescribeTable: resumes the build of a replica CREATING for too long. */
  void resumeStale(String account, String name, TableState t) {
    long now = dynamo.clock().millis();
    for (TableState.Replica r : t.replicas()) {
      if (r.status().equals(TableState.CREATING)
          && now - r.sinceMillis() > RESUME_AFTER_MILLIS
          && !building.contains(account + "/" + name + "/" + r.regionName())) {
        log.info("table {}/{}: resuming the replica in {} (CREATING since {})", account, name,
            r.regionName(), r.sinceMillis());
        try {
          createReplica(account, name, r.regionName());
        } catch (RuntimeException e) {
          log.debug("table {}/{}: replica in {} not resumed: {}", account, name,
              r.regionName(), e.toString());
        }
      }
    }
  }

  /** ReplicaUpdates' Create: answers the table with the replica CREATING. */
  public CompletionStage<TableState> createReplica(String account, String name,
      String regionName) {
    TableId source = dynamo.table(account, name);
    DynamoService target = dynamo.inRegion(regionName);
    if (target == dynamo) {
      throw DynamoErrors.validation("One or more parameter values were invalid: The table "
          + "already has a replica in its own region " + regionName);
    }
    return dynamo.ask(source, TableCommand.Describe::new).thenCompose(t -> {
      if (!TableState.ACTIVE.equals(t.status())) {
        throw DynamoErrors.ResourceInUseException.exception("Attempt to change a resource "
            + "which is still in use: Table is " + t.status() + ": " + name);
      }
      if (!"NEW_AND_OLD_IMAGES".equals(t.spec().streamViewType())) {
        throw DynamoErrors.validation("Table: " + name + " must have DynamoDB Streams enabled "
            + "with StreamViewType NEW_AND_OLD_IMAGES to add a replica");
      }
      TableState.Replica current = t.replica(regionName);
      boolean resuming = current != null && current.status().equals(TableState.CREATING);
      if (!resuming && t.replicaRegions().contains(regionName)) {
        throw DynamoErrors.validation("One or more parameter values were invalid: Table "
            + name + " already has a replica in " + regionName);
      }
      if (!resuming && t.replicas().size() >= MAX_REPLICAS) {
        throw DynamoErrors.LimitExceededException.exception("A global table has at most "
            + MAX_REPLICAS + " replicas");
      }
      List<String> members = new ArrayList<>();
      members.add(dynamo.region());
      t.replicaRegions().stream().filter(r -> !r.equals(regionName)).forEach(members::add);
      CompletionStage<Boolean> free = resuming ? CompletableFuture.completedFuture(true)
          : target.ask(target.table(account, name), TableCommand.Describe::new)
              .handle((existing, failure) -> existing == null || !existing.exists());
      return free.thenCompose(isFree -> {
        if (!isFree) {
          throw DynamoErrors.ResourceInUseException.exception("Table already exists in "
              + regionName + ": " + name + " (a replica is a new table there)");
        }
        return join(account, name, members, regionName);
      }).thenApply(joined -> {
        String key = account + "/" + name + "/" + regionName;
        if (!building.add(key)) {
          return joined; // this node builds it already
        }
        build(account, name, t, members, target).whenComplete((done, failure) -> {
          building.remove(key);
          if (failure != null) {
            log.warn("table {}: replica in {} not finished (a Create of it again resumes): {}",
                source.entityId(), regionName, failure.toString());
          }
        });
        return joined;
      });
    });
  }

  /** Every member records the new replica CREATING and starts its feed to it; answers the
   *  first member's (this region's) table. */
  private CompletionStage<TableState> join(String account, String name, List<String> members,
      String regionName) {
    CompletionStage<TableState> chain = CompletableFuture.completedFuture(null);
    List<TableState> out = new ArrayList<>();
    for (String member : members) {
      chain = chain.thenCompose(v -> setReplica(account, name, member, regionName,
          TableState.CREATING)).thenApply(t -> {
            out.add(t);
            return t;
          });
    }
    return chain.thenApply(v -> out.get(0));
  }

  /** Sets a replica's status in {@code member}'s table and the feeds of its partitions. */
  private CompletionStage<TableState> setReplica(String account, String name, String member,
      String regionName, String status) {
    DynamoService in = dynamo.inRegion(member);
    TableId id = in.table(account, name);
    return in.ask(id, r -> new TableCommand.SetReplica(regionName, status, in.clock().millis(), r))
        .thenCompose(t -> setGlobal(in, id, t).thenApply(v -> {
          in.forget(id);
          return t;
        }));
  }

  private CompletableFuture<Void> setGlobal(DynamoService in, TableId id, TableState t) {
    return CompletableFuture.allOf(t.partitions().stream().map(p -> in.entities().ask(
        PartitionDefinition.TYPE_KEY, id.partitionEntityId(t.tableId(), p.id()),
        r -> new PartitionCommand.SetGlobal(in.region(), t.replicaRegions(), r),
        PartitionReply.Done.class).toCompletableFuture()).toArray(CompletableFuture[]::new));
  }

  /** Creates the replica table (or finds it), copies every member's items into it, and marks
   *  it ACTIVE everywhere. */
  private CompletionStage<Void> build(String account, String name, TableState source,
      List<String> members, DynamoService target) {
    TableId id = target.table(account, name);
    return target.ask(id, TableCommand.Describe::new).handle((existing, failure) -> existing)
        .thenCompose(existing -> existing != null && existing.exists()
            ? CompletableFuture.completedFuture(existing)
            : target.ask(id, r -> new TableCommand.Create(target.region(),
                UUID.randomUUID().toString(), source.spec(), source.tags(),
                target.clock().millis(), r)))
        .thenCompose(created -> {
          CompletionStage<TableState> chain = CompletableFuture.completedFuture(created);
          for (String member : members) {
            chain = chain.thenCompose(t -> target.ask(id,
                r -> new TableCommand.SetReplica(member, TableState.ACTIVE, target.clock().millis(),
                    r)));
          }
          return chain;
        })
        .thenCompose(t -> target.initPartitions(id, t)
            .thenCompose(v -> target.globalIndexes().initAll(id, t)) // the same GSIs
            .thenCompose(v -> setGlobal(target, id, t))
            .thenApply(v -> t))
        .thenCompose(t -> {
          CompletionStage<Void> copies = CompletableFuture.completedFuture(null);
          for (String member : members) {
            copies = copies.thenCompose(v -> copy(account, name, member, target, t));
          }
          return copies.thenApply(v -> t);
        })
        .thenCompose(t -> target.ask(id, r -> new TableCommand.Activate(target.clock().millis(),
            r)))
        .thenCompose(t -> target.names(account, r -> new NameIndexDefinition.Register(name, r)))
        .thenCompose(registered -> {
          CompletionStage<TableState> chain = CompletableFuture.completedFuture(null);
          for (String member : members) {
            chain = chain.thenCompose(v -> setReplica(account, name, member, target.region(),
                TableState.ACTIVE));
          }
          return chain.thenApply(v -> null);
        });
  }

  /** Copies {@code member}'s items, then its tombstones, page by page into the replica. */
  private CompletionStage<Void> copy(String account, String name, String member,
      DynamoService target, TableState targetTable) {
    DynamoService in = dynamo.inRegion(member);
    TableId id = in.table(account, name);
    return in.ask(id, TableCommand.Describe::new).thenCompose(t -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (TableState.Partition p : t.partitions()) {
        String pid = id.partitionEntityId(t.tableId(), p.id());
        chain = chain.thenCompose(v -> copyPages(in, pid, false, null, target, targetTable))
            .thenCompose(v -> copyPages(in, pid, true, null, target, targetTable));
      }
      return chain;
    });
  }

  private CompletionStage<Void> copyPages(DynamoService in, String partitionEntityId,
      boolean tombstones, PrimaryKey after, DynamoService target, TableState targetTable) {
    return in.entities().ask(PartitionDefinition.TYPE_KEY, partitionEntityId,
        r -> new PartitionCommand.ReplicaPage(tombstones, after, COPY_PAGE, r),
        PartitionReply.ReplicaPage.class)
        .thenCompose(page -> ship(target, targetTable, page.writes()).thenCompose(v ->
            page.lastKey() == null ? CompletableFuture.<Void>completedFuture(null)
                : copyPages(in, partitionEntityId, tombstones, page.lastKey(), target,
                    targetTable)));
  }

  /** Writes per ApplyReplica at most, and about their bytes (a message between nodes stays
   *  small; a larger item goes alone). */
  static final int SHIP_WRITES = 100;
  static final long SHIP_BYTES = 128 * 1024;

  /** Applies {@code writes} to the replica's partitions that own their keys, in order per
   *  partition, in batches of {@link #SHIP_WRITES} / {@link #SHIP_BYTES}. */
  static CompletionStage<Void> ship(DynamoService target, TableState table,
      List<ReplicaWrite> writes) {
    if (writes.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    String[] parts = table.entityId().split("/"); // <account>/<region>/<name>
    TableId id = new TableId(target.region(), parts[0], parts[parts.length - 1]);
    java.util.Map<String, List<List<ReplicaWrite>>> byPartition =
        new java.util.LinkedHashMap<>();
    java.util.Map<String, Long> bytes = new java.util.HashMap<>();
    for (ReplicaWrite w : writes) {
      String p = DynamoService.partitionOf(table, w.key().hash());
      List<List<ReplicaWrite>> batches = byPartition.computeIfAbsent(p, k -> new ArrayList<>());
      long size = w.item() == null ? 64 : w.item().sizeBytes();
      if (batches.isEmpty() || batches.get(batches.size() - 1).size() >= SHIP_WRITES
          || bytes.getOrDefault(p, 0L) + size > SHIP_BYTES) {
        batches.add(new ArrayList<>());
        bytes.put(p, 0L);
      }
      batches.get(batches.size() - 1).add(w);
      bytes.merge(p, size, Long::sum);
    }
    return CompletableFuture.allOf(byPartition.entrySet().stream().map(e -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (List<ReplicaWrite> batch : e.getValue()) {
        chain = chain.thenCompose(v -> target.entities().ask(PartitionDefinition.TYPE_KEY,
            id.partitionEntityId(table.tableId(), e.getKey()),
            r -> new PartitionCommand.ApplyReplica(batch, r), PartitionReply.Done.class)
            .thenApply(done -> (Void) null));
      }
      return chain.toCompletableFuture();
    }).toArray(CompletableFuture[]::new));
  }

  /** ReplicaUpdates' Delete: the other members stop their feeds to it, its table goes. */
  public CompletionStage<TableState> deleteReplica(String account, String name,
      String regionName) {
    TableId source = dynamo.table(account, name);
    DynamoService target = dynamo.inRegion(regionName);
    return dynamo.ask(source, TableCommand.Describe::new).thenCompose(t -> {
      if (!t.replicaRegions().contains(regionName)) {
        throw DynamoErrors.validation("Replica specified in the Replica Update or Replica "
            + "Delete action of the request was not found: " + regionName);
      }
      List<String> members = new ArrayList<>();
      members.add(dynamo.region());
      t.replicaRegions().stream().filter(r -> !r.equals(regionName)).forEach(members::add);
      CompletionStage<TableState> chain = CompletableFuture.completedFuture(null);
      List<TableState> out = new ArrayList<>();
      for (String member : members) {
        chain = chain.thenCompose(v -> setReplica(account, name, member, regionName, null))
            .thenApply(x -> {
              out.add(x);
              return x;
            });
      }
      // The replica leaves the group too (its feeds stop), then its table goes.
      for (String member : members) {
        chain = chain.thenCompose(v -> setReplica(account, name, regionName, member, null));
      }
      return chain.thenCompose(v -> target.deleteTable(account, name))
          .thenApply(deleted -> out.get(0));
    });
  }
}
