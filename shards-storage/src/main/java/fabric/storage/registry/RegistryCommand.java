package fabric.storage.registry;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** Commands to the bucket-name registry. */
public sealed interface RegistryCommand extends EntityCommand {

  /** Claims a name for an account. Replies {@link Claimed}; BucketAlreadyOwnedByYou,
   *  BucketAlreadyExists or TooManyBuckets otherwise. */
  record Claim(String name, String account, String region, Instant createdAt,
      ActorRef<Reply> replyTo) implements RegistryCommand {}

  /** Frees a name after its bucket was deleted. Replies {@link Released}. */
  record Release(String name, String account, ActorRef<Reply> replyTo)
      implements RegistryCommand {}

  /** Replies {@link Buckets} with the account's buckets, sorted by name. */
  record ListBuckets(String account, ActorRef<Reply> replyTo) implements RegistryCommand {}

  /** Replies {@link Lookup}. */
  record Find(String name, ActorRef<Reply> replyTo) implements RegistryCommand {}

  // Replies

  record Claimed(BucketEntry entry) implements Reply {}

  record Released(String name, boolean wasClaimed) implements Reply {}

  record Buckets(List<BucketEntry> buckets) implements Reply {}

  /** @param entry null if nobody holds the name */
  record Lookup(String name, BucketEntry entry) implements Reply {}
}
