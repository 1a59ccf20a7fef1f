package fabric.dynamo.partition;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import java.util.ArrayList;
import java.util.List;
import org.pcollections.TreePMap;

/**
 * A partition's items in key order (partition-key token, partition key, sort key): a
 * persistent tree, so the event handler stays pure and a Query walks a range in order. A
 * snapshot is the list of entries (the tree's fields are not a JSON shape: no key
 * deserializer for a PrimaryKey map, hence no field detection).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE)
public final class ItemStore {
  /** One stored item with its key. */
  public record Entry(PrimaryKey key, Item item) implements CborSerializable {}

  private static final ItemStore EMPTY = new ItemStore(TreePMap.empty(PrimaryKey.ORDER), 0);
  private final TreePMap<PrimaryKey, Item> items;
  private final long sizeBytes;

  private ItemStore(TreePMap<PrimaryKey, Item> items, long sizeBytes) {
    this.items = items;
    this.sizeBytes = sizeBytes;
  }

  public static ItemStore empty() {
    return EMPTY;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ItemStore fromList(List<Entry> entries) {
    ItemStore store = EMPTY;
    for (Entry e : entries == null ? List.<Entry>of() : entries) {
      store = store.put(e.key(), e.item());
    }
    return store;
  }

  @JsonValue
  public List<Entry> toList() {
    List<Entry> out = new ArrayList<>(items.size());
    items.forEach((k, v) -> out.add(new Entry(k, v)));
    return out;
  }

  public Item get(PrimaryKey key) {
    return items.get(key);
  }

  public ItemStore put(PrimaryKey key, Item item) {
    Item old = items.get(key);
    return new ItemStore(items.plus(key, item),
        sizeBytes - (old == null ? 0 : old.sizeBytes()) + item.sizeBytes());
  }

  public ItemStore remove(PrimaryKey key) {
    Item old = items.get(key);
    return old == null ? this : new ItemStore(items.minus(key), sizeBytes - old.sizeBytes());
  }

  public int count() {
    return items.size();
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  /** The items from {@code fromKey} on (exclusive when {@code after}), in key order, or
   *  backwards from it when {@code descending}. */
  public Iterable<java.util.Map.Entry<PrimaryKey, Item>> walk(PrimaryKey fromKey, boolean after,
      boolean descending) {
    return descending ? items.headMap(fromKey, !after).descendingMap().entrySet()
        : items.tailMap(fromKey, !after).entrySet();
  }

  /** The items from {@code fromKey} (exclusive when {@code after}) on, in key order. */
  public Iterable<java.util.Map.Entry<PrimaryKey, Item>> from(PrimaryKey fromKey,
      boolean after) {
    return fromKey == null ? items.entrySet() : items.tailMap(fromKey, !after).entrySet();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemStore other && items.equals(other.items);
  }

  @Override
  public int hashCode() {
    return items.hashCode();
  }
}
