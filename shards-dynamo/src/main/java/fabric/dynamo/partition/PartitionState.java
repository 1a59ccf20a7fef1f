package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.KeySchema;

/** A partition of a table: its key schema (null until initialized) and its items. */
public record PartitionState(String entityId, KeySchema keySchema, ItemStore items,
    WriteCapacity capacity) implements CborSerializable {
  public PartitionState {
    items = items == null ? ItemStore.empty() : items;
    capacity = capacity == null ? WriteCapacity.ON_DEMAND : capacity;
  }

  PartitionState with(ItemStore newItems, WriteCapacity newCapacity) {
    return new PartitionState(entityId, keySchema, newItems, newCapacity);
  }
}
