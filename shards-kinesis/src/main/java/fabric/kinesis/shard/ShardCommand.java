package fabric.kinesis.shard;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** What a shard entity is asked. Times come in the command (the definition is pure). */
public sealed interface ShardCommand extends EntityCommand {
  /** Creates the shard (idempotent: a retry of the stream's creation finds it open). */
  record Open(String startingHashKey, String endingHashKey, String parentShardId,
      String adjacentParentShardId, int retentionHours, boolean enforceLimits, long nowMillis,
      ActorRef<Reply> replyTo) implements ShardCommand {}

  /** Appends records in order; the shard's write limits may admit only the first ones
   *  ({@link ShardReply.Appended}). */
  record Put(List<ShardRecord> records, long nowMillis, ActorRef<Reply> replyTo)
      implements ShardCommand {}

  /** A reshard closes the shard: it takes no more records (idempotent). */
  record Close(long nowMillis, ActorRef<Reply> replyTo) implements ShardCommand {}

  record SetRetention(int retentionHours, ActorRef<Reply> replyTo) implements ShardCommand {}

  /** Forgets the records past retention (a tick sends it). */
  record Trim(long nowMillis, ActorRef<Reply> replyTo) implements ShardCommand {}

  /** The stream was deleted: the shard forgets everything, its journal included
   *  (idempotent; a shard never opened or already erased answers Done too). */
  record Delete(ActorRef<Reply> replyTo) implements ShardCommand {}

  /** The shard's counters and bounds ({@link ShardReply.Status}). */
  record Describe(ActorRef<Reply> replyTo) implements ShardCommand {}

  /** Where a reader of record {@code recordNumber}, or of the first record that arrived at
   *  or after {@code timestampMillis} when that is not negative, starts in the journal; no
   *  earlier than the first record kept at {@code nowMillis} (the caller's clock). */
  record Locate(long recordNumber, long timestampMillis, long nowMillis,
      ActorRef<Reply> replyTo) implements ShardCommand {}
}
