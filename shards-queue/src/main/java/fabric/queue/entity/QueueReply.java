package fabric.queue.entity;

import fabric.core.entity.Reply;
import fabric.core.serialization.CborSerializable;
import fabric.queue.message.MessageAttribute;
import java.util.List;
import java.util.Map;

/** What a queue entity answers (besides {@link fabric.core.entity.Rejected}). */
public sealed interface QueueReply extends Reply, CborSerializable {
  record Done() implements QueueReply {}

  record Attributes(Map<String, String> attributes) implements QueueReply {}

  record Tags(Map<String, String> tags) implements QueueReply {}

  /** @param sequenceNumber FIFO queues only, else null */
  record Sent(String entryId, String messageId, String md5OfBody, String md5OfAttributes,
      String sequenceNumber) {}

  /** One entry of a batch that failed, with the AWS error code. */
  record EntryFailure(String entryId, String code, String message, boolean senderFault) {}

  record SendResults(List<Sent> successful, List<EntryFailure> failed) implements QueueReply {}

  record ReceivedMessage(String messageId, String receiptHandle, String body, String md5OfBody,
      Map<String, MessageAttribute> attributes, String md5OfAttributes,
      Map<String, String> systemAttributes) {}

  /**
   * @param deadLetters messages past the RedrivePolicy's maxReceiveCount that the receive
   *     handed out for moving to the dead-letter queue instead (null if none): the service
   *     moves them, the caller never sees them
   */
  record Received(List<ReceivedMessage> messages, DeadLetters deadLetters)
      implements QueueReply {
    public Received(List<ReceivedMessage> messages) {
      this(messages, null);
    }
  }

  /** A queue's move tasks, the newest first. */
  record MoveTasks(List<MoveTask> tasks) implements QueueReply {}

  /** One move task. */
  record MoveTaskState(MoveTask task) implements QueueReply {}

  /** What a move task's mover moves next (nothing once the task is not RUNNING). */
  record MoveBatch(MoveTask task, List<Move> moves) implements QueueReply {}

  /** One message to move and where to. */
  record Move(String destinationArn, StoredMessage message) {}

  /** Messages to move to {@code targetArn}, each with its sequence number in the source. */
  record DeadLetters(String targetArn, List<StoredMessage> messages) {}

  record BatchResults(List<String> successful, List<EntryFailure> failed)
      implements QueueReply {}
}
