package fabric.dynamo.index;

import fabric.dynamo.expr.KeyCondition;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PageBuilder;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.partition.RequestExpressions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Query and Scan pages of a global secondary index: index order (index key, then the base
 * item's key, since index keys need not be unique), the projected items, and a
 * LastEvaluatedKey of the table's and the index's key attributes, as DynamoDB's.
 */
final class GlobalIndexReads {
  private GlobalIndexReads() {}

    static PartitionReply.Page query(IndexState state, IndexCommand.Query query) {
    KeySchema indexKeys = state.spec().keySchema();
    RequestExpressions.Parsed parsed = query.expressions().parse(indexKeys);
    KeyCondition condition = parsed.keyCondition();
    AttributeValue hash = condition.hashValue();
    long token = PrimaryKey.token(hash);
    GlobalIndexStore.Entry start;
    boolean after;
    if (query.exclusiveStartKey() != null) {
      start = startEntry(state, query.exclusiveStartKey());
      if (!start.indexKey().hash().equals(hash)) {
        throw DynamoErrors.validation("The provided starting key does not match the range "
            + "key predicate");
      }
      after = true;
    } else if (query.forward()) {
      var lower = condition.range().map(KeyCondition.RangeCondition::lowerBound).orElse(null);
      start = probe(new PrimaryKey(hash, lower == null ? null : lower.value(), token),
          GlobalIndexStore.FIRST_BASE);
      after = false;
    } else {
      var upper = condition.range().map(KeyCondition.RangeCondition::upperBound).orElse(null);
      // No upper bound: from the end of this partition key's token (at the last token,
      // from the very end of the index).
      start = upper != null ? probe(new PrimaryKey(hash, upper.value(), token),
          GlobalIndexStore.LAST_BASE) : token == Long.MAX_VALUE ? null
          : probe(PrimaryKey.firstOfToken(token + 1), GlobalIndexStore.FIRST_BASE);
      after = false;
    }
    PageBuilder page = new PageBuilder(parsed, query.limit(), query.maxBytes());
    boolean matched = false;
    for (GlobalIndexStore.Entry e : state.entries().walk(start, after, !query.forward())) {
      PrimaryKey key = e.indexKey();
      if (key.token() != token) {
        if (matched || query.forward() || key.token() < token) {
          break; // left this partition key's token
        }
        continue;
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
      if (page.add(e.item())) {
        return page.done(lastKey(state, e));
      }
    }
    return page.done(null);
  }

  static PartitionReply.Page scan(IndexState state, IndexCommand.Scan scan) {
    RequestExpressions.Parsed parsed = scan.expressions().parse(state.spec().keySchema());
    GlobalIndexStore.Entry start = scan.exclusiveStartKey() == null
        ? probe(PrimaryKey.firstOfToken(scan.fromToken()), GlobalIndexStore.FIRST_BASE)
        : startEntry(state, scan.exclusiveStartKey());
    PageBuilder page = new PageBuilder(parsed, scan.limit(), scan.maxBytes());
    for (GlobalIndexStore.Entry e : state.entries().walk(start,
        scan.exclusiveStartKey() != null, false)) {
      if (e.indexKey().token() > scan.toToken()) {
        break;
      }
      if (page.add(e.item())) {
        return page.done(lastKey(state, e));
      }
    }
    return page.done(null);
  }

  private static GlobalIndexStore.Entry probe(PrimaryKey indexKey, PrimaryKey base) {
    return new GlobalIndexStore.Entry(base, indexKey, null);
  }

  /** ExclusiveStartKey of an index read: the table's key and the index's key attributes
   *  (what LastEvaluatedKey gave). */
  private static GlobalIndexStore.Entry startEntry(IndexState state,
      Map<String, AttributeValue> k) {
    KeySchema table = state.tableKeys();
    KeySchema index = state.spec().keySchema();
    Map<String, AttributeValue> base = new LinkedHashMap<>();
    base.put(table.hashName(), k.get(table.hashName()));
    if (table.hasRange()) {
      base.put(table.rangeName(), k.get(table.rangeName()));
    }
    PrimaryKey indexKey = IndexChanges.indexKey(index, new Item(k));
    if (base.containsValue(null) || indexKey == null) {
      throw DynamoErrors.validation("The provided starting key is invalid: it needs the "
          + "table's and the index's key attributes");
    }
    return probe(indexKey, table.keyOf(base));
  }

  private static Map<String, AttributeValue> lastKey(IndexState state,
      GlobalIndexStore.Entry e) {
    Map<String, AttributeValue> last = new LinkedHashMap<>(state.tableKeys().asMap(
        e.baseKey()));
    last.putAll(state.spec().keySchema().asMap(e.indexKey()));
    return last;
  }
}
