package fabric.dynamo.partition;

import fabric.dynamo.expr.KeyCondition;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Query on a local secondary index: the index's order, its projection, its keys. */
final class LocalIndexReads {
  private LocalIndexReads() {}

  static PartitionReply.Page query(PartitionState state, PartitionCommand.Query query) {
    LocalIndex index = state.items().index(query.indexName());
    if (index == null) {
      throw DynamoErrors.validation("The table does not have the specified index: "
          + query.indexName());
    }
    KeySchema table = state.keySchema();
    KeySchema indexKeys = index.spec().keySchema();
    RequestExpressions.Parsed parsed = query.expressions().parse(indexKeys);
    KeyCondition condition = parsed.keyCondition();
    AttributeValue hash = condition.hashValue();
    long token = PrimaryKey.token(hash);
    PrimaryKey start;
    PrimaryKey startItem = null;
    boolean after;
    if (query.exclusiveStartKey() != null) {
      Map<String, AttributeValue> k = query.exclusiveStartKey();
      startItem = table.keyOf(tableKey(table, k));
      AttributeValue indexValue = k.get(indexKeys.rangeName());
      if (indexValue == null || !startItem.hash().equals(hash)) {
        throw DynamoErrors.validation("The provided starting key is invalid");
      }
      start = new PrimaryKey(hash, indexValue, token);
      after = true;
    } else if (query.forward()) {
      var lower = condition.range().map(KeyCondition.RangeCondition::lowerBound).orElse(null);
      start = new PrimaryKey(hash, lower == null ? null : lower.value(), token);
      after = false;
    } else {
      var upper = condition.range().map(KeyCondition.RangeCondition::upperBound).orElse(null);
      start = upper == null ? (token == Long.MAX_VALUE ? PrimaryKey.firstOfToken(token)
          : PrimaryKey.firstOfToken(token + 1)) : new PrimaryKey(hash, upper.value(), token);
      after = upper == null;
    }
    PageBuilder page = new PageBuilder(parsed, query.limit(), query.maxBytes());
    boolean matched = false;
    for (LocalIndex.Entry e : index.walk(start, startItem, after, !query.forward())) {
      PrimaryKey key = e.indexKey();
      if (key.token() != token) {
        break; // the walk starts inside this partition key's token: leaving it ends it
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
      if (page.add(index.project(state.items().get(e.itemKey()), table))) {
        Map<String, AttributeValue> last = new LinkedHashMap<>(table.asMap(e.itemKey()));
        last.put(indexKeys.rangeName(), key.range());
        return page.done(last);
      }
    }
    return page.done(null);
  }

  private static Map<String, AttributeValue> tableKey(KeySchema table,
      Map<String, AttributeValue> k) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    out.put(table.hashName(), k.get(table.hashName()));
    if (table.hasRange()) {
      out.put(table.rangeName(), k.get(table.rangeName()));
    }
    if (out.containsValue(null)) {
      throw DynamoErrors.validation("The provided starting key is invalid: it needs the "
          + "table's key attributes");
    }
    return out;
  }
}
