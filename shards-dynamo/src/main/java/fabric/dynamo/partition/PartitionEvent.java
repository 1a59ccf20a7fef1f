package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;

/** What happened in a partition; applied by {@link PartitionDefinition#evolve}. */
public sealed interface PartitionEvent extends CborSerializable {
  /** @param capacity the partition's write capacity from the start */
  record Initialized(KeySchema keySchema, WriteCapacity capacity) implements PartitionEvent {}

  /** @param units the write's WCUs (taken from the bucket of a provisioned table) */
  record ItemPut(PrimaryKey key, Item item, double units, long atMillis)
      implements PartitionEvent {}

  record ItemDeleted(PrimaryKey key, double units, long atMillis) implements PartitionEvent {}

  record Dropped() implements PartitionEvent {}

  record TimeToLiveSet(String attributeName) implements PartitionEvent {}

  /** Deleted by the TTL sweep: stream records will show the service as the deleter. */
  record ItemsExpired(java.util.List<PrimaryKey> keys, long atMillis)
      implements PartitionEvent {}
}
