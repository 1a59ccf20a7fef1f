package fabric.core.entity;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * Which old snapshots of one entity to delete once a new one is saved: the newest
 * {@code keep} stay (an unreadable newest snapshot falls back to the one before), everything
 * older goes. Pekko's own retention only counts fixed-interval snapshots; entities snapshot
 * at intervals that grow with their state ({@link ResourceDefinition#snapshotEveryEvents(
 * Object)}), so the leader deletes them itself.
 *
 * <p>Only the snapshots saved since this leader started are known: the first ones after a
 * restart delete nothing, the {@code keep}-th deletes everything below the oldest it keeps,
 * the older leaders' snapshots included. So at most {@code keep} + the ones of the previous
 * leader exist at any time.
 */
final class SnapshotRetention {
  private final int keep;
  private final Deque<Long> savedSequenceNumbers = new ArrayDeque<>();

  SnapshotRetention(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one snapshot, not " + keep);
    }
    this.keep = keep;
  }

  /** A snapshot at {@code sequenceNumber} was saved: delete those up to the returned one
   *  (inclusive), if any. */
  OptionalLong saved(long sequenceNumber) {
    savedSequenceNumbers.addLast(sequenceNumber);
    if (savedSequenceNumbers.size() <= keep) {
      return OptionalLong.empty();
    }
    savedSequenceNumbers.removeFirst();
    return OptionalLong.of(savedSequenceNumbers.peekFirst() - 1);
  }

  /** The oldest of the {@code keep} snapshots this leader saved, once it saved that many:
   *  events up to it may go, even if the newest snapshot cannot be read (the store falls
   *  back to the one before, as Cassandra's does). Empty before. */
  OptionalLong oldestKept() {
    return savedSequenceNumbers.size() < keep ? OptionalLong.empty()
        : OptionalLong.of(savedSequenceNumbers.peekFirst());
  }
}
