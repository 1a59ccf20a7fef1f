package fabric.dynamo.service;

import fabric.core.error.ServiceException;
import fabric.core.replication.ReadPreference;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.service.DynamoTransactions.Get;
import fabric.dynamo.table.TableState;
import fabric.dynamo.tx.TransactionDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * TransactGetItems: the items as of one moment, with no transaction half seen. A pending
 * transaction holding any of them refuses the read (TransactionConflict); a decided one
 * shows its outcome.
 */
final class TransactionReads {
  private final DynamoService dynamo;
  private final DynamoTransactions transactions;

  TransactionReads(DynamoService dynamo, DynamoTransactions transactions) {
    this.dynamo = dynamo;
    this.transactions = transactions;
  }

  /** Most times a TransactGetItems reads again (items changed between its rounds, or a
   *  partition split under it) before it answers TransactionConflict. */
  private static final int MAX_READ_ATTEMPTS = 5;

  /**
   * What one read of a TransactGetItems saw of an item: the partition that answered, the
   * item's version there, the transaction holding it (if any) and the value shown. Two
   * reads that saw the same of every item bracket a moment at which every item was so.
   */
  record Observed(String partition, long version, String lockTxId, Item shown) {}

  /** The gets of one partition, with their places in the request. */
  private record PartitionGets(TableId table, String partition, List<Integer> places,
      List<PartitionCommand.Get> gets) {}

  /**
   * The items as of one moment: every item is read twice (each partition its share at once,
   * GetMany), and rounds that observed the same versions (not only the same values: a
   * balance can go out and come back in between) bracket a moment at which every item was
   * so; a transaction that committed in between changes a version or a lock, and the items
   * are read again. One round is not enough even within one partition: a transaction
   * prepares its items one by one, so a read can find it holding one item and not yet the
   * other, and its decision (checked after the read) may be COMMITTED by then. The second
   * round, after the first's decisions, finds the other item locked too and differs.
   */
  CompletionStage<List<Item>> snapshot(String account, List<Get> gets, int attempt) {
    List<String> tableNames = gets.stream().map(Get::table).distinct().toList();
    return dynamo.activeTables(account, tableNames).thenCompose(tables -> {
      List<PartitionGets> plan = plan(account, gets, tables);
      CompletionStage<List<Observed>> read = readAll(plan, gets.size())
          .thenCompose(first -> readAll(plan, gets.size()).thenApply(second ->
              first.equals(second) ? first : null));
      return read.handle((observed, failure) ->
          settle(account, gets, attempt, tableNames, observed, failure))
          .thenCompose(Function.identity());
    });
  }

  /** A read's outcome: the items, or read again (changed between rounds, or a partition
   *  gone under it), or its failure. */
  private CompletionStage<List<Item>> settle(String account, List<Get> gets, int attempt,
      List<String> tableNames, List<Observed> observed, Throwable failure) {
    boolean moved = DynamoErrors.isResourceNotFound(failure);
    if (failure != null && !moved) {
      return CompletableFuture.<List<Item>>failedFuture(failure);
    }
    if (observed != null) {
      return CompletableFuture.completedFuture(observed.stream().map(Observed::shown)
          .toList());
    }
    // Changed between the rounds, or a partition gone (split, or the table recreated:
    // read the map again, and a table that is gone answers ResourceNotFound from there).
    if (attempt + 1 >= MAX_READ_ATTEMPTS) {
      return CompletableFuture.<List<Item>>failedFuture(
          conflict());
    }
    if (moved) {
      tableNames.forEach(name -> dynamo.forget(dynamo.table(account, name)));
    }
    return snapshot(account, gets, attempt + 1);
  }

  /** The gets grouped by the partition owning each key, keys and projections checked. */
  private List<PartitionGets> plan(String account, List<Get> gets,
      Map<String, TableState> tables) {
    Map<String, PartitionGets> byPartition = new LinkedHashMap<>();
    for (int i = 0; i < gets.size(); i++) {
      Get g = gets.get(i);
      TableState t = tables.get(g.table());
      KeySchema keys = t.spec().keySchema();
      g.projection().parse(keys);
      PrimaryKey key = keys.keyOf(g.key());
      TableId id = dynamo.table(account, g.table());
      String partition = id.partitionEntityId(t.tableId(),
          DynamoService.partitionOf(t, key.hash()));
      PartitionGets group = byPartition.computeIfAbsent(partition,
          p -> new PartitionGets(id, p, new ArrayList<>(), new ArrayList<>()));
      group.places().add(i);
      group.gets().add(new PartitionCommand.Get(g.key(), g.projection(), null));
    }
    return List.copyOf(byPartition.values());
  }

  private CompletionStage<List<Observed>> readAll(List<PartitionGets> plan, int count) {
    Observed[] out = new Observed[count];
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (PartitionGets group : plan) {
      all.add(dynamo.ownedRead(group.table(), group.partition(),
              dynamo.entities().ask(PartitionDefinition.TYPE_KEY, group.partition(),
                  ReadPreference.STRONG, r -> new PartitionCommand.GetMany(group.gets(), r),
                  PartitionReply.ItemReplies.class))
          .thenCompose(replies -> {
            List<CompletableFuture<Void>> shown = new ArrayList<>();
            for (int j = 0; j < replies.replies().size(); j++) {
              int place = group.places().get(j);
              shown.add(observe(replies.replies().get(j))
                  .thenAccept(o -> out[place] = o).toCompletableFuture());
            }
            return CompletableFuture.allOf(shown.toArray(CompletableFuture[]::new));
          }).toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> List.of(out));
  }

  /** An item as a reader sees it: a pending transaction's lock refuses the read
   *  (TransactionConflict), a decided one shows its outcome. */
  private CompletionStage<Observed> observe(PartitionReply.ItemReply reply) {
    if (reply.lock() == null) {
      return CompletableFuture.completedFuture(new Observed(reply.partition(),
          reply.version(), null, reply.item()));
    }
    return transactions.statusOf(reply.lock().txId())
        .thenApply(status -> {
          if (TransactionDefinition.PENDING.equals(status.status())) {
            throw conflict();
          }
          Item shown = TransactionDefinition.COMMITTED.equals(status.status())
              ? (reply.lock().delete() ? null : reply.lock().newItem()) : reply.item();
          return new Observed(reply.partition(), reply.version(), reply.lock().txId(), shown);
        });
  }

  /** What DynamoDB answers a read that meets a running transaction (or keeps changing). */
  private static ServiceException conflict() {
    return DynamoErrors.TransactionCanceledException.exception("Transaction cancelled, "
        + "please refer cancellation reasons for specific reasons [TransactionConflict]");
  }
}
