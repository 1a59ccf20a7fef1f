package fabric.queue.entity;

import fabric.core.serialization.CborSerializable;
import fabric.queue.attributes.QueueAttributes;
import java.util.List;
import java.util.Map;

/** What happened to a queue; applied by {@link QueueDefinition#evolve}, pure. */
public sealed interface QueueEvent extends CborSerializable {
  record Created(String region, QueueAttributes attributes, Map<String, String> tags,
      long atMillis) implements QueueEvent {}

  record AttributesSet(QueueAttributes attributes, long atMillis) implements QueueEvent {}

  record Deleted(long atMillis) implements QueueEvent {}

  record MessagesSent(List<StoredMessage> messages) implements QueueEvent {}

  /** A message received (or made visible again) and when it becomes visible next. */
  record Visibility(long seq, long visibleAtMillis) {}

  /** Messages that arrived from another queue; their ids are remembered for the dedup
   *  window ({@link MessageDecisions#acceptMoved}). */
  record MessagesMovedIn(List<StoredMessage> messages, long atMillis) implements QueueEvent {}

  record MessagesReceived(List<Visibility> messages, long atMillis) implements QueueEvent {}

  record VisibilityChanged(List<Visibility> messages) implements QueueEvent {}

  record MessagesDeleted(List<Long> seqs) implements QueueEvent {}

  /**
   * Backlog messages read back from the journal into memory: from {@code fromSeq} on, in
   * order; the rest of the backlog starts at journal seqNr {@code nextCursor}. They carry
   * their bodies again so that a replay rebuilds memory without reading the journal twice.
   */
  record BacklogLoaded(long fromSeq, List<StoredMessage> messages, long nextCursor)
      implements QueueEvent {}

  /** A move task started, progressed or ended: its new value. */
  record MoveTaskChanged(MoveTask task) implements QueueEvent {}

  /** Removed because they outlived MessageRetentionPeriod. */
  record MessagesExpired(List<Long> seqs) implements QueueEvent {}

  /** The queue's tags after a TagQueue or UntagQueue. */
  record TagsSet(Map<String, String> tags) implements QueueEvent {}

  /** Every message sent before (sequence numbers below {@code belowSeq}) removed. */
  record Purged(long belowSeq, long atMillis) implements QueueEvent {}
}
