package fabric.dynamo.global;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;

/**
 * One write of a global table carried from the region that made it to another replica.
 *
 * @param item the item as written; null for a delete (TTL or DeleteItem or a transaction's)
 */
public record ReplicaWrite(PrimaryKey key, Item item, Version version)
    implements CborSerializable {
  public boolean delete() {
    return item == null;
  }
}
