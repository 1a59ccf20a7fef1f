package fabric.kinesis.shard;

import fabric.core.serialization.CborSerializable;

/**
 * A shard: its hash keys, parents, record counter, the retention horizon, and a coarse
 * index of its journal ({@link Checkpoint}s, at most {@link #MAX_CHECKPOINTS}); never the
 * records, which stay in the journal (1 MiB/s for 24 h and more does not fit in memory).
 *
 * @param nextRecordNumber the number the next record gets (records are numbered from 0)
 * @param firstKeptRecordNumber records before it are past retention
 * @param appliedEvents events applied: a lower bound of the journal sequence number of the
 *     next one (orphans of superseded leaders take journal numbers without being applied)
 * @param recordBytes bytes of every record put (data plus partition key): with
 *     appliedEvents, the average event's size, which sets how often to snapshot
 * @param closedAtMillis 0 while open
 * @param deleted the stream was deleted: the shard answers nothing and its journal goes
 */
public record ShardState(String entityId, boolean opened, String startingHashKey,
    String endingHashKey, String parentShardId, String adjacentParentShardId,
    int retentionHours, boolean enforceLimits, long createdMillis, long nextRecordNumber,
    long firstKeptRecordNumber, long appliedEvents, long recordBytes, long lastArrivalMillis,
    ShardIndex index, WriteBucket writeBucket, long closedAtMillis, boolean deleted)
    implements CborSerializable {
  static ShardState empty(String entityId) {
    return new ShardState(entityId, false, null, null, null, null, 24, true, 0, 0, 0, 0, 0, 0,
        ShardIndex.EMPTY, WriteBucket.FULL, 0, false);
  }

  public boolean closed() {
    return closedAtMillis > 0;
  }

  ShardState with(ShardIndex newIndex, long nextRecord, long addedBytes, long lastArrival,
      WriteBucket bucket) {
    return new ShardState(entityId, opened, startingHashKey, endingHashKey, parentShardId,
        adjacentParentShardId, retentionHours, enforceLimits, createdMillis, nextRecord,
        firstKeptRecordNumber, appliedEvents, recordBytes + addedBytes, lastArrival, newIndex, bucket,
        closedAtMillis, deleted);
  }

  ShardState withRetention(int hours) {
    return new ShardState(entityId, opened, startingHashKey, endingHashKey, parentShardId,
        adjacentParentShardId, hours, enforceLimits, createdMillis, nextRecordNumber,
        firstKeptRecordNumber, appliedEvents, recordBytes, lastArrivalMillis, index, writeBucket,
        closedAtMillis, deleted);
  }

  ShardState trimmed(long firstKept, ShardIndex kept) {
    return new ShardState(entityId, opened, startingHashKey, endingHashKey, parentShardId,
        adjacentParentShardId, retentionHours, enforceLimits, createdMillis, nextRecordNumber,
        firstKept, appliedEvents, recordBytes, lastArrivalMillis, kept, writeBucket,
        closedAtMillis, deleted);
  }

  ShardState closedAt(long atMillis) {
    return new ShardState(entityId, opened, startingHashKey, endingHashKey, parentShardId,
        adjacentParentShardId, retentionHours, enforceLimits, createdMillis, nextRecordNumber,
        firstKeptRecordNumber, appliedEvents, recordBytes, lastArrivalMillis, index, writeBucket,
        atMillis, deleted);
  }

  ShardState deletedNow() {
    return new ShardState(entityId, opened, startingHashKey, endingHashKey, parentShardId,
        adjacentParentShardId, retentionHours, enforceLimits, createdMillis, nextRecordNumber,
        firstKeptRecordNumber, appliedEvents, recordBytes, lastArrivalMillis, index, writeBucket,
        closedAtMillis, true);
  }

  ShardState counted() {
    return new ShardState(entityId, opened, startingHashKey, endingHashKey, parentShardId,
        adjacentParentShardId, retentionHours, enforceLimits, createdMillis, nextRecordNumber,
        firstKeptRecordNumber, appliedEvents + 1, recordBytes, lastArrivalMillis, index, writeBucket,
        closedAtMillis, deleted);
  }
}
