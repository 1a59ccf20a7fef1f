package fabric.dynamo.partition;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 *
 * <p>Every item carries the number of the event that last wrote it ({@link #version}), and
 * the store the number of its last delete: an atomic read compares versions, not values,
 * because a value can change and come back between two reads (a transfer out and one back
 * in), and equal values would then pass a torn read as one moment's.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE)
public final class ItemStore {
  /** One stored item with its key and version (0 in snapshots from before versions). */
  public record Entry(PrimaryKey key, Item item, long version) implements CborSerializable {}

  /** An item's TTL: when it expires (epoch seconds) and its key. */
  record Expiry(long epochSeconds, PrimaryKey key) {}

  private static final java.util.Comparator<Expiry> EXPIRY_ORDER = java.util.Comparator
      .comparingLong(Expiry::epochSeconds).thenComparing(Expiry::key, PrimaryKey.ORDER);
  private static final ItemStore EMPTY = new ItemStore(TreePMap.empty(PrimaryKey.ORDER), 0,
      null, org.pcollections.TreePSet.empty(EXPIRY_ORDER), List.of(),
      TreePMap.empty(PrimaryKey.ORDER), 0);
  private final TreePMap<PrimaryKey, Item> items;
  private final long sizeBytes;
  /** The TTL attribute (null: TTL off) and the items by expiry, for the sweep. */
  private final String ttlAttribute;
  private final org.pcollections.TreePSet<Expiry> expiries;
  /** The local secondary indexes, kept with the items. */
  private final List<LocalIndex> indexes;
  /** Per item, the event that last wrote it. */
  private final TreePMap<PrimaryKey, Long> versions;
  /** The event of the last delete: the version of every absent item. */
  private final long lastDelete;

  private ItemStore(TreePMap<PrimaryKey, Item> items, long sizeBytes, String ttlAttribute,
      org.pcollections.TreePSet<Expiry> expiries, List<LocalIndex> indexes,
      TreePMap<PrimaryKey, Long> versions, long lastDelete) {
    this.items = items;
    this.sizeBytes = sizeBytes;
    this.ttlAttribute = ttlAttribute;
    this.expiries = expiries;
    this.indexes = indexes;
    this.versions = versions;
    this.lastDelete = lastDelete;
  }

  /** The same items with these local secondary indexes, built from the items. */
  public ItemStore withIndexes(List<fabric.dynamo.table.IndexSpec> specs) {
    List<LocalIndex> built = new ArrayList<>();
    for (var spec : specs) {
      LocalIndex index = LocalIndex.empty(spec);
      for (var e : items.entrySet()) {
        index = index.update(e.getKey(), null, e.getValue());
      }
      built.add(index);
    }
    return new ItemStore(items, sizeBytes, ttlAttribute, expiries, List.copyOf(built),
        versions, lastDelete);
  }

  public List<fabric.dynamo.table.IndexSpec> indexSpecs() {
    return indexes.stream().map(LocalIndex::spec).toList();
  }

  /** The local secondary index of this name, or null. */
  LocalIndex index(String name) {
    return indexes.stream().filter(i -> i.spec().name().equals(name)).findFirst()
        .orElse(null);
  }

  private List<LocalIndex> reindexLocal(PrimaryKey key, Item old, Item now) {
    if (indexes.isEmpty()) {
      return indexes;
    }
    List<LocalIndex> out = new ArrayList<>(indexes.size());
    for (LocalIndex index : indexes) {
      out.add(index.update(key, old, now));
    }
    return out;
  }

  /** DynamoDB's TTL: a Number of epoch seconds; other types never expire. */
  private Expiry expiry(PrimaryKey key, Item item) {
    if (ttlAttribute == null || item == null
        || !(item.get(ttlAttribute) instanceof fabric.dynamo.model.AttributeValue.N n)) {
      return null;
    }
    try {
      return new Expiry(n.value().value().longValue(), key);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  public String ttlAttribute() {
    return ttlAttribute;
  }

  /** The same items with TTL on {@code attribute} (null = off): the expiry index rebuilt. */
  public ItemStore withTtl(String attribute) {
    ItemStore store = new ItemStore(items, sizeBytes, attribute, EMPTY.expiries, indexes,
        versions, lastDelete);
    org.pcollections.TreePSet<Expiry> index = EMPTY.expiries;
    if (attribute != null) {
      for (var e : items.entrySet()) {
        Expiry x = store.expiry(e.getKey(), e.getValue());
        if (x != null) {
          index = index.plus(x);
        }
      }
    }
    return new ItemStore(items, sizeBytes, attribute, index, indexes, versions, lastDelete);
  }

  /** Keys of items whose TTL is past {@code nowSeconds} but not older than
   *  {@code oldestSeconds} (DynamoDB leaves TTLs more than five years old alone). */
  public java.util.List<PrimaryKey> expired(long nowSeconds, long oldestSeconds, int max) {
    java.util.List<PrimaryKey> out = new java.util.ArrayList<>();
    for (Expiry x : expiries.tailSet(new Expiry(oldestSeconds, PrimaryKey.firstOfToken(
        Long.MIN_VALUE)))) {
      if (x.epochSeconds() > nowSeconds || out.size() >= max) {
        break;
      }
      out.add(x.key());
    }
    return out;
  }

  public static ItemStore empty() {
    return EMPTY;
  }

  /** A snapshot from before versions: a bare list of entries. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ItemStore fromList(List<Entry> entries) {
    return of(entries, 0);
  }

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public static ItemStore of(@JsonProperty("entries") List<Entry> entries,
      @JsonProperty("lastDelete") long lastDelete) {
    ItemStore store = EMPTY;
    for (Entry e : entries == null ? List.<Entry>of() : entries) {
      store = store.put(e.key(), e.item(), e.version());
    }
    return new ItemStore(store.items, store.sizeBytes, store.ttlAttribute, store.expiries,
        store.indexes, store.versions, lastDelete);
  }

  @JsonProperty("entries")
  public List<Entry> toList() {
    List<Entry> out = new ArrayList<>(items.size());
    items.forEach((k, v) -> out.add(new Entry(k, v, versions.getOrDefault(k, 0L))));
    return out;
  }

  @JsonProperty("lastDelete")
  long lastDelete() {
    return lastDelete;
  }

  public Item get(PrimaryKey key) {
    return items.get(key);
  }

  /**
   * Changes whenever the item does, even back to an earlier value: the event that last
   * wrote a present item (&gt;= 0), or for an absent one -1 minus the event of the store's
   * last delete (so a delete, or an item created and deleted, changes it too).
   */
  public long version(PrimaryKey key) {
    Long v = items.containsKey(key) ? versions.get(key) : null;
    return v != null ? v : -1 - lastDelete;
  }

  /** @param version the event that writes it (a partition's applied-event count) */
  public ItemStore put(PrimaryKey key, Item item, long version) {
    Item old = items.get(key);
    return new ItemStore(items.plus(key, item),
        sizeBytes - (old == null ? 0 : old.sizeBytes()) + item.sizeBytes(), ttlAttribute,
        reindex(expiry(key, old), expiry(key, item)), reindexLocal(key, old, item),
        versions.plus(key, version), lastDelete);
  }

  /** @param version the event that deletes it */
  public ItemStore remove(PrimaryKey key, long version) {
    Item old = items.get(key);
    return old == null ? this : new ItemStore(items.minus(key), sizeBytes - old.sizeBytes(),
        ttlAttribute, reindex(expiry(key, old), null), reindexLocal(key, old, null),
        versions.minus(key), version);
  }

  private org.pcollections.TreePSet<Expiry> reindex(Expiry old, Expiry now) {
    org.pcollections.TreePSet<Expiry> index = old == null ? expiries : expiries.minus(old);
    return now == null ? index : index.plus(now);
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
    if (fromKey == null) { // from the very end (descending) or start
      return descending ? items.descendingMap().entrySet() : items.entrySet();
    }
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
    return o instanceof ItemStore other && items.equals(other.items)
        && versions.equals(other.versions) && lastDelete == other.lastDelete;
  }

  @Override
  public int hashCode() {
    return items.hashCode();
  }
}
