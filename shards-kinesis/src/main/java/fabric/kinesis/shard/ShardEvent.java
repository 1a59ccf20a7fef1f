package fabric.kinesis.shard;

import fabric.core.serialization.CborSerializable;
import java.util.List;

/** What a shard journals. Record bodies live only here, never in the state. */
public sealed interface ShardEvent extends CborSerializable {
  /** The shard exists: its hash keys (decimal, both ends included) and parents. */
  record Opened(String startingHashKey, String endingHashKey, String parentShardId,
      String adjacentParentShardId, int retentionHours, boolean enforceLimits,
      long atMillis) implements ShardEvent {}

  /**
   * Records {@code firstRecordNumber}.. in order, arrived at {@code arrivalMillis} (never
   * before the previous put's arrival); {@code clockMillis} is the clock of the node that
   * served the put, which the write limits count by (0 in events written before it: the
   * arrival then).
   */
  record RecordsPut(long firstRecordNumber, long arrivalMillis, List<ShardRecord> records,
      long clockMillis) implements ShardEvent {
    public RecordsPut(long firstRecordNumber, long arrivalMillis, List<ShardRecord> records) {
      this(firstRecordNumber, arrivalMillis, records, arrivalMillis);
    }

    /** The time the write limits count this put at. */
    public long limitsMillis() {
      return clockMillis == 0 ? arrivalMillis : clockMillis;
    }
  }

  /** A reshard closed the shard: no record comes after {@code lastRecordNumber}. */
  record Closed(long lastRecordNumber, long atMillis) implements ShardEvent {}

  record RetentionChanged(int retentionHours) implements ShardEvent {}

  /** Records before {@code firstKeptRecordNumber} are past the retention period. */
  record Trimmed(long firstKeptRecordNumber) implements ShardEvent {}

  /** The stream was deleted: the shard's records are gone (its journal is deleted next). */
  record Deleted() implements ShardEvent {}
}
