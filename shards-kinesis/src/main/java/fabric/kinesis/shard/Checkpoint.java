package fabric.kinesis.shard;

import fabric.core.serialization.CborSerializable;

/**
 * Where to start reading a shard's journal for a record: the event that put record
 * {@code firstRecordNumber} (arrived at {@code arrivalMillis}) is at journal sequence
 * number {@code journalSeqNrAtLeast} or later (later when orphans of superseded leaders
 * took journal numbers: the reader skips forward).
 */
public record Checkpoint(long firstRecordNumber, long journalSeqNrAtLeast, long arrivalMillis)
    implements CborSerializable {}
