package fabric.kinesis.stream;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** What a stream entity is asked. Every change answers the stream after it. */
public sealed interface StreamCommand extends EntityCommand {
  /** @param shardCount ignored for ON_DEMAND, which starts with 4 shards, as AWS */
  record Create(String arn, String mode, int shardCount, Map<String, String> tags,
      long nowMillis, ActorRef<Reply> replyTo) implements StreamCommand {}

  /** The shards are open: CREATING → ACTIVE (idempotent). */
  record Activate(long nowMillis, ActorRef<Reply> replyTo) implements StreamCommand {}

  record Describe(ActorRef<Reply> replyTo) implements StreamCommand {}

  record Delete(boolean enforceConsumerDeletion, long nowMillis, ActorRef<Reply> replyTo)
      implements StreamCommand {}

  /** @param increase IncreaseStreamRetentionPeriod (else Decrease...) */
  record SetRetention(int retentionHours, boolean increase, ActorRef<Reply> replyTo)
      implements StreamCommand {}

  record SetMode(String mode, ActorRef<Reply> replyTo) implements StreamCommand {}

  record Tag(Map<String, String> tags, ActorRef<Reply> replyTo) implements StreamCommand {}

  record Untag(List<String> keys, ActorRef<Reply> replyTo) implements StreamCommand {}

  record Split(String shardToSplit, String newStartingHashKey, long nowMillis,
      ActorRef<Reply> replyTo) implements StreamCommand {}

  record Merge(String shardToMerge, String adjacentShardToMerge, long nowMillis,
      ActorRef<Reply> replyTo) implements StreamCommand {}

  /** A shard the reshard in progress closes has closed, at its last record (idempotent). */
  record ShardClosed(String shardId, long lastRecordNumber, long nowMillis,
      ActorRef<Reply> replyTo) implements StreamCommand {}

  /** Drops closed shards whose records all expired (a tick sends it). */
  record ExpireShards(long nowMillis, ActorRef<Reply> replyTo) implements StreamCommand {}

  /** An UpdateShardCount call about to scale: counted against AWS's 10 per rolling 24 hours
   *  per stream (refused with LimitExceededException past them), before any step. */
  record StartScaling(long nowMillis, ActorRef<Reply> replyTo) implements StreamCommand {}

  record RegisterConsumer(String name, String arn, long nowMillis, ActorRef<Reply> replyTo)
      implements StreamCommand {}

  record ActivateConsumer(String name, ActorRef<Reply> replyTo) implements StreamCommand {}

  record DeregisterConsumer(String name, ActorRef<Reply> replyTo) implements StreamCommand {}
}
