package fabric.queue.entity;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.ParkableCommand;
import fabric.core.entity.Reply;
import fabric.queue.message.OutgoingMessage;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** What a queue entity is asked; every command carries the caller's clock ({@code nowMillis}). */
public sealed interface QueueCommand extends EntityCommand {
  long nowMillis();

  record Create(String region, Map<String, String> attributes, Map<String, String> tags,
      long nowMillis, ActorRef<Reply> replyTo) implements QueueCommand {}

  /** @param names attribute names or "All" */
  record GetAttributes(List<String> names, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  record SetAttributes(Map<String, String> attributes, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  record Delete(long nowMillis, ActorRef<Reply> replyTo) implements QueueCommand {}

  /** @param messageId chosen by the caller (a UUID), so deciding stays deterministic */
  record SendEntry(String entryId, String messageId, OutgoingMessage message) {}

  record Send(List<SendEntry> entries, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  /**
   * @param visibilityTimeoutSeconds null = the queue's VisibilityTimeout
   * @param waitTimeSeconds how long to wait for a message (long polling); null = the
   *     queue's ReceiveMessageWaitTimeSeconds
   * @param askedAtMillis when the caller asked: the wait counts from here however often the
   *     receive is decided again ({@code nowMillis})
   */
  record Receive(int maxMessages, Integer visibilityTimeoutSeconds, Integer waitTimeSeconds,
      long askedAtMillis, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand, ParkableCommand {
    public Receive(int maxMessages, Integer visibilityTimeoutSeconds, long nowMillis,
        ActorRef<Reply> replyTo) {
      this(maxMessages, visibilityTimeoutSeconds, 0, nowMillis, nowMillis, replyTo);
    }

    @Override
    public Receive at(long millis) {
      return new Receive(maxMessages, visibilityTimeoutSeconds, waitTimeSeconds, askedAtMillis,
          millis, replyTo);
    }
  }

  record HandleEntry(String entryId, String receiptHandle) {}

  record DeleteMessages(List<HandleEntry> entries, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  record VisibilityEntry(String entryId, String receiptHandle, int visibilityTimeoutSeconds) {}

  record ChangeVisibility(List<VisibilityEntry> entries, long nowMillis,
      ActorRef<Reply> replyTo) implements QueueCommand {}

  /** What a read of the journal found for the backlog ({@link QueueDefinition#eventsRead}). */
  record LoadBacklog(List<Found> found, long readEnd, long nowMillis,
      ActorRef<Reply> replyTo) implements QueueCommand {}

  /** A message a journal read found, in the event at journal seqNr {@code seqNr}. */
  record Found(long seqNr, StoredMessage message) {}

  /** Messages moving in from another queue ({@link StoredMessage#leaving}). */
  record AcceptMoved(List<StoredMessage> messages, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  /**
   * The messages with these sequence numbers arrived in another queue: remove them here.
   * @param taskHandle the move task that moved them, null for dead letters
   */
  record MovedOut(List<Long> seqs, String taskHandle, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  /** @param destinationArn null = back to each message's source queue */
  record StartMoveTask(String handle, String destinationArn, Integer maxPerSecond,
      long nowMillis, ActorRef<Reply> replyTo) implements QueueCommand {}

  /** A move task's mover asks for the next messages to move (hidden under a lease). */
  record TakeForMove(String handle, int max, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  record CancelMoveTask(String handle, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  record FailMoveTask(String handle, String reason, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  record ListMoveTasks(long nowMillis, ActorRef<Reply> replyTo) implements QueueCommand {}

  record Purge(long nowMillis, ActorRef<Reply> replyTo) implements QueueCommand {}

  record Tag(Map<String, String> tags, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  record Untag(List<String> keys, long nowMillis, ActorRef<Reply> replyTo)
      implements QueueCommand {}

  record ListTags(long nowMillis, ActorRef<Reply> replyTo) implements QueueCommand {}
}
