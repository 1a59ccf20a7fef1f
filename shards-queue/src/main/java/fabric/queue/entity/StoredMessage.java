package fabric.queue.entity;

import fabric.core.serialization.CborSerializable;
import fabric.queue.message.MessageAttribute;
import java.util.Map;

/**
 * A message the queue holds. (Bodies live here for now; docs/sqs-plan.md moves them to a
 * segment store so that the state stays small at a million messages.)
 *
 * @param seq the queue's sequence number for it, increasing
 * @param visibleAtMillis when it can next be received (after its delay or visibility timeout)
 * @param receiveCount how often it was received; its latest receipt handle carries this
 * @param firstReceivedAtMillis 0 until the first receive
 * @param deadLetterSourceArn the queue it was moved here from as a dead letter, else null
 */
public record StoredMessage(long seq, String messageId, String body,
    Map<String, MessageAttribute> attributes, String md5OfBody, String md5OfAttributes,
    long sentAtMillis, long visibleAtMillis, int receiveCount, long firstReceivedAtMillis,
    String groupId, String deduplicationId, String deadLetterSourceArn)
    implements CborSerializable {

  public StoredMessage {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  StoredMessage received(long atMillis, long visibleUntilMillis) {
    return new StoredMessage(seq, messageId, body, attributes, md5OfBody, md5OfAttributes,
        sentAtMillis, visibleUntilMillis, receiveCount + 1,
        firstReceivedAtMillis == 0 ? atMillis : firstReceivedAtMillis, groupId,
        deduplicationId, deadLetterSourceArn);
  }

  StoredMessage visibleAt(long millis) {
    return new StoredMessage(seq, messageId, body, attributes, md5OfBody, md5OfAttributes,
        sentAtMillis, millis, receiveCount, firstReceivedAtMillis, groupId, deduplicationId,
        deadLetterSourceArn);
  }

  /**
   * This message as it arrives in another queue (a dead-letter queue, or back from one by a
   * move task): same id, body and attributes; a new sequence number; visible at once.
   * Retention still counts from the original send on a standard queue, as on AWS; a FIFO
   * queue counts from the move.
   */
  StoredMessage movedTo(long newSeq, boolean fifo, long atMillis) {
    return new StoredMessage(newSeq, messageId, body, attributes, md5OfBody, md5OfAttributes,
        fifo ? atMillis : sentAtMillis, atMillis, receiveCount, firstReceivedAtMillis, groupId,
        deduplicationId, deadLetterSourceArn);
  }

  /** As it leaves for another queue: from {@code sourceArn}, received {@code count} times. */
  public StoredMessage leaving(String sourceArn, int count) {
    return new StoredMessage(seq, messageId, body, attributes, md5OfBody, md5OfAttributes,
        sentAtMillis, visibleAtMillis, count, count == 0 ? 0 : firstReceivedAtMillis, groupId,
        deduplicationId, sourceArn);
  }

  boolean expired(long nowMillis, int retentionSeconds) {
    return nowMillis - sentAtMillis >= retentionSeconds * 1_000L;
  }
}
