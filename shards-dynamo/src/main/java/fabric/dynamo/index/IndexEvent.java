package fabric.dynamo.index;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.table.IndexSpec;
import java.util.List;
import java.util.Map;

/** What happened to a global secondary index. */
public sealed interface IndexEvent extends CborSerializable {
  /** @param backfilling created on a table that may hold items: CREATING until read up */
  record Initialized(IndexSpec spec, KeySchema tableKeys, boolean backfilling)
      implements IndexEvent {}

  /**
   * Base partition events turned into index changes.
   * @param cursors the new cursor map (partitions no longer in the table's map left out)
   * @param resets token ranges [from, to] emptied first: a partition read for the first
   *     time (a split's child) brings all of its range's items in its Loaded events, so an
   *     item deleted in an ancestor the index never read cannot linger
   * @param changes base key to entry (entry null: the item left the index), in order
   * @param nowActive backfilling ended with this read
   */
  record Applied(Map<String, Long> cursors, List<TokenRange> resets, List<Change> changes,
      boolean nowActive) implements IndexEvent {}

  /** The index (or its table) was deleted. */
  record Dropped() implements IndexEvent {}

  record TokenRange(long fromToken, long toToken) implements CborSerializable {}

  record Change(fabric.dynamo.model.PrimaryKey baseKey, GlobalIndexStore.Entry entry)
      implements CborSerializable {}
}
