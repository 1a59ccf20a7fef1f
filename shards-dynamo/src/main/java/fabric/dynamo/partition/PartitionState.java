package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.table.IndexSpec;
import java.util.List;

/**
 * A partition of a table: its key schema (null until initialized), its items and write
 * capacity, the table's TTL attribute and stream view type (null = off), and the items a
 * transaction holds locked.
 *
 * @param appliedEvents how many events this state applied: a lower bound of the journal
 *     sequence number of the next one (a stream's LATEST position)
 * @param global the last-writer-wins versions when the table is a global table, else null
 */
public record PartitionState(String entityId, KeySchema keySchema,
    List<IndexSpec> localIndexes, String streamViewType, String ttlAttribute, ItemStore items,
    WriteCapacity capacity, long appliedEvents, TxLocks locks, Split split,
    fabric.dynamo.global.GlobalVersions global)
    implements CborSerializable {
  public PartitionState(String entityId, KeySchema keySchema, List<IndexSpec> localIndexes,
      String streamViewType, String ttlAttribute, ItemStore items, WriteCapacity capacity,
      long appliedEvents, TxLocks locks, Split split) {
    this(entityId, keySchema, localIndexes, streamViewType, ttlAttribute, items, capacity,
        appliedEvents, locks, split, null);
  }

  /** A split in progress: this partition is frozen, its items go to {@code low} and
   *  {@code high} (which starts at {@code midToken}). */
  public record Split(String low, String high, long midToken, long atMillis)
      implements CborSerializable {}

  public PartitionState {
    localIndexes = localIndexes == null ? List.of() : List.copyOf(localIndexes);
    items = items == null ? ItemStore.empty() : items;
    capacity = capacity == null ? WriteCapacity.ON_DEMAND : capacity;
    locks = locks == null ? TxLocks.empty() : locks;
    // A snapshot holds the items, not their indexes: rebuilt here.
    if (!java.util.Objects.equals(items.ttlAttribute(), ttlAttribute)) {
      items = items.withTtl(ttlAttribute);
    }
    if (!items.indexSpecs().equals(localIndexes)) {
      items = items.withIndexes(localIndexes);
    }
  }

  static PartitionState empty(String entityId) {
    return new PartitionState(entityId, null, List.of(), null, null, ItemStore.empty(),
        WriteCapacity.ON_DEMAND, 0, TxLocks.empty(), null);
  }

  /** Whether writes record the old item in their events (for the stream's records). */
  boolean streamed() {
    return streamViewType != null;
  }

  PartitionState with(ItemStore newItems, WriteCapacity newCapacity) {
    return new PartitionState(entityId, keySchema, localIndexes, streamViewType, ttlAttribute,
        newItems, newCapacity, appliedEvents, locks, split, global);
  }

  PartitionState withTtl(String attribute) {
    return new PartitionState(entityId, keySchema, localIndexes, streamViewType, attribute,
        items, capacity, appliedEvents, locks, split, global);
  }

  PartitionState withLocks(TxLocks newLocks) {
    return new PartitionState(entityId, keySchema, localIndexes, streamViewType, ttlAttribute,
        items, capacity, appliedEvents, newLocks, split, global);
  }

  PartitionState frozen(Split newSplit) {
    return new PartitionState(entityId, keySchema, localIndexes, streamViewType, ttlAttribute,
        items, capacity, appliedEvents, locks, newSplit, global);
  }

  PartitionState counted() {
    return new PartitionState(entityId, keySchema, localIndexes, streamViewType, ttlAttribute,
        items, capacity, appliedEvents + 1, locks, split, global);
  }

  PartitionState withGlobal(fabric.dynamo.global.GlobalVersions newGlobal) {
    return new PartitionState(entityId, keySchema, localIndexes, streamViewType, ttlAttribute,
        items, capacity, appliedEvents, locks, split, newGlobal);
  }
}
