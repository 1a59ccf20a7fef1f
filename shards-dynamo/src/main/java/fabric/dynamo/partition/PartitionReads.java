package fabric.dynamo.partition;

import fabric.dynamo.expr.KeyCondition;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;

/** GetItem, Scan and Query pages of one partition: read-only, pure. */
final class PartitionReads {
  private PartitionReads() {}

  static PartitionReply.ItemReply get(PartitionState state, PartitionCommand.Get get) {
    RequestExpressions.Parsed parsed = get.expressions().parse(state.keySchema());
    PrimaryKey key = state.keySchema().keyOf(get.key());
    Item item = state.items().get(key);
    // A transaction holds the item: the committed value, and the lock so that the service
    // can show the transaction's write once the coordinator decided it.
    TxLocks.Lock lock = state.locks().of(key);
    // RCUs: 4 KB per unit of the whole item (a projection does not make a read cheaper).
    double units = Math.max(1, Math.ceil((item == null ? 0 : item.sizeBytes()) / 4096.0));
    var projection = parsed.projection();
    TxLocks.Lock shown = lock == null || lock.checkOnly() ? null
        : new TxLocks.Lock(lock.txId(), lock.key(), lock.newItem() == null
            || projection == null ? lock.newItem() : projection.apply(lock.newItem()),
            lock.delete(), lock.atMillis());
    return new PartitionReply.ItemReply(item == null || projection == null ? item
        : projection.apply(item), units, shown, state.entityId(), state.items().version(key),
        state.split() != null);
  }

  static PartitionReply.Page scan(PartitionState state, PartitionCommand.Scan scan) {
    KeySchema keys = state.keySchema();
    PageBuilder page = new PageBuilder(scan.expressions().parse(keys), scan.limit(),
        scan.maxBytes());
    PrimaryKey start = scan.exclusiveStartKey() == null
        ? PrimaryKey.firstOfToken(scan.fromToken()) : keys.keyOf(scan.exclusiveStartKey());
    for (var e : state.items().walk(start, scan.exclusiveStartKey() != null, false)) {
      if (e.getKey().token() > scan.toToken()) {
        break;
      }
      if (page.add(e.getValue())) {
        return page.done(keys.asMap(e.getKey()));
      }
    }
    return page.done(null);
  }

  /**
   * The items of the condition's partition key whose sort key matches, in order: the
   * matching items of one partition key are contiguous in the tree, so the walk skips to
   * the first match and stops at the first non-match after it.
   */
  static PartitionReply.Page query(PartitionState state, PartitionCommand.Query query) {
    if (query.indexName() != null) {
      return LocalIndexReads.query(state, query);
    }
    KeySchema keys = state.keySchema();
    RequestExpressions.Parsed parsed = query.expressions().parse(keys);
    KeyCondition condition = parsed.keyCondition();
    AttributeValue hash = condition.hashValue();
    long token = PrimaryKey.token(hash);
    PageBuilder page = new PageBuilder(parsed, query.limit(), query.maxBytes());
    PrimaryKey start;
    boolean after;
    if (query.exclusiveStartKey() != null) {
      start = keys.keyOf(query.exclusiveStartKey());
      if (!start.hash().equals(hash)) {
        throw DynamoErrors.validation("The provided starting key does not match the range "
            + "key predicate");
      }
      after = true;
    } else if (query.forward()) {
      var lower = condition.range().map(KeyCondition.RangeCondition::lowerBound).orElse(null);
      start = lower == null ? new PrimaryKey(hash, null, token)
          : PrimaryKey.of(hash, lower.value());
      after = false;
    } else {
      var upper = condition.range().map(KeyCondition.RangeCondition::upperBound).orElse(null);
      // No upper bound: from the end of this partition key (the first key of the next
      // token; at the last token, from the very end).
      start = upper == null ? (token == Long.MAX_VALUE ? null
          : PrimaryKey.firstOfToken(token + 1)) : PrimaryKey.of(hash, upper.value());
      after = upper == null;
    }
    boolean matched = false;
    for (var e : state.items().walk(start, after, !query.forward())) {
      PrimaryKey key = e.getKey();
      if (key.token() != token) {
        break;
      }
      boolean match = key.hash().equals(hash) && condition.range()
          .map(r -> r.test(key.range())).orElse(true);
      if (!match) {
        if (matched) {
          break;
        }
        continue;
      }
      matched = true;
      if (page.add(e.getValue())) {
        return page.done(keys.asMap(key));
      }
    }
    return page.done(null);
  }
}
