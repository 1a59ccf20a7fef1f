package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.KeySchema;

/** A partition of a table: its key schema (null until initialized) and its items. */
public record PartitionState(String entityId, KeySchema keySchema, ItemStore items,
    WriteCapacity capacity, String ttlAttribute) implements CborSerializable {
  public PartitionState {
    items = items == null ? ItemStore.empty() : items;
    capacity = capacity == null ? WriteCapacity.ON_DEMAND : capacity;
    if (!java.util.Objects.equals(items.ttlAttribute(), ttlAttribute)) {
      items = items.withTtl(ttlAttribute); // a snapshot holds the items, not their index
    }
  }

  PartitionState with(ItemStore newItems, WriteCapacity newCapacity) {
    return new PartitionState(entityId, keySchema, newItems, newCapacity, ttlAttribute);
  }
}
