package fabric.dynamo.index;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionEvent;
import fabric.dynamo.partition.TxLocks;
import fabric.dynamo.table.IndexSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A base partition's events as index changes: every event that changes items (puts,
 * deletes, transaction commits, TTL expiries, a split child's Loaded copy) becomes "this
 * base item's entry is now X, or none". Each change states the whole entry, so applying an
 * event twice (a Loaded copy of items the index had from the parent) changes nothing.
 */
final class IndexChanges {
  private IndexChanges() {}

  static void of(IndexSpec spec, KeySchema tableKeys, PartitionEvent event,
      List<IndexEvent.Change> out) {
    if (event instanceof PartitionEvent.ItemPut put) {
      out.add(change(spec, tableKeys, put.key(), put.item()));
    } else if (event instanceof PartitionEvent.ItemDeleted d) {
      out.add(new IndexEvent.Change(d.key(), null));
    } else if (event instanceof PartitionEvent.ItemsExpired x) {
      x.keys().forEach(k -> out.add(new IndexEvent.Change(k, null)));
    } else if (event instanceof PartitionEvent.TxCommitted c) {
      for (TxLocks.Lock l : c.applied()) {
        if (l.delete()) {
          out.add(new IndexEvent.Change(l.key(), null));
        } else if (l.newItem() != null) {
          out.add(change(spec, tableKeys, l.key(), l.newItem()));
        }
      }
    } else if (event instanceof PartitionEvent.Loaded l) {
      for (Item item : l.items()) {
        out.add(change(spec, tableKeys, tableKeys.keyOfItem(item), item));
      }
    }
    // Frozen, Dropped (a split's parent: its children's Loaded events carry its items),
    // prepares, aborts, configuration: no item changed.
  }

  /** The entry of {@code item} (key {@code key}): none when it lacks an index key attribute
   *  or has one of another type (sparse, as DynamoDB's; writes of a wrong type are refused
   *  before they reach a partition). */
  static IndexEvent.Change change(IndexSpec spec, KeySchema tableKeys, PrimaryKey key,
      Item item) {
    PrimaryKey indexKey = indexKey(spec.keySchema(), item);
    return new IndexEvent.Change(key, indexKey == null ? null
        : new GlobalIndexStore.Entry(key, indexKey, project(spec, tableKeys, item)));
  }

  static PrimaryKey indexKey(KeySchema keys, Item item) {
    AttributeValue hash = item.get(keys.hashName());
    if (hash == null || !hash.type().equals(keys.hashType())) {
      return null;
    }
    AttributeValue range = null;
    if (keys.hasRange()) {
      range = item.get(keys.rangeName());
      if (range == null || !range.type().equals(keys.rangeType())) {
        return null;
      }
    }
    return PrimaryKey.of(hash, range);
  }

  /** The item as the index shows it: table and index keys always, then the projection. */
  static Item project(IndexSpec spec, KeySchema tableKeys, Item item) {
    if ("ALL".equals(spec.projectionType())) {
      return item;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    item.attributes().forEach((name, value) -> {
      if (projected(spec, tableKeys, name)) {
        out.put(name, value);
      }
    });
    return new Item(out);
  }

  static boolean projected(IndexSpec spec, KeySchema tableKeys, String name) {
    KeySchema k = spec.keySchema();
    return "ALL".equals(spec.projectionType()) || name.equals(tableKeys.hashName())
        || name.equals(tableKeys.rangeName()) || name.equals(k.hashName())
        || name.equals(k.rangeName()) || spec.nonKeyAttributes().contains(name);
  }
}
