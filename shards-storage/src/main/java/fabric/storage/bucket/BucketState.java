package fabric.storage.bucket;

import fabric.core.serialization.CborSerializable;
import java.time.Instant;

/**
 * A bucket's state: who owns it and its object index. {@code status} distinguishes a name
 * never used from a deleted bucket (whose name another account may take later).
 */
public record BucketState(
    String name,
    Status status,
    String owner,
    String region,
    Instant createdAt,
    ObjectIndex objects) implements CborSerializable {

  public enum Status { ABSENT, ACTIVE, DELETED }

  public BucketState {
    objects = objects == null ? ObjectIndex.empty() : objects;
  }

  public static BucketState absent(String name) {
    return new BucketState(name, Status.ABSENT, null, null, null, ObjectIndex.empty());
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }

  BucketState withObjects(ObjectIndex next) {
    return new BucketState(name, status, owner, region, createdAt, next);
  }
}
