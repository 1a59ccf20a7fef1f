package fabric.dynamo.partition;

import fabric.core.entity.Outcome;
import fabric.dynamo.expr.Update;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.table.IndexSpec;
import java.util.List;
import java.util.Set;

/** PutItem, UpdateItem and DeleteItem in one partition: conditions, updates, ReturnValues. */
final class PartitionWrites {
  private PartitionWrites() {}

  /** Null when the condition holds; else the item (ALL_OLD asked) or the exception. */
  private static Outcome<PartitionEvent, PartitionState> failed(
      RequestExpressions.Parsed parsed, Item old, boolean oldOnFailure) {
    if (parsed.condition() == null || parsed.condition().test(old)) {
      return null;
    }
    if (oldOnFailure) {
      return Outcome.reply(new PartitionReply.ConditionFailed(old));
    }
    throw DynamoErrors.ConditionalCheckFailedException.exception(
        "The conditional request failed");
  }

  static Outcome<PartitionEvent, PartitionState> put(PartitionState state,
      PartitionCommand.Put put) {
    RequestExpressions.Parsed parsed = put.expressions().parse(state.keySchema());
    Item item = put.item().checkSize();
    PrimaryKey key = state.keySchema().keyOfItem(item);
    PartitionTransactions.checkNotLocked(state, key);
    Item old = state.items().get(key);
    var failed = failed(parsed, old, put.oldOnConditionFailure());
    if (failed != null) {
      return failed;
    }
    double units = WriteCapacity.units(old, item);
    state.capacity().check(units, put.nowMillis());
    return Outcome.persist(new PartitionEvent.ItemPut(key, item, state.streamed() ? old : null,
        units, PartitionGlobal.stamp(state, List.of(key), put.nowMillis())),
        s -> new PartitionReply.ItemReply(put.returnOld() ? old : null, units));
  }

  static Outcome<PartitionEvent, PartitionState> delete(PartitionState state,
      PartitionCommand.Delete delete) {
    RequestExpressions.Parsed parsed = delete.expressions().parse(state.keySchema());
    PrimaryKey key = state.keySchema().keyOf(delete.key());
    PartitionTransactions.checkNotLocked(state, key);
    Item old = state.items().get(key);
    var failed = failed(parsed, old, delete.oldOnConditionFailure());
    if (failed != null) {
      return failed;
    }
    double units = WriteCapacity.units(old, null);
    if (old == null) {
      return Outcome.reply(new PartitionReply.ItemReply(null, units));
    }
    state.capacity().check(units, delete.nowMillis());
    return Outcome.persist(new PartitionEvent.ItemDeleted(key, state.streamed() ? old : null,
        units, PartitionGlobal.stamp(state, List.of(key), delete.nowMillis())),
        s -> new PartitionReply.ItemReply(delete.returnOld() ? old : null, units));
  }

  /** UpdateItem: creates the item from its key if absent, as DynamoDB does. */
  static Outcome<PartitionEvent, PartitionState> update(PartitionState state,
      PartitionCommand.Update update) {
    RequestExpressions.Parsed parsed = update.expressions().parse(state.keySchema());
    var keys = state.keySchema();
    PrimaryKey key = keys.keyOf(update.key());
    PartitionTransactions.checkNotLocked(state, key);
    Set<String> keyNames = keys.asMap(key).keySet();
    Item old = state.items().get(key);
    var failed = failed(parsed, old, update.oldOnConditionFailure());
    if (failed != null) {
      return failed;
    }
    Item base = old != null ? old : new Item(keys.asMap(key));
    Update.Result result = parsed.update() == null ? new Update.Result(base, null, null)
        : parsed.update().apply(base, keyNames);
    Item updated = result.item().checkSize();
    IndexSpec.checkKeys(state.localIndexes(), updated);
    IndexSpec.checkKeys(update.globalIndexes(), updated);
    Item reply = switch (update.returnValues()) {
      case "ALL_OLD" -> old;
      case "ALL_NEW" -> updated;
      case "UPDATED_OLD" -> old == null ? null : result.updatedOld();
      case "UPDATED_NEW" -> result.updatedNew();
      default -> null;
    };
    double units = WriteCapacity.units(old, updated);
    state.capacity().check(units, update.nowMillis());
    return Outcome.persist(new PartitionEvent.ItemPut(key, updated,
        state.streamed() ? old : null, units,
        PartitionGlobal.stamp(state, List.of(key), update.nowMillis())),
        s -> new PartitionReply.ItemReply(reply, units));
  }
}
