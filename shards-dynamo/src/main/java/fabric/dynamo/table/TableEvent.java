package fabric.dynamo.table;

import fabric.core.serialization.CborSerializable;
import java.util.List;
import java.util.Map;

/** What happened to a table. */
public sealed interface TableEvent extends CborSerializable {
  record Created(String region, String tableId, TableSpec spec,
      List<TableState.Partition> partitions, Map<String, String> tags, long atMillis)
      implements TableEvent {}

  record Activated(long atMillis) implements TableEvent {}

  record Deleted(long atMillis) implements TableEvent {}

  /** @param parentEndingSeqNr where the parent's journal (stream shard) ends; 0 in events
   *      written before streams followed splits */
  record PartitionSplit(String parent, String low, String high, long midToken,
      long parentEndingSeqNr, long atMillis) implements TableEvent {}

  /** UpdateTable changed the billing, capacity or stream. */
  record SpecChanged(TableSpec spec) implements TableEvent {}

  /** @param attributeName null = disabled */
  record TimeToLiveSet(String attributeName) implements TableEvent {}

  record TagsSet(Map<String, String> tags) implements TableEvent {}

  /** A replica in {@code regionName} is now {@code status}; null status: removed. */
  record ReplicaSet(String regionName, String status, long atMillis) implements TableEvent {}
}
