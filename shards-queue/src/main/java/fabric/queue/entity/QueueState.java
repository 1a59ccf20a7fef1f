package fabric.queue.entity;

import fabric.core.serialization.CborSerializable;
import fabric.queue.attributes.QueueAttributes;
import java.util.List;
import java.util.Map;

/**
 * One queue. {@code attributes} is null until it is created; after a delete it is null
 * again and {@code deletedAtMillis} says when (the name cannot be reused for 60 s).
 *
 * <p>Its messages: {@code messages} in memory (a bounded window of fresh messages, plus
 * those received and not deleted), the rest only in the journal ({@code backlog}), so the
 * state and its snapshots stay bounded however long the queue grows.
 *
 * @param appliedEvents how many events this state applied: a lower bound of the journal
 *     sequence number of the next one (orphans that recovery drops are not counted)
 */
public record QueueState(String entityId, String region, QueueAttributes attributes,
    Map<String, String> tags, long createdAtMillis, long lastModifiedAtMillis,
    long deletedAtMillis, long lastPurgeAtMillis, long nextSeq, MessageIndex messages,
    Backlog backlog, DedupWindow dedup, List<MoveTask> moveTasks, long appliedEvents)
    implements CborSerializable {

  public QueueState {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    messages = messages == null ? MessageIndex.empty() : messages;
    backlog = backlog == null ? Backlog.EMPTY : backlog;
    dedup = dedup == null ? DedupWindow.empty() : dedup;
    moveTasks = moveTasks == null ? List.of() : List.copyOf(moveTasks);
  }

  static QueueState empty(String entityId) {
    return new QueueState(entityId, null, null, Map.of(), 0, 0, 0, 0, 1, MessageIndex.empty(),
        Backlog.EMPTY, DedupWindow.empty(), List.of(), 0);
  }

  public boolean exists() {
    return attributes != null;
  }

  /** Messages in the queue, in memory and in the backlog. */
  public long messageCount() {
    return messages.size() + backlog.count();
  }

  QueueState created(String newRegion, QueueAttributes newAttributes,
      Map<String, String> newTags, long atMillis) {
    return new QueueState(entityId, newRegion, newAttributes, newTags, atMillis, atMillis, 0,
        0, nextSeq, MessageIndex.empty(), Backlog.EMPTY, DedupWindow.empty(), List.of(),
        appliedEvents);
  }

  QueueState deleted(long atMillis) {
    return new QueueState(entityId, region, null, Map.of(), 0, 0, atMillis, 0, nextSeq,
        MessageIndex.empty(), Backlog.EMPTY, DedupWindow.empty(), List.of(), appliedEvents);
  }

  QueueState withAttributes(QueueAttributes newAttributes, long atMillis) {
    return new QueueState(entityId, region, newAttributes, tags, createdAtMillis, atMillis,
        deletedAtMillis, lastPurgeAtMillis, nextSeq, messages, backlog, dedup, moveTasks,
        appliedEvents);
  }

  QueueState withTags(Map<String, String> newTags) {
    return new QueueState(entityId, region, attributes, newTags, createdAtMillis,
        lastModifiedAtMillis, deletedAtMillis, lastPurgeAtMillis, nextSeq, messages, backlog,
        dedup, moveTasks, appliedEvents);
  }

  QueueState withMessages(MessageIndex index) {
    return withMessages(nextSeq, index, backlog, dedup);
  }

  QueueState withMessages(long newNextSeq, MessageIndex index, Backlog newBacklog,
      DedupWindow newDedup) {
    return new QueueState(entityId, region, attributes, tags, createdAtMillis,
        lastModifiedAtMillis, deletedAtMillis, lastPurgeAtMillis, newNextSeq, index,
        newBacklog, newDedup, moveTasks, appliedEvents);
  }

  QueueState purged(MessageIndex index, Backlog newBacklog, long atMillis) {
    return new QueueState(entityId, region, attributes, tags, createdAtMillis,
        lastModifiedAtMillis, deletedAtMillis, atMillis, nextSeq, index, newBacklog, dedup,
        moveTasks, appliedEvents);
  }

  QueueState countedEvent() {
    return new QueueState(entityId, region, attributes, tags, createdAtMillis,
        lastModifiedAtMillis, deletedAtMillis, lastPurgeAtMillis, nextSeq, messages, backlog,
        dedup, moveTasks, appliedEvents + 1);
  }

  /** The task with this handle, or null. */
  MoveTask moveTask(String handle) {
    return moveTasks.stream().filter(t -> t.handle().equals(handle)).findFirst().orElse(null);
  }

  /** With {@code task} added or replacing the one of its handle; the newest first, at most
   *  {@link MoveTask#KEPT} (AWS lists the recent ones). */
  QueueState withMoveTask(MoveTask task) {
    List<MoveTask> tasks = new java.util.ArrayList<>();
    tasks.add(task);
    moveTasks.stream().filter(t -> !t.handle().equals(task.handle())).limit(MoveTask.KEPT - 1)
        .forEach(tasks::add);
    if (moveTask(task.handle()) != null) {
      tasks.sort(java.util.Comparator.comparingLong(MoveTask::startedAtMillis).reversed());
    }
    return new QueueState(entityId, region, attributes, tags, createdAtMillis,
        lastModifiedAtMillis, deletedAtMillis, lastPurgeAtMillis, nextSeq, messages, backlog,
        dedup, tasks, appliedEvents);
  }
}
