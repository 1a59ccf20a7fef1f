package fabric.storage.registry;

import fabric.core.serialization.CborSerializable;
import java.time.Instant;

/** A claimed bucket name: who owns it, where it lives, since when. */
public record BucketEntry(String name, String owner, String region, Instant createdAt)
    implements CborSerializable {}
