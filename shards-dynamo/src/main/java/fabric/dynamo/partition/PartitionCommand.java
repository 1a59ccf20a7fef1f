package fabric.dynamo.partition;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** What a partition entity is asked. Keys arrive as the request gave them. */
public sealed interface PartitionCommand extends EntityCommand {
  /** Sets the partition up for its table (idempotent). */
  record Init(KeySchema keySchema, ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** @param returnOld ReturnValues ALL_OLD */
  record Put(Item item, boolean returnOld, long nowMillis, ActorRef<Reply> replyTo)
      implements PartitionCommand {}

  record Get(Map<String, AttributeValue> key, ActorRef<Reply> replyTo)
      implements PartitionCommand {}

  record Delete(Map<String, AttributeValue> key, boolean returnOld, long nowMillis,
      ActorRef<Reply> replyTo) implements PartitionCommand {}

  /**
   * A page of a Scan: items in key order after {@code exclusiveStartKey} (or from the first
   * key of {@code fromToken}), up to the key of {@code toToken} inclusive, at most
   * {@code limit} items and about {@code maxBytes} of them (DynamoDB's 1 MB page).
   */
  record Scan(Map<String, AttributeValue> exclusiveStartKey, long fromToken, long toToken,
      int limit, int maxBytes, ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** The table was deleted: every item goes. */
  record Drop(ActorRef<Reply> replyTo) implements PartitionCommand {}
}
