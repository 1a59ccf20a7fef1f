package fabric.kinesis.shard;

import fabric.core.serialization.CborSerializable;

/**
 * Where to start reading a shard's journal for a record: the event that put record
 * {@code firstRecordNumber} (arrived at {@code arrivalMillis}) is at journal sequence
 * number {@code journalSeqNrAtLeast} or later (later when orphans of superseded leaders
 * took journal numbers: the reader skips forward).
 *
 * @param lastArrivalMillis when the last record before the next checkpoint arrived, so that
 *     retention trims a checkpoint's records once they all expired, however long the gap to
 *     the next put; 0 when unknown (snapshots from before it was kept: the next checkpoint's
 *     arrival bounds it)
 */
public record Checkpoint(long firstRecordNumber, long journalSeqNrAtLeast, long arrivalMillis,
    long lastArrivalMillis) implements CborSerializable {
  Checkpoint arrivedUntil(long millis) {
    return new Checkpoint(firstRecordNumber, journalSeqNrAtLeast, arrivalMillis,
        Math.max(lastArrivalMillis, millis));
  }
}
