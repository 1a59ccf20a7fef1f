package fabric.queue.entity;

import fabric.queue.entity.QueueEvent.Visibility;
import java.util.List;
import java.util.Map;

/** How each {@link QueueEvent} changes a {@link QueueState}: pure, replayed on recovery. */
final class QueueEvolution {
  private QueueEvolution() {}

  static QueueState evolve(QueueState s, QueueEvent event) {
    if (event instanceof QueueEvent.Created c) {
      return new QueueState(s.entityId(), c.region(), c.attributes(), c.tags(), c.atMillis(),
          c.atMillis(), 0, s.nextSeq(), MessageIndex.empty(), 0, DedupWindow.empty(), List.of());
    }
    if (event instanceof QueueEvent.AttributesSet a) {
      return new QueueState(s.entityId(), s.region(), a.attributes(), s.tags(),
          s.createdAtMillis(), a.atMillis(), s.deletedAtMillis(), s.nextSeq(), s.messages(),
          s.lastPurgeAtMillis(), s.dedup(), s.moveTasks());
    }
    if (event instanceof QueueEvent.Deleted d) {
      return new QueueState(s.entityId(), s.region(), null, Map.of(), 0, 0, d.atMillis(),
          s.nextSeq(), MessageIndex.empty(), 0, DedupWindow.empty(), List.of());
    }
    if (event instanceof QueueEvent.MessagesSent sent) {
      MessageIndex index = s.messages();
      DedupWindow dedup = s.dedup();
      long next = s.nextSeq();
      for (StoredMessage m : sent.messages()) {
        index = index.put(m);
        next = Math.max(next, m.seq() + 1);
        if (m.deduplicationId() != null) {
          dedup = dedup.prune(m.sentAtMillis()).plus(new DedupWindow.Entry(
              MessageDecisions.dedupKey(s.attributes(), m.groupId(), m.deduplicationId()),
              m.messageId(),
              m.seq(), m.sentAtMillis()));
        }
      }
      return new QueueState(s.entityId(), s.region(), s.attributes(), s.tags(),
          s.createdAtMillis(), s.lastModifiedAtMillis(), s.deletedAtMillis(), next, index,
          s.lastPurgeAtMillis(), dedup, s.moveTasks());
    }
    if (event instanceof QueueEvent.MessagesMovedIn in) {
      MessageIndex index = s.messages();
      DedupWindow dedup = s.dedup().prune(in.atMillis());
      long next = s.nextSeq();
      for (StoredMessage m : in.messages()) {
        index = index.put(m);
        next = Math.max(next, m.seq() + 1);
        dedup = dedup.plus(new DedupWindow.Entry(MessageDecisions.movedInKey(m.messageId()),
            m.messageId(), m.seq(), in.atMillis()));
      }
      return new QueueState(s.entityId(), s.region(), s.attributes(), s.tags(),
          s.createdAtMillis(), s.lastModifiedAtMillis(), s.deletedAtMillis(), next, index,
          s.lastPurgeAtMillis(), dedup, s.moveTasks());
    }
    if (event instanceof QueueEvent.MoveTaskChanged m) {
      return s.withMoveTask(m.task());
    }
    if (event instanceof QueueEvent.MessagesReceived r) {
      MessageIndex index = s.messages();
      for (Visibility v : r.messages()) {
        StoredMessage m = index.get(v.seq());
        if (m != null) {
          index = index.put(m.received(r.atMillis(), v.visibleAtMillis()));
        }
      }
      return s.withMessages(index);
    }
    if (event instanceof QueueEvent.VisibilityChanged c) {
      MessageIndex index = s.messages();
      for (Visibility v : c.messages()) {
        StoredMessage m = index.get(v.seq());
        if (m != null) {
          index = index.put(m.visibleAt(v.visibleAtMillis()));
        }
      }
      return s.withMessages(index);
    }
    if (event instanceof QueueEvent.TagsSet t) {
      return new QueueState(s.entityId(), s.region(), s.attributes(), t.tags(),
          s.createdAtMillis(), s.lastModifiedAtMillis(), s.deletedAtMillis(), s.nextSeq(),
          s.messages(), s.lastPurgeAtMillis(), s.dedup(), s.moveTasks());
    }
    if (event instanceof QueueEvent.MessagesDeleted d) {
      return s.withMessages(removeAll(s.messages(), d.seqs()));
    }
    if (event instanceof QueueEvent.MessagesExpired e) {
      return s.withMessages(removeAll(s.messages(), e.seqs()));
    }
    QueueEvent.Purged p = (QueueEvent.Purged) event;
    MessageIndex index = s.messages();
    for (StoredMessage m : index.toList()) {
      if (m.seq() < p.belowSeq()) {
        index = index.remove(m.seq());
      }
    }
    return new QueueState(s.entityId(), s.region(), s.attributes(), s.tags(),
        s.createdAtMillis(), s.lastModifiedAtMillis(), s.deletedAtMillis(), s.nextSeq(), index,
        p.atMillis(), s.dedup(), s.moveTasks());
  }

  private static MessageIndex removeAll(MessageIndex index, List<Long> seqs) {
    for (long seq : seqs) {
      index = index.remove(seq);
    }
    return index;
  }
}
