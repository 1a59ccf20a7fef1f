package fabric.dynamo.service;

import fabric.core.error.ServiceException;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.ErrorItems;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.partition.TxLocks;
import fabric.dynamo.table.IndexSpec;
import fabric.dynamo.table.TableState;
import fabric.dynamo.tx.TransactionDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TransactWriteItems and TransactGetItems, all or nothing across partitions: a coordinator
 * entity per ClientRequestToken holds the participants and the decision; each partition
 * prepares (checks its condition, locks the item) and then commits or aborts. Nothing is
 * visible before the decision; a read that finds a locked item asks the coordinator and
 * shows the transaction's write once it is committed, so no reader sees half of it. A
 * transaction whose driver died is finished by whoever finds it: pending after
 * {@link #ABANDONED_MILLIS} means cancelled, committed means committed everywhere.
 */
public final class DynamoTransactions {
  private static final Logger log = LoggerFactory.getLogger(DynamoTransactions.class);
  public static final int MAX_ITEMS = 100;
  /** A transaction still pending this long lost its driver (a crashed node): cancel it. */
  static final long ABANDONED_MILLIS = 5_000;
  private static final Pattern LOCKED_BY = Pattern.compile("\\(transaction: ([^)]+)\\)");
  private final DynamoService dynamo;
  private final TransactionReads reads;

  DynamoTransactions(DynamoService dynamo) {
    this.dynamo = dynamo;
    this.reads = new TransactionReads(dynamo, this);
  }

  /** One action of a TransactWriteItems: Put ({@code item}), Update, Delete, ConditionCheck. */
  public record Write(String table, String op, Item item, Map<String, AttributeValue> key,
      RequestExpressions expressions, boolean oldOnConditionFailure) {
    public Write(String table, String op, Item item, Map<String, AttributeValue> key,
        RequestExpressions expressions) {
      this(table, op, item, key, expressions, false);
    }
  }

  /** @param globalIndexes the table's, whose key types an Update's result must respect */
  private record Prepared(Write write, String partition, List<IndexSpec> globalIndexes) {}

  public CompletionStage<Void> transactWrite(String account, List<Write> writes,
      String clientRequestToken) {
    if (writes.isEmpty() || writes.size() > MAX_ITEMS) {
      throw DynamoErrors.validation("1 validation error detected: Value at 'transactItems' "
          + "failed to satisfy constraint: Member must have length less than or equal to "
          + MAX_ITEMS + " and greater than or equal to 1");
    }
    String token = clientRequestToken == null || clientRequestToken.isEmpty()
        ? UUID.randomUUID().toString() : clientRequestToken;
    // A token is a region's (as an AWS endpoint's): the same token in two regions is two
    // transactions.
    String txId = account + "/" + dynamo.region() + "/" + token;
    return dynamo.activeTables(account, writes.stream().map(Write::table).distinct().toList())
        .thenCompose(tables -> {
          List<Prepared> prepared = new ArrayList<>();
          Set<String> items = new HashSet<>();
          for (Write w : writes) {
            TableState t = tables.get(w.table());
            KeySchema keys = t.spec().keySchema();
            w.expressions().parse(keys);
            PrimaryKey key = w.item() != null ? keys.keyOfItem(w.item().checkSize())
                : keys.keyOf(w.key());
            if (w.item() != null) {
              t.spec().checkIndexKeys(w.item());
            }
            if (!items.add(w.table() + "\n" + keys.asMap(key))) {
              throw DynamoErrors.validation("Transaction request cannot include multiple "
                  + "operations on one item");
            }
            TableId id = dynamo.table(account, w.table());
            prepared.add(new Prepared(w, id.partitionEntityId(t.tableId(),
                DynamoService.partitionOf(t, key.hash())), t.spec().globalIndexes()));
          }
          List<TransactionDefinition.Participant> participants = prepared.stream()
              .map(p -> new TransactionDefinition.Participant(p.partition())).distinct()
              .toList();
          return coordinator(txId, r -> new TransactionDefinition.Begin(digest(writes),
              participants, dynamo.clock().millis(), r)).thenCompose(status -> {
                if (TransactionDefinition.COMMITTED.equals(status.status())) {
                  return finish(txId, status); // a retry of a committed transaction
                }
                if (TransactionDefinition.CANCELLED.equals(status.status())) {
                  return finish(txId, status).thenApply(v -> {
                    throw cancelled(status.reasons());
                  });
                }
                return prepareAll(txId, prepared);
              });
        });
  }

  private CompletionStage<Void> prepareAll(String txId, List<Prepared> prepared) {
    List<CompletableFuture<PartitionReply.Vote>> votes = prepared.stream().map(p ->
        dynamo.entities().ask(PartitionDefinition.TYPE_KEY, p.partition(),
            r -> new PartitionCommand.PrepareTx(txId, p.write().op(), p.write().item(),
                p.write().key(), p.write().expressions(), p.write().oldOnConditionFailure(),
                dynamo.clock().millis(), p.globalIndexes(), r),
            PartitionReply.Vote.class)
            .exceptionally(failure -> {
              // Unanswered (a failover): it may or may not have prepared; cancelling is
              // safe either way, an abort releases a lock it took.
              log.warn("transaction {}: {} did not answer its prepare, cancelling: {}", txId,
                  p.partition(), failure.toString());
              return new PartitionReply.Vote(false, "TransactionConflict",
                  failure.getMessage());
            })
            .toCompletableFuture()).toList();
    return CompletableFuture.allOf(votes.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      List<String> reasons = votes.stream().map(f -> f.join().yes() ? "None"
          : f.join().reason()).toList();
      boolean commit = reasons.stream().allMatch("None"::equals);
      return coordinator(txId, r -> new TransactionDefinition.Decide(commit,
          commit ? List.of() : reasons, r));
    }).thenCompose(status -> finish(txId, status).thenApply(v -> {
      if (!TransactionDefinition.COMMITTED.equals(status.status())) {
        // This call's votes (with the items a failed condition asked for), unless the
        // coordinator kept another call's decision (a retry racing it).
        List<ErrorItems.Reason> reasons = new ArrayList<>();
        for (int i = 0; i < votes.size(); i++) {
          PartitionReply.Vote vote = votes.get(i).join();
          reasons.add(vote.yes() ? new ErrorItems.Reason("None", null, null)
              : new ErrorItems.Reason(vote.reason(), vote.message(), vote.item()));
        }
        boolean ours = reasons.stream().map(ErrorItems.Reason::code).toList()
            .equals(status.reasons());
        throw ours ? ErrorItems.transactionCanceled(reasons) : cancelled(status.reasons());
      }
      return null;
    }));
  }

  /** Brings every participant to the decision (commit or abort); waits for them. */
  private CompletionStage<Void> finish(String txId, TransactionDefinition.Status status) {
    boolean commit = TransactionDefinition.COMMITTED.equals(status.status());
    List<CompletableFuture<PartitionReply.Done>> all = status.participants().stream()
        .map(p -> dynamo.entities().ask(PartitionDefinition.TYPE_KEY, p.partitionEntityId(),
            r -> commit ? new PartitionCommand.CommitTx(txId, dynamo.clock().millis(), r)
                : new PartitionCommand.AbortTx(txId, r), PartitionReply.Done.class)
            .toCompletableFuture()).toList();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((v, failure) -> {
          if (failure != null) {
            // The decision is durable; a participant that missed it is finished by the
            // next request that finds its lock.
            log.warn("transaction {} {}: a participant is not finished yet: {}", txId,
                status.status(), failure.toString());
          }
          return null;
        });
  }

  private CompletionStage<TransactionDefinition.Status> coordinator(String txId,
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<
          fabric.core.entity.Reply>, TransactionDefinition.Command> command) {
    return dynamo.entities().ask(TransactionDefinition.TYPE_KEY, txId, command::apply,
        TransactionDefinition.Status.class);
  }

  /** A cancellation known by its codes only (the coordinator keeps no items). */
  private static ServiceException cancelled(List<String> reasons) {
    return ErrorItems.transactionCanceled(reasons.stream().map(code ->
        new ErrorItems.Reason(code, null, null)).toList());
  }

  private static String digest(List<Write> writes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(writes.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a reader sees of an item a transaction holds: the transaction's write once its
   * coordinator committed (finishing the transaction there), else the committed value; a
   * transaction abandoned by its driver is cancelled here.
   */
  CompletionStage<Item> visible(Item committed, TxLocks.Lock lock) {
    if (lock == null) {
      return CompletableFuture.completedFuture(committed);
    }
    return statusOf(lock.txId()).thenApply(status -> {
      if (TransactionDefinition.COMMITTED.equals(status.status())) {
        finish(lock.txId(), status);
        return lock.delete() ? null : lock.newItem();
      }
      if (TransactionDefinition.CANCELLED.equals(status.status())) {
        finish(lock.txId(), status);
      }
      return committed;
    });
  }

  /** The status of a transaction a reader found holding an item; one still pending past
   *  {@link #ABANDONED_MILLIS} lost its driver and is cancelled (and finished) first. */
  CompletionStage<TransactionDefinition.Status> statusOf(String txId) {
    return coordinator(txId, TransactionDefinition.GetStatus::new).thenCompose(status ->
        TransactionDefinition.PENDING.equals(status.status())
            && dynamo.clock().millis() - status.startedAtMillis() > ABANDONED_MILLIS
            ? resolve(txId) : CompletableFuture.completedFuture(status));
  }

  /** Finishes a transaction found half-way: cancels it if still pending, then brings every
   *  participant to the decision. */
  CompletionStage<TransactionDefinition.Status> resolve(String txId) {
    return coordinator(txId, r -> new TransactionDefinition.Decide(false, List.of(), r))
        .thenCompose(status -> finish(txId, status).thenApply(v -> status));
  }

  /** The transaction a TransactionConflictException names, if any. */
  static String lockHolder(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException
        && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof ServiceException se && se.error().code().equals(
        DynamoErrors.TransactionConflictException.awsCode())) {
      Matcher m = LOCKED_BY.matcher(se.error().message());
      return m.find() ? m.group(1) : null;
    }
    return null;
  }

  /**
   * A write found {@code txId}'s lock: a decided transaction is finished, an abandoned one
   * (pending past {@link #ABANDONED_MILLIS}) cancelled and finished; true if the lock is
   * gone so the write can be retried, false if the transaction is still running.
   */
  CompletionStage<Boolean> resolveIfAbandoned(String txId) {
    return statusOf(txId).thenCompose(status ->
        TransactionDefinition.PENDING.equals(status.status())
            ? CompletableFuture.completedFuture(false)
            : finish(txId, status).thenApply(v -> true));
  }

  /** One Get of a TransactGetItems. */
  public record Get(String table, Map<String, AttributeValue> key,
      RequestExpressions projection) {}

  /**
   * TransactGetItems: the items as of one moment: strongly consistent reads, refused with
   * TransactionConflict while a pending transaction holds any of them.
   */
  public CompletionStage<List<Item>> transactGet(String account, List<Get> gets) {
    if (gets.isEmpty() || gets.size() > MAX_ITEMS) {
      throw DynamoErrors.validation("1 validation error detected: Value at 'transactItems' "
          + "failed to satisfy constraint: Member must have length less than or equal to "
          + MAX_ITEMS + " and greater than or equal to 1");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (Get g : gets) {
      if (!seen.add(g.table() + "\n" + g.key())) {
        throw DynamoErrors.validation("Transaction request cannot include multiple "
            + "operations on one item");
      }
    }
    return reads.snapshot(account, gets, 0);
  }
}
