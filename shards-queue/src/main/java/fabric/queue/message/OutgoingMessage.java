package fabric.queue.message;

import fabric.core.serialization.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A message as a producer sends it (SendMessage or one SendMessageBatch entry), before the
 * queue gave it an id and a sequence number.
 *
 * @param delaySeconds null when the request gave none (the queue's DelaySeconds applies)
 * @param groupId MessageGroupId: required on FIFO queues, optional on standard ones
 * @param deduplicationId MessageDeduplicationId: FIFO only
 */
public record OutgoingMessage(String body, Map<String, MessageAttribute> attributes,
    Integer delaySeconds, String groupId, String deduplicationId) implements CborSerializable {

  public OutgoingMessage {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** What counts toward MaximumMessageSize: the body and every attribute. */
  public long sizeBytes() {
    long size = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
      size += e.getValue().sizeBytes(e.getKey());
    }
    return size;
  }
}
