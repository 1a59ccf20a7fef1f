package fabric.kinesis.shard;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pcollections.TreePMap;

/**
 * A coarse index of a shard's journal: {@link Checkpoint}s by first record number, at most
 * one per {@code everyMillis} of arrival time and never more than {@link #MAX_CHECKPOINTS}
 * (the oldest go first). Immutable; snapshots hold it as a list.
 */
public final class ShardIndex {
  /**
   * The index's size limit. Snapshots hold the index, and a shard at its write limit
   * snapshots every few dozen events ({@link ShardDefinition#snapshotEveryEvents}), so
   * the index must stay small: 30,000 checkpoints are ~750 KB, a day's retention at one
   * per 5 s needs 17,280; a longer retention spaces them out ({@link #spacingMillis}).
   */
  public static final int MAX_CHECKPOINTS = 30_000;
  /** The closest two checkpoints come: a reader positioned by record number or timestamp
   *  reads at most this much of the shard's records (5 MiB at its write limit) before the
   *  first it wants. */
  public static final long MIN_SPACING_MILLIS = 5_000;
  public static final ShardIndex EMPTY = new ShardIndex(TreePMap.empty());

  private final TreePMap<Long, Checkpoint> byRecord;

  private ShardIndex(TreePMap<Long, Checkpoint> byRecord) {
    this.byRecord = byRecord;
  }

  /** Time between two checkpoints for a retention period: {@link #MIN_SPACING_MILLIS}, or
   *  more when the retention would need more than {@link #MAX_CHECKPOINTS} of them (a year's
   *  retention: every 17.5 minutes). */
  static long spacingMillis(int retentionHours) {
    return Math.max(MIN_SPACING_MILLIS, retentionHours * 3_600_000L / MAX_CHECKPOINTS);
  }

  /** The index after an event that put records from {@code c.firstRecordNumber()}: a new
   *  checkpoint when the last one is {@code spacingMillis} old or more, else the last one
   *  spans these records too (its last arrival moves up). */
  ShardIndex after(Checkpoint c, long spacingMillis) {
    Map.Entry<Long, Checkpoint> last = byRecord.isEmpty() ? null : byRecord.lastEntry();
    if (last != null && c.arrivalMillis() - last.getValue().arrivalMillis() < spacingMillis) {
      return new ShardIndex(byRecord.plus(last.getKey(),
          last.getValue().arrivedUntil(c.arrivalMillis())));
    }
    TreePMap<Long, Checkpoint> next = byRecord.plus(c.firstRecordNumber(), c);
    return new ShardIndex(next.size() > MAX_CHECKPOINTS ? next.minusFirstEntry() : next);
  }

  /** Drops the checkpoints wholly before record {@code firstKept}: keeps the one a reader of
   *  {@code firstKept} starts from. */
  ShardIndex trimmedBefore(long firstKept) {
    Long floor = byRecord.floorKey(firstKept);
    return floor == null ? this : new ShardIndex(byRecord.tailMap(floor, true));
  }

  /** Where to start reading for record {@code recordNumber}: the last checkpoint at or
   *  before it, else the first; null when there is none. */
  public Checkpoint forRecord(long recordNumber) {
    Map.Entry<Long, Checkpoint> e = byRecord.floorEntry(recordNumber);
    return e != null ? e.getValue() : byRecord.isEmpty() ? null : byRecord.firstEntry()
        .getValue();
  }

  /** Where to start reading for the first record that arrived at or after
   *  {@code timestampMillis}: the last checkpoint that arrived before it, else the first. */
  public Checkpoint forTimestamp(long timestampMillis) {
    Checkpoint found = null;
    for (Checkpoint c : byRecord.values()) { // arrival times grow with record numbers
      if (found != null && c.arrivalMillis() > timestampMillis) {
        break;
      }
      found = c;
    }
    return found;
  }

  /** The first checkpoint some of whose records may have arrived at or after
   *  {@code cutoffMillis} (its last arrival, or when unknown the next checkpoint's arrival,
   *  is not before it); null when none. */
  Checkpoint firstHoldingArrivalAtOrAfter(long cutoffMillis) {
    Checkpoint previous = null;
    for (Checkpoint c : byRecord.values()) {
      if (previous != null && previous.lastArrivalMillis() == 0
          && c.arrivalMillis() >= cutoffMillis) {
        return previous;
      }
      if (c.lastArrivalMillis() >= cutoffMillis) {
        return c;
      }
      previous = c;
    }
    return previous != null && previous.lastArrivalMillis() == 0 ? previous : null;
  }

  public int size() {
    return byRecord.size();
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ShardIndex fromList(List<Checkpoint> list) {
    TreePMap<Long, Checkpoint> map = TreePMap.empty();
    for (Checkpoint c : list == null ? List.<Checkpoint>of() : list) {
      map = map.plus(c.firstRecordNumber(), c);
    }
    return new ShardIndex(map);
  }

  @JsonValue
  List<Checkpoint> toList() {
    return new ArrayList<>(byRecord.values());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardIndex i && byRecord.equals(i.byRecord);
  }

  @Override
  public int hashCode() {
    return byRecord.hashCode();
  }
}
