package fabric.queue.entity;

import fabric.core.serialization.CborSerializable;
import fabric.queue.attributes.QueueAttributes;
import java.util.Map;

/**
 * One queue. {@code attributes} is null until it is created; after a delete it is null
 * again and {@code deletedAtMillis} says when (the name cannot be reused for 60 s).
 */
public record QueueState(String entityId, String region, QueueAttributes attributes,
    Map<String, String> tags, long createdAtMillis, long lastModifiedAtMillis,
    long deletedAtMillis, long nextSeq, MessageIndex messages, long lastPurgeAtMillis,
    DedupWindow dedup) implements CborSerializable {

  public QueueState {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    messages = messages == null ? MessageIndex.empty() : messages;
    dedup = dedup == null ? DedupWindow.empty() : dedup;
  }

  static QueueState empty(String entityId) {
    return new QueueState(entityId, null, null, Map.of(), 0, 0, 0, 1, MessageIndex.empty(), 0,
        DedupWindow.empty());
  }

  public boolean exists() {
    return attributes != null;
  }

  QueueState withMessages(MessageIndex index) {
    return new QueueState(entityId, region, attributes, tags, createdAtMillis,
        lastModifiedAtMillis, deletedAtMillis, nextSeq, index, lastPurgeAtMillis, dedup);
  }
}
