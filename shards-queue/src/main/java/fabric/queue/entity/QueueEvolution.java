package fabric.queue.entity;

import fabric.queue.entity.QueueEvent.Visibility;
import java.util.List;

/**
 * How each {@link QueueEvent} changes a {@link QueueState}: pure, replayed on recovery.
 * Where a new message goes (memory or backlog) depends only on the state, so every replay
 * and every follower routes it the same way.
 */
final class QueueEvolution {
  /** Most fresh (never received) messages in memory; more wait in the backlog. */
  private final int windowMessages;

  QueueEvolution(int windowMessages) {
    this.windowMessages = windowMessages;
  }

  QueueState evolve(QueueState before, QueueEvent event) {
    QueueState s = before.countedEvent();
    if (event instanceof QueueEvent.Created c) {
      return s.created(c.region(), c.attributes(), c.tags(), c.atMillis());
    }
    if (event instanceof QueueEvent.AttributesSet a) {
      return s.withAttributes(a.attributes(), a.atMillis());
    }
    if (event instanceof QueueEvent.Deleted d) {
      return s.deleted(d.atMillis());
    }
    if (event instanceof QueueEvent.MessagesSent sent) {
      DedupWindow dedup = s.dedup();
      for (StoredMessage m : sent.messages()) {
        if (m.deduplicationId() != null) {
          dedup = dedup.prune(m.sentAtMillis()).plus(new DedupWindow.Entry(
              MessageDecisions.dedupKey(s.attributes(), m.groupId(), m.deduplicationId()),
              m.messageId(), m.seq(), m.sentAtMillis()));
        }
      }
      return arrived(s, sent.messages(), dedup, before.appliedEvents() + 1);
    }
    if (event instanceof QueueEvent.MessagesMovedIn in) {
      DedupWindow dedup = s.dedup().prune(in.atMillis());
      for (StoredMessage m : in.messages()) {
        dedup = dedup.plus(new DedupWindow.Entry(MessageDecisions.movedInKey(m.messageId()),
            m.messageId(), m.seq(), in.atMillis()));
      }
      return arrived(s, in.messages(), dedup, before.appliedEvents() + 1);
    }
    if (event instanceof QueueEvent.BacklogLoaded loaded) {
      if (loaded.fromSeq() != s.backlog().fromSeq()) {
        return s; // decided against this very state, so never; kept harmless
      }
      MessageIndex index = s.messages();
      for (StoredMessage m : loaded.messages()) {
        index = index.put(m);
      }
      long last = loaded.messages().isEmpty() ? loaded.fromSeq() - 1
          : loaded.messages().get(loaded.messages().size() - 1).seq();
      return s.withMessages(s.nextSeq(), index, s.backlog().loaded(loaded.messages().size(),
          last, loaded.nextCursor()), s.dedup());
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
      return s.withTags(t.tags());
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
    // Every backlog message was sent before the purge (the backlog is a suffix).
    Backlog backlog = s.backlog().fromSeq() < p.belowSeq() ? Backlog.EMPTY : s.backlog();
    return s.purged(index, backlog, p.atMillis());
  }

  /**
   * New messages: into memory while the window has room and nothing waits in the backlog
   * (which keeps the backlog a suffix of the queue), else into the backlog, their bodies
   * only in this event's journal entry.
   */
  private QueueState arrived(QueueState s, List<StoredMessage> messages, DedupWindow dedup,
      long journalSeqNrAtLeast) {
    MessageIndex index = s.messages();
    Backlog backlog = s.backlog();
    long next = s.nextSeq();
    for (StoredMessage m : messages) {
      if (backlog.isEmpty() && index.fresh() < windowMessages) {
        index = index.put(m);
      } else {
        backlog = backlog.plus(m.seq(), journalSeqNrAtLeast);
      }
      next = Math.max(next, m.seq() + 1);
    }
    return s.withMessages(next, index, backlog, dedup);
  }

  private static MessageIndex removeAll(MessageIndex index, List<Long> seqs) {
    for (long seq : seqs) {
      index = index.remove(seq);
    }
    return index;
  }
}
