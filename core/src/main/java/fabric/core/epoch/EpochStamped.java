package fabric.core.epoch;

import fabric.core.replication.SerializedEvent;
import fabric.core.serialization.CborSerializable;

/**
 * An event as the journal holds it: with the epoch of the leader that wrote it and the
 * sequence number it was written at, so a replay can tell a superseded leader's orphans
 * from the history. The event itself keeps its own serializer and manifest, so its schema
 * evolves as before.
 */
public record EpochStamped(long epoch, long seqNr, SerializedEvent event)
    implements CborSerializable {}
