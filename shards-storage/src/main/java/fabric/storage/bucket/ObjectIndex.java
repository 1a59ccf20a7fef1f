package fabric.storage.bucket;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pcollections.TreePMap;

/**
 * The keys of one bucket in UTF-8 binary order: a persistent (immutable, structurally
 * shared) red-black tree. Put, delete and seek are O(log n) and never copy the index, so
 * the event handler stays pure and cheap at a million keys; a snapshot is the flat list of
 * entries, which rebuilds the tree in O(n log n) on recovery.
 */
public final class ObjectIndex {
  private static final ObjectIndex EMPTY =
      new ObjectIndex(TreePMap.empty(ObjectKeys.UTF8_BINARY_ORDER));

  private final TreePMap<String, ObjectEntry> entries;

  private ObjectIndex(TreePMap<String, ObjectEntry> entries) {
    this.entries = entries;
  }

  public static ObjectIndex empty() {
    return EMPTY;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ObjectIndex fromList(List<ObjectEntry> list) {
    TreePMap<String, ObjectEntry> tree = TreePMap.empty(ObjectKeys.UTF8_BINARY_ORDER);
    if (list != null) {
      for (ObjectEntry e : list) {
        tree = tree.plus(e.key(), e);
      }
    }
    return new ObjectIndex(tree);
  }

  @JsonValue
  public List<ObjectEntry> toList() {
    return new ArrayList<>(entries.values());
  }

  public ObjectEntry get(String key) {
    return entries.get(key);
  }

  public ObjectIndex put(ObjectEntry entry) {
    return new ObjectIndex(entries.plus(entry.key(), entry));
  }

  public ObjectIndex remove(String key) {
    return new ObjectIndex(entries.minus(key));
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The first entry whose key is greater than {@code key} (or >= when inclusive). */
  public Map.Entry<String, ObjectEntry> seek(String key, boolean inclusive) {
    return inclusive ? entries.ceilingEntry(key) : entries.higherEntry(key);
  }

  public Map.Entry<String, ObjectEntry> first() {
    return entries.isEmpty() ? null : entries.firstEntry();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectIndex other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "ObjectIndex[" + entries.size() + " keys]";
  }
}
