package fabric.dynamo.index;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * A global secondary index's entries, kept two ways in persistent trees (so the event
 * handler stays pure): by the base item's key, so a change or delete of a base item finds
 * its old entry without the old image, and a split child's range can be reset; and by index
 * key (then base key: index keys need not be unique), the order a Query walks. A snapshot is
 * the list of entries.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE)
public final class GlobalIndexStore {
  /** One entry: the base item's key, its index key (token of the index partition key,
   *  index partition key, index sort key) and the item as the index projects it. */
  public record Entry(PrimaryKey baseKey, PrimaryKey indexKey, Item item)
      implements CborSerializable {}

  /** Probe base keys for walks: before and after every base key of an index key. */
  static final PrimaryKey FIRST_BASE = PrimaryKey.firstOfToken(Long.MIN_VALUE);
  static final PrimaryKey LAST_BASE = PrimaryKey.firstOfToken(Long.MAX_VALUE);
  static final Comparator<Entry> INDEX_ORDER = Comparator
      .comparing(Entry::indexKey, PrimaryKey.ORDER)
      .thenComparing(Entry::baseKey, GlobalIndexStore::compareBase);
  private static final GlobalIndexStore EMPTY = new GlobalIndexStore(
      TreePMap.empty(PrimaryKey.ORDER), TreePSet.empty(INDEX_ORDER), 0);
  private final TreePMap<PrimaryKey, Entry> byBase;
  private final TreePSet<Entry> byIndex;
  private final long sizeBytes;

  private GlobalIndexStore(TreePMap<PrimaryKey, Entry> byBase, TreePSet<Entry> byIndex,
      long sizeBytes) {
    this.byBase = byBase;
    this.byIndex = byIndex;
    this.sizeBytes = sizeBytes;
  }

  /** Stored entries never hold the probes (only walks' start points do), so identity
   *  tells them apart from real keys, whatever the real keys' tokens. */
  private static int compareBase(PrimaryKey a, PrimaryKey b) {
    if (a == b) {
      return 0;
    }
    if (a == FIRST_BASE || b == LAST_BASE) {
      return -1;
    }
    if (a == LAST_BASE || b == FIRST_BASE) {
      return 1;
    }
    return PrimaryKey.ORDER.compare(a, b);
  }

  public static GlobalIndexStore empty() {
    return EMPTY;
  }

  /** The entry of the base item {@code baseKey} becomes {@code entry} (null: none). */
  GlobalIndexStore set(PrimaryKey baseKey, Entry entry) {
    Entry old = byBase.get(baseKey);
    if (java.util.Objects.equals(old, entry)) {
      return this;
    }
    TreePMap<PrimaryKey, Entry> base = byBase;
    TreePSet<Entry> index = byIndex;
    long size = sizeBytes;
    if (old != null) {
      base = base.minus(baseKey);
      index = index.minus(old);
      size -= old.item().sizeBytes();
    }
    if (entry != null) {
      base = base.plus(baseKey, entry);
      index = index.plus(entry);
      size += entry.item().sizeBytes();
    }
    return new GlobalIndexStore(base, index, size);
  }

  /** Without the entries of base items whose partition-key token is in [from, to]. */
  GlobalIndexStore withoutTokens(long fromToken, long toToken) {
    GlobalIndexStore out = this;
    var range = toToken == Long.MAX_VALUE ? byBase.tailMap(PrimaryKey.firstOfToken(fromToken),
        true) : byBase.subMap(PrimaryKey.firstOfToken(fromToken), true,
        PrimaryKey.firstOfToken(toToken + 1), false);
    for (PrimaryKey key : new ArrayList<>(range.keySet())) {
      out = out.set(key, null);
    }
    return out;
  }

  Entry ofBase(PrimaryKey baseKey) {
    return byBase.get(baseKey);
  }

  /** Entries from {@code start} on (exclusive when {@code after}), or backwards. */
  Iterable<Entry> walk(Entry start, boolean after, boolean descending) {
    if (start == null) {
      return descending ? byIndex.descendingSet() : byIndex;
    }
    return descending ? byIndex.headSet(start, !after).descendingSet()
        : byIndex.tailSet(start, !after);
  }

  public int count() {
    return byBase.size();
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static GlobalIndexStore fromList(List<Entry> entries) {
    GlobalIndexStore store = EMPTY;
    for (Entry e : entries == null ? List.<Entry>of() : entries) {
      store = store.set(e.baseKey(), e);
    }
    return store;
  }

  @JsonValue
  public List<Entry> toList() {
    return new ArrayList<>(byBase.values());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GlobalIndexStore s && s.byBase.equals(byBase);
  }

  @Override
  public int hashCode() {
    return byBase.hashCode();
  }
}
