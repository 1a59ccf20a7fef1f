package fabric.dynamo.partition;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.table.IndexSpec;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pcollections.TreePSet;

/**
 * A local secondary index of a partition: the items that have the index's sort attribute,
 * ordered by partition key and that attribute (then the table's sort key), kept with the
 * items in the same write, so it is always consistent with them. Sparse, as DynamoDB's:
 * an item without the attribute is not in it.
 */
final class LocalIndex {
  /** One index entry: the index key (partition key + index sort value) and the item's key. */
  record Entry(PrimaryKey indexKey, PrimaryKey itemKey) {}

  private static final Comparator<Entry> ORDER = Comparator
      .comparing(Entry::indexKey, PrimaryKey.ORDER)
      .thenComparing(Entry::itemKey, PrimaryKey.ORDER);

  private final IndexSpec spec;
  private final TreePSet<Entry> entries;

  private LocalIndex(IndexSpec spec, TreePSet<Entry> entries) {
    this.spec = spec;
    this.entries = entries;
  }

  static LocalIndex empty(IndexSpec spec) {
    return new LocalIndex(spec, TreePSet.empty(ORDER));
  }

  IndexSpec spec() {
    return spec;
  }

  private Entry entry(PrimaryKey key, Item item) {
    AttributeValue v = item == null ? null : item.get(spec.keySchema().rangeName());
    if (v == null || !v.type().equals(spec.keySchema().rangeType())) {
      return null;
    }
    return new Entry(new PrimaryKey(key.hash(), v, key.token()), key);
  }

  LocalIndex update(PrimaryKey key, Item old, Item now) {
    Entry before = entry(key, old);
    Entry after = entry(key, now);
    if (java.util.Objects.equals(before, after)) {
      return this;
    }
    TreePSet<Entry> e = before == null ? entries : entries.minus(before);
    return new LocalIndex(spec, after == null ? e : e.plus(after));
  }

  /** The entries from the index key {@code from} on (exclusive when {@code after}), in
   *  index order or backwards; {@code itemKey} breaks ties for an exclusive start. */
  Iterable<Entry> walk(PrimaryKey from, PrimaryKey itemKey, boolean after, boolean descending) {
    PrimaryKey tie = itemKey != null ? itemKey
        : descending ? PrimaryKey.firstOfToken(Long.MAX_VALUE)
        : PrimaryKey.firstOfToken(Long.MIN_VALUE);
    Entry start = new Entry(from, tie);
    return descending ? entries.headSet(start, !after).descendingSet()
        : entries.tailSet(start, !after);
  }

  /** The item as the index shows it: its projection (table and index keys always). */
  Item project(Item item, KeySchema table) {
    if ("ALL".equals(spec.projectionType())) {
      return item;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    item.attributes().forEach((name, value) -> {
      if (name.equals(table.hashName()) || name.equals(table.rangeName())
          || name.equals(spec.keySchema().rangeName())
          || spec.nonKeyAttributes().contains(name)) {
        out.put(name, value);
      }
    });
    return new Item(out);
  }
}
