package fabric.queue.entity;

import fabric.core.serialization.CborSerializable;
import fabric.queue.attributes.QueueAttributes;
import java.util.List;
import java.util.Map;

/**
 * One queue. {@code attributes} is null until it is created; after a delete it is null
 * again and {@code deletedAtMillis} says when (the name cannot be reused for 60 s).
 */
public record QueueState(String entityId, String region, QueueAttributes attributes,
    Map<String, String> tags, long createdAtMillis, long lastModifiedAtMillis,
    long deletedAtMillis, long nextSeq, MessageIndex messages, long lastPurgeAtMillis,
    DedupWindow dedup, List<MoveTask> moveTasks) implements CborSerializable {

  public QueueState {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    messages = messages == null ? MessageIndex.empty() : messages;
    dedup = dedup == null ? DedupWindow.empty() : dedup;
    moveTasks = moveTasks == null ? List.of() : List.copyOf(moveTasks);
  }

  static QueueState empty(String entityId) {
    return new QueueState(entityId, null, null, Map.of(), 0, 0, 0, 1, MessageIndex.empty(), 0,
        DedupWindow.empty(), List.of());
  }

  public boolean exists() {
    return attributes != null;
  }

  QueueState withMessages(MessageIndex index) {
    return new QueueState(entityId, region, attributes, tags, createdAtMillis,
        lastModifiedAtMillis, deletedAtMillis, nextSeq, index, lastPurgeAtMillis, dedup, moveTasks);
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
        lastModifiedAtMillis, deletedAtMillis, nextSeq, messages, lastPurgeAtMillis, dedup,
        tasks);
  }
}
