package fabric.dynamo.partition;

import fabric.core.entity.Reply;
import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;

/** What a partition answers (besides {@link fabric.core.entity.Rejected}). */
public sealed interface PartitionReply extends Reply, CborSerializable {
  record Done() implements PartitionReply {}

  /** @param item null when there is none (GetItem) or nothing to return (ReturnValues) */
  record ItemReply(Item item) implements PartitionReply {}
}
