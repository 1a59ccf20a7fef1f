package fabric.queue.entity;

import fabric.core.entity.JournalRead;
import fabric.core.entity.Outcome;
import fabric.core.entity.Reply;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Reading a queue's backlog back from its journal: the messages of the send (and move-in)
 * events found, and which of them fill the window, in sequence order.
 */
final class BacklogReads {
  private BacklogReads() {}

  /** Every message the events sent, with the journal seqNr of its event. */
  static QueueCommand.LoadBacklog load(JournalRead read,
      List<JournalRead.Event<QueueEvent>> events, int windowMessages, ActorRef<Reply> replyTo) {
    List<QueueCommand.Found> found = new ArrayList<>();
    long readEnd = read.fromSeqNr();
    for (JournalRead.Event<QueueEvent> e : events) {
      List<StoredMessage> sent = e.event() instanceof QueueEvent.MessagesSent s ? s.messages()
          : e.event() instanceof QueueEvent.MessagesMovedIn in ? in.messages() : List.of();
      sent.forEach(m -> found.add(new QueueCommand.Found(e.seqNr(), m)));
      readEnd = e.seqNr() + 1;
    }
    return new QueueCommand.LoadBacklog(found, readEnd, 0, replyTo);
  }

  /**
   * Takes the backlog's next messages, in order, while the window has room; the backlog's
   * journal cursor moves to the event of the first message not taken (read again later), or
   * past what was read. Nothing changes if the read found nothing new.
   */
  static Outcome<QueueEvent, QueueState> decide(QueueState state,
      QueueCommand.LoadBacklog load, int windowMessages) {
    Backlog backlog = state.backlog();
    if (!state.exists() || backlog.isEmpty()) {
      return Outcome.reply(new QueueReply.Done()); // purged or deleted meanwhile
    }
    int room = (int) Math.min(windowMessages - state.messages().fresh(), backlog.count());
    List<StoredMessage> taken = new ArrayList<>();
    long cursor = load.readEnd();
    for (QueueCommand.Found f : load.found()) {
      long expected = backlog.fromSeq() + taken.size();
      if (f.message().seq() < expected) {
        continue; // loaded before, or purged
      }
      if (taken.size() >= room || f.message().seq() != expected) {
        cursor = f.seqNr();
        break;
      }
      taken.add(f.message());
    }
    if (taken.isEmpty() && cursor <= backlog.journalCursor()) {
      return Outcome.reply(new QueueReply.Done());
    }
    return Outcome.persist(new QueueEvent.BacklogLoaded(backlog.fromSeq(), taken,
        Math.max(cursor, backlog.journalCursor())), s -> new QueueReply.Done());
  }
}
