package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;

/** What happened in a partition; applied by {@link PartitionDefinition#evolve}. */
public sealed interface PartitionEvent extends CborSerializable {
  record Initialized(KeySchema keySchema) implements PartitionEvent {}

  record ItemPut(PrimaryKey key, Item item, long atMillis) implements PartitionEvent {}

  record ItemDeleted(PrimaryKey key, long atMillis) implements PartitionEvent {}

  record Dropped() implements PartitionEvent {}
}
