package fabric.storage.bucket;

import fabric.core.serialization.CborSerializable;
import java.time.Instant;

/** What happened to a bucket; the journal holds these, never object bytes. */
public sealed interface BucketEvent extends CborSerializable {
  record Created(String owner, String region, Instant createdAt) implements BucketEvent {}

  record Deleted(Instant deletedAt) implements BucketEvent {}

  record ObjectPut(ObjectEntry entry) implements BucketEvent {}

  record ObjectRemoved(String key, Instant removedAt) implements BucketEvent {}
}
