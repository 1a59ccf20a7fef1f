package fabric.queue.entity;

import fabric.core.serialization.CborSerializable;

/**
 * The messages of a queue that are only in its journal, not in memory: sequence numbers
 * {@code fromSeq} on ({@code count} of them, none touched since their send but by a purge),
 * sent in events at or after journal sequence number {@code journalCursor}. The queue reads
 * them back into memory as its window empties ({@link QueueDefinition#journalRead}).
 *
 * @param journalCursor a lower bound of the journal sequence number of the event holding
 *     message {@code fromSeq}: reading from it finds every backlog message
 */
public record Backlog(long count, long fromSeq, long journalCursor) implements CborSerializable {
  public static final Backlog EMPTY = new Backlog(0, 0, 0);

  public boolean isEmpty() {
    return count == 0;
  }

  /** One more message, {@code seq}, sent in an event at journal seqNr ≥ {@code seqNrAtLeast}. */
  Backlog plus(long seq, long seqNrAtLeast) {
    return isEmpty() ? new Backlog(1, seq, seqNrAtLeast)
        : new Backlog(count + 1, fromSeq, journalCursor);
  }

  /** {@code n} messages, up to {@code lastSeq}, loaded; the rest starts at {@code cursor}. */
  Backlog loaded(int n, long lastSeq, long cursor) {
    return n >= count ? EMPTY : new Backlog(count - n, lastSeq + 1, cursor);
  }
}
