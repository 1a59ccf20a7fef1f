package fabric.dynamo.partition;

import fabric.core.entity.Reply;
import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;

/** What a partition answers (besides {@link fabric.core.entity.Rejected}). */
public sealed interface PartitionReply extends Reply, CborSerializable {
  record Done() implements PartitionReply {}

  /**
   * @param lastKey the key of the last item read when the page stopped early (Limit or
   *     size), null when the token range was read to its end
   */
  record Page(java.util.List<Item> items, java.util.Map<String,
      fabric.dynamo.model.AttributeValue> lastKey) implements PartitionReply {}

  /** @param item null when there is none (GetItem) or nothing to return (ReturnValues) */
  record ItemReply(Item item) implements PartitionReply {}
}
