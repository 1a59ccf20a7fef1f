package fabric.dynamo.service;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.ErrorItems;
import fabric.dynamo.model.Item;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.table.TableState;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PutItem, GetItem, UpdateItem and DeleteItem: each request's expressions are checked here
 * first (a bad one never reaches a partition), then evaluated by the partition that owns the
 * key, against its current item.
 */
public final class DynamoItems {
  private static final Set<String> UPDATE_RETURN_VALUES =
      Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
  private final DynamoService dynamo;

  DynamoItems(DynamoService dynamo) {
    this.dynamo = dynamo;
  }

  /** An item operation's result and the capacity units it consumed. */
  public record Result(Item item, double capacityUnits) {}

  /** A write's command for the partition, given its table as the service last saw it. */
  @FunctionalInterface
  private interface CommandOf {
    PartitionCommand apply(TableState table,
        org.apache.pekko.actor.typed.ActorRef<fabric.core.entity.Reply> replyTo);
  }

  /** Times a write follows its key into a split's children before it gives up: a child can
   *  split again soon after (throughput splits halve until the rate fits). */
  static final int MAX_SPLIT_RETRIES = 5;

  /** @param put the item a PutItem writes (checked against the index keys), else null */
  private CompletionStage<Result> write(String account, String table, Item put,
      Map<String, AttributeValue> keyOrItem, RequestExpressions expressions,
      CommandOf command) {
    return write(account, table, put, keyOrItem, expressions, command, MAX_SPLIT_RETRIES);
  }

  private CompletionStage<Result> write(String account, String table, Item put,
      Map<String, AttributeValue> keyOrItem, RequestExpressions expressions,
      CommandOf command, int splitRetries) {
    return writeOnce(account, table, put, keyOrItem, expressions, command)
        .handle((result, failure) -> {
          String holder = failure == null ? null : DynamoTransactions.lockHolder(failure);
          if (failure == null) {
            return CompletableFuture.completedFuture(result);
          }
          String frozen = splitting(failure);
          if (frozen != null && splitRetries > 0) {
            // Its partition is splitting: finish the split (its driver may be gone), then
            // write to the child that now owns the key.
            // A finish that failed (another node finished it first and dropped the parent)
            // still leaves the write to try the map as it is now.
            return dynamo.splits().finish(dynamo.table(account, table), frozen)
                .handle((t, finishFailure) -> write(account, table, put, keyOrItem,
                    expressions, command, splitRetries - 1))
                .thenCompose(java.util.function.Function.identity());
          }
          if (holder == null) {
            return CompletableFuture.<Result>failedFuture(failure);
          }
          // A transaction holds the item: finish it if it is decided or abandoned, then
          // try once more; a running one answers TransactionConflict, as DynamoDB.
          return dynamo.transactions().resolveIfAbandoned(holder).thenCompose(gone -> gone
              ? writeOnce(account, table, put, keyOrItem, expressions, command)
              : CompletableFuture.<Result>failedFuture(failure));
        }).thenCompose(java.util.function.Function.identity());
  }

  private CompletionStage<Result> writeOnce(String account, String table, Item put,
      Map<String, AttributeValue> keyOrItem, RequestExpressions expressions,
      CommandOf command) {
    TableId id = dynamo.table(account, table);
    return dynamo.onPartition(id, t -> {
      expressions.parse(t.spec().keySchema()); // refused here, before any partition
      if (put != null) {
        t.spec().checkIndexKeys(put);
      }
      return DynamoService.hashOf(t, keyOrItem);
    }, (t, partition) -> dynamo.entities().ask(PartitionDefinition.TYPE_KEY, partition,
        r -> command.apply(t, r), PartitionReply.class)
        .handle((reply, failure) -> {
          if (failure != null) {
            throw new PartitionFailure(partition, failure);
          }
          if (reply instanceof PartitionReply.ConditionFailed failed) {
            throw ErrorItems.conditionalCheckFailed(failed.item());
          }
          PartitionReply.ItemReply r = (PartitionReply.ItemReply) reply;
          dynamo.splits().afterWrite(id, t, partition);
          return new Result(r.item(), r.capacityUnits());
        }));
  }

  /** A partition's refusal, with the partition it came from (a frozen one is finished). */
  private static final class PartitionFailure extends java.util.concurrent.CompletionException {
    final String partition;

    PartitionFailure(String partition, Throwable cause) {
      super(cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null
          ? cause.getCause() : cause);
      this.partition = partition;
    }
  }

  /** The partition entity a "partition is splitting" refusal came from, or null. */
  private static String splitting(Throwable failure) {
    Throwable f = failure;
    while (f != null && !(f instanceof PartitionFailure)) {
      f = f.getCause();
    }
    if (f instanceof PartitionFailure pf && pf.getCause() instanceof fabric.core.error
        .ServiceException se && se.error().message().contains("partition is splitting")) {
      return pf.partition;
    }
    return null;
  }

  /** PutItem; the old item with ReturnValues ALL_OLD, else null. */
  public CompletionStage<Result> putItem(String account, String table, Item item,
      RequestExpressions expressions, boolean returnOld) {
    return putItem(account, table, item, expressions, returnOld, false);
  }

  /** @param oldOnConditionFailure ReturnValuesOnConditionCheckFailure ALL_OLD: the
   *      ConditionalCheckFailedException carries the current item ({@link ErrorItems}) */
  public CompletionStage<Result> putItem(String account, String table, Item item,
      RequestExpressions expressions, boolean returnOld, boolean oldOnConditionFailure) {
    return write(account, table, item, item.attributes(), expressions,
        (t, r) -> new PartitionCommand.Put(item, expressions, returnOld, oldOnConditionFailure,
            dynamo.clock().millis(), r));
  }

  public CompletionStage<Result> deleteItem(String account, String table,
      Map<String, AttributeValue> key, RequestExpressions expressions, boolean returnOld) {
    return deleteItem(account, table, key, expressions, returnOld, false);
  }

  public CompletionStage<Result> deleteItem(String account, String table,
      Map<String, AttributeValue> key, RequestExpressions expressions, boolean returnOld,
      boolean oldOnConditionFailure) {
    return write(account, table, null, key, expressions,
        (t, r) -> new PartitionCommand.Delete(key, expressions, returnOld, oldOnConditionFailure,
            dynamo.clock().millis(), r));
  }

  public CompletionStage<Result> updateItem(String account, String table,
      Map<String, AttributeValue> key, RequestExpressions expressions, String returnValues) {
    return updateItem(account, table, key, expressions, returnValues, false);
  }

  /** UpdateItem; what ReturnValues asks for (null for NONE or nothing to return). */
  public CompletionStage<Result> updateItem(String account, String table,
      Map<String, AttributeValue> key, RequestExpressions expressions, String returnValues,
      boolean oldOnConditionFailure) {
    String rv = returnValues == null || returnValues.isEmpty() ? "NONE" : returnValues;
    if (!UPDATE_RETURN_VALUES.contains(rv)) {
      throw DynamoErrors.validation("1 validation error detected: Value '" + rv + "' at "
          + "'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
          + "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
    }
    return write(account, table, null, key, expressions,
        (t, r) -> new PartitionCommand.Update(key, expressions, rv, oldOnConditionFailure,
            dynamo.clock().millis(), t.spec().globalIndexes(), r));
  }

  /** GetItem: strongly consistent from the partition's leader, else from this AZ's
   *  follower (which may lag, as DynamoDB's eventually consistent reads may). An item a
   *  transaction holds shows the transaction's write only once it is committed. */
  public CompletionStage<Result> getItem(String account, String table,
      Map<String, AttributeValue> key, RequestExpressions expressions, boolean consistentRead) {
    TableId id = dynamo.table(account, table);
    return dynamo.onPartition(id, t -> {
      expressions.parse(t.spec().keySchema());
      return DynamoService.hashOf(t, key);
    }, (t, partition) -> {
      var read = dynamo.entities().ask(PartitionDefinition.TYPE_KEY, partition,
          dynamo.read(consistentRead), r -> new PartitionCommand.Get(key, expressions,
              DynamoService.readCharge(t, consistentRead), r),
          PartitionReply.ItemReply.class);
      return consistentRead ? dynamo.ownedRead(id, partition, read) : read;
    })
        .thenCompose(r -> dynamo.transactions().visible(r.item(), r.lock()).thenApply(item ->
            new Result(item, consistentRead ? r.capacityUnits() : r.capacityUnits() / 2)));
  }
}
