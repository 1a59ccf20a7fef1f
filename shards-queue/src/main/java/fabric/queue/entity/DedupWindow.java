package fabric.queue.entity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import fabric.core.serialization.CborSerializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.TreePSet;

/**
 * A FIFO queue's deduplication ids of the last {@link #WINDOW_MILLIS}: a message whose id
 * (with its group, under DeduplicationScope messageGroup) was sent within the window is
 * accepted again but not enqueued again. Persistent maps, pruned from the oldest as time
 * (the events' time) moves on, so the handler stays pure and cheap.
 */
public final class DedupWindow {
  /** SQS's deduplication interval: 5 minutes. */
  public static final long WINDOW_MILLIS = 300_000;

  /** @param key the deduplication id, prefixed by the group id under messageGroup scope */
  public record Entry(String key, String messageId, long seq, long atMillis)
      implements CborSerializable {}

  private record ByTime(long atMillis, String key) {}

  private static final Comparator<ByTime> ORDER = Comparator.comparingLong(ByTime::atMillis)
      .thenComparing(ByTime::key);
  private static final DedupWindow EMPTY =
      new DedupWindow(HashTreePMap.empty(), TreePSet.empty(ORDER));

  private final PMap<String, Entry> byKey;
  private final TreePSet<ByTime> byTime;

  private DedupWindow(PMap<String, Entry> byKey, TreePSet<ByTime> byTime) {
    this.byKey = byKey;
    this.byTime = byTime;
  }

  public static DedupWindow empty() {
    return EMPTY;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static DedupWindow fromList(List<Entry> entries) {
    DedupWindow w = EMPTY;
    if (entries != null) {
      for (Entry e : entries) {
        w = w.plus(e);
      }
    }
    return w;
  }

  @JsonValue
  public List<Entry> toList() {
    List<Entry> out = new ArrayList<>();
    for (ByTime t : byTime) {
      out.add(byKey.get(t.key()));
    }
    return out;
  }

  /** The earlier send of {@code key} if it is within the window at {@code nowMillis}. */
  public Entry seen(String key, long nowMillis) {
    Entry e = byKey.get(key);
    return e != null && nowMillis - e.atMillis() < WINDOW_MILLIS ? e : null;
  }

  public DedupWindow plus(Entry e) {
    Entry old = byKey.get(e.key());
    TreePSet<ByTime> times = old == null ? byTime
        : byTime.minus(new ByTime(old.atMillis(), old.key()));
    return new DedupWindow(byKey.plus(e.key(), e), times.plus(new ByTime(e.atMillis(), e.key())));
  }

  /** Without the entries that left the window by {@code nowMillis}. */
  public DedupWindow prune(long nowMillis) {
    PMap<String, Entry> keys = byKey;
    TreePSet<ByTime> times = byTime;
    while (!times.isEmpty() && nowMillis - times.first().atMillis() >= WINDOW_MILLIS) {
      ByTime oldest = times.first();
      keys = keys.minus(oldest.key());
      times = times.minus(oldest);
    }
    return keys == byKey ? this : new DedupWindow(keys, times);
  }

  public int size() {
    return byKey.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DedupWindow other && byKey.equals(other.byKey);
  }

  @Override
  public int hashCode() {
    return byKey.hashCode();
  }
}
