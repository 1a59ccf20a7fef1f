package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;

/** What happened in a partition; applied by {@link PartitionDefinition#evolve}. */
public sealed interface PartitionEvent extends CborSerializable {
  /**
   * @param capacity the partition's write capacity from the start
   * @param streamViewType the table's stream (null = none): writes then record old items
   */
  record Initialized(KeySchema keySchema, java.util.List<fabric.dynamo.table.IndexSpec>
      localIndexes, WriteCapacity capacity, String streamViewType) implements PartitionEvent {}

  /**
   * @param old the item it replaced, recorded only when the table has a stream (null: none
   *     or no stream): the stream's MODIFY vs INSERT and OLD_IMAGE come from it
   * @param units the write's WCUs (taken from the bucket of a provisioned table)
   */
  record ItemPut(PrimaryKey key, Item item, Item old, double units, long atMillis)
      implements PartitionEvent {}

  /** @param old the deleted item when the table has a stream, else null */
  record ItemDeleted(PrimaryKey key, Item old, double units, long atMillis)
      implements PartitionEvent {}

  record Dropped() implements PartitionEvent {}

  record TxPrepared(TxLocks.Lock lock) implements PartitionEvent {}

  /** The transaction's locks here applied (writes, deletes) and released. */
  record TxCommitted(String txId, java.util.List<TxLocks.Lock> applied, long atMillis)
      implements PartitionEvent {}

  record TxAborted(String txId) implements PartitionEvent {}

  record Frozen(String low, String high, long midToken, long atMillis)
      implements PartitionEvent {}

  record Loaded(java.util.List<Item> items) implements PartitionEvent {}

  record TimeToLiveSet(String attributeName) implements PartitionEvent {}

  record Reconfigured(WriteCapacity capacity, String streamViewType) implements PartitionEvent {}

  /** Deleted by the TTL sweep: stream records will show the service as the deleter. */
  record ItemsExpired(java.util.List<PrimaryKey> keys, java.util.List<Item> olds,
      long atMillis) implements PartitionEvent {}

  /** The table became (or stays) global: {@code region} is this replica's, {@code peers} the
   *  other replicas' regions, a new one's feed starting after this event; no peers = the
   *  table is regional again. */
  record GlobalSet(String region, java.util.List<String> peers) implements PartitionEvent {}

  /** A write made in another region, newer than this replica's version of its key (never
   *  shipped on: no ping-pong). @param old the item it replaced when streamed, else null */
  record ReplicaApplied(fabric.dynamo.global.ReplicaWrite write, Item old)
      implements PartitionEvent {}

  /** The feed to {@code region} shipped every write event before {@code nextSeqNr}. */
  record ReplicaShipped(String region, long nextSeqNr) implements PartitionEvent {}
}
