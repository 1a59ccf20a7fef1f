package fabric.storage.bucket;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Commands to one bucket. Every command names the calling account: only the owner may use
 * the bucket (bucket policies arrive with IAM). Times come in the command so that the
 * entity's decisions stay pure.
 */
public sealed interface BucketCommand extends EntityCommand {
  String account();

  /** Replies {@link BucketInfo}; idempotent for the same owner. */
  record Create(String account, String region, Instant createdAt, ActorRef<Reply> replyTo)
      implements BucketCommand {}

  /** Replies {@link BucketInfo}. */
  record Head(String account, ActorRef<Reply> replyTo) implements BucketCommand {}

  /** Replies {@link BucketDeleted}; BucketNotEmpty while it holds objects. */
  record Delete(String account, Instant deletedAt, ActorRef<Reply> replyTo)
      implements BucketCommand {}

  /** Records an object whose bytes are already committed to the blob store. Replies
   *  {@link ObjectFound} with the stored entry. */
  record PutObject(String account, ObjectEntry entry, WriteCondition condition,
      ActorRef<Reply> replyTo) implements BucketCommand {
    public PutObject(String account, ObjectEntry entry, ActorRef<Reply> replyTo) {
      this(account, entry, WriteCondition.NONE, replyTo);
    }

    public PutObject {
      condition = condition == null ? WriteCondition.NONE : condition;
    }
  }

  /** Replies {@link ObjectFound}; NoSuchKey if absent. */
  record GetObject(String account, String key, ActorRef<Reply> replyTo)
      implements BucketCommand {}

  /** Replies {@link ObjectDeleted}; deleting a missing key succeeds, as on AWS. */
  record DeleteObject(String account, String key, Instant deletedAt, ActorRef<Reply> replyTo)
      implements BucketCommand {}

  /** Replies {@link ListPage}. */
  record ListObjects(String account, ListQuery query, ActorRef<Reply> replyTo)
      implements BucketCommand {}

  // Replies

  record BucketInfo(String name, String owner, String region, Instant createdAt)
      implements Reply {}

  record BucketDeleted(String name) implements Reply {}

  record ObjectFound(ObjectEntry entry) implements Reply {}

  record ObjectDeleted(String key, boolean existed) implements Reply {}
}
