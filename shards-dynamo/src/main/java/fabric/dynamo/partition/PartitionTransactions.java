package fabric.dynamo.partition;

import fabric.core.entity.Outcome;
import fabric.core.error.ServiceException;
import fabric.dynamo.expr.Update;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.table.IndexSpec;

/** A partition's part of a transaction: prepare (check and lock), commit, abort. */
final class PartitionTransactions {
  private PartitionTransactions() {}

  /** A write outside the transaction that holds {@code key}: refused, naming it. */
  static void checkNotLocked(PartitionState state, PrimaryKey key) {
    TxLocks.Lock lock = state.locks().of(key);
    if (lock != null) {
      throw DynamoErrors.TransactionConflictException.exception("Transaction is ongoing for "
          + "the item (transaction: " + lock.txId() + ")");
    }
  }

  static Outcome<PartitionEvent, PartitionState> prepare(PartitionState state,
      PartitionCommand.PrepareTx p) {
    var keys = state.keySchema();
    PrimaryKey key;
    Item newItem = null;
    boolean delete = false;
    try {
      RequestExpressions.Parsed parsed = p.expressions().parse(keys);
      key = p.item() != null ? keys.keyOfItem(p.item()) : keys.keyOf(p.key());
      TxLocks.Lock held = state.locks().of(key);
      if (held != null) {
        return Outcome.reply(held.txId().equals(p.txId())
            ? new PartitionReply.Vote(true, null, null) // prepared before: a retry
            : new PartitionReply.Vote(false, "TransactionConflict", "Transaction is ongoing "
                + "for the item"));
      }
      Item old = state.items().get(key);
      if (parsed.condition() != null && !parsed.condition().test(old)) {
        return Outcome.reply(new PartitionReply.Vote(false, "ConditionalCheckFailed",
            "The conditional request failed", p.oldOnConditionFailure() ? old : null));
      }
      switch (p.op()) {
        case "Put" -> newItem = p.item().checkSize();
        case "Update" -> {
          Item base = old != null ? old : new Item(keys.asMap(key));
          Update.Result r = parsed.update() == null ? new Update.Result(base, null, null)
              : parsed.update().apply(base, keys.asMap(key).keySet());
          newItem = r.item().checkSize();
          IndexSpec.checkKeys(state.localIndexes(), newItem);
          IndexSpec.checkKeys(p.globalIndexes(), newItem);
        }
        case "Delete" -> delete = true;
        default -> { } // ConditionCheck: only the condition, nothing written
      }
    } catch (ServiceException e) {
      return Outcome.reply(new PartitionReply.Vote(false, "ValidationError",
          e.error().message()));
    }
    TxLocks.Lock lock = new TxLocks.Lock(p.txId(), key, newItem, delete, p.nowMillis());
    return Outcome.persist(new PartitionEvent.TxPrepared(lock),
        s -> new PartitionReply.Vote(true, null, null));
  }

  static Outcome<PartitionEvent, PartitionState> commit(PartitionState state,
      PartitionCommand.CommitTx c) {
    var locks = state.locks().ofTransaction(c.txId());
    return locks.isEmpty() ? Outcome.reply(new PartitionReply.Done())
        : Outcome.persist(new PartitionEvent.TxCommitted(c.txId(), locks,
            PartitionGlobal.stamp(state, locks.stream().map(TxLocks.Lock::key).toList(),
                c.nowMillis())),
            s -> new PartitionReply.Done());
  }

  static Outcome<PartitionEvent, PartitionState> abort(PartitionState state,
      PartitionCommand.AbortTx a) {
    return state.locks().ofTransaction(a.txId()).isEmpty()
        ? Outcome.reply(new PartitionReply.Done())
        : Outcome.persist(new PartitionEvent.TxAborted(a.txId()),
            s -> new PartitionReply.Done());
  }

  static PartitionState evolve(PartitionState s, PartitionEvent event) {
    if (event instanceof PartitionEvent.TxPrepared p) {
      return s.withLocks(s.locks().plus(p.lock()));
    }
    if (event instanceof PartitionEvent.TxCommitted c) {
      ItemStore items = s.items();
      for (TxLocks.Lock l : c.applied()) {
        if (l.delete()) {
          items = items.remove(l.key(), s.appliedEvents());
        } else if (l.newItem() != null) {
          items = items.put(l.key(), l.newItem(), s.appliedEvents());
        }
      }
      return s.with(items, s.capacity()).withLocks(s.locks().minusTransaction(c.txId()));
    }
    return s.withLocks(s.locks().minusTransaction(((PartitionEvent.TxAborted) event).txId()));
  }
}
