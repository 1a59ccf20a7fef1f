package fabric.queue.entity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * A queue's messages by sequence number, and by the time each becomes visible: persistent
 * trees, so the event handler stays pure and no event copies the queue. A receive walks the
 * visibility order from its start, so its cost grows with what it returns, not with the
 * backlog. A snapshot is the flat list of messages; the trees are rebuilt on recovery.
 */
public final class MessageIndex {
  private record VisibleAt(long millis, long seq) {}

  private static final Comparator<VisibleAt> ORDER = Comparator
      .comparingLong(VisibleAt::millis).thenComparingLong(VisibleAt::seq);
  private static final MessageIndex EMPTY =
      new MessageIndex(TreePMap.empty(), TreePSet.empty(ORDER), 0);

  private final TreePMap<Long, StoredMessage> bySeq;
  private final TreePSet<VisibleAt> byVisibility;
  /** Messages never received (ready or delayed): what the queue's window bounds. */
  private final int fresh;

  private MessageIndex(TreePMap<Long, StoredMessage> bySeq, TreePSet<VisibleAt> byVisibility,
      int fresh) {
    this.bySeq = bySeq;
    this.byVisibility = byVisibility;
    this.fresh = fresh;
  }

  public int fresh() {
    return fresh;
  }

  private static int freshness(StoredMessage m) {
    return m != null && m.receiveCount() == 0 ? 1 : 0;
  }

  public static MessageIndex empty() {
    return EMPTY;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static MessageIndex fromList(List<StoredMessage> messages) {
    MessageIndex index = EMPTY;
    if (messages != null) {
      for (StoredMessage m : messages) {
        index = index.put(m);
      }
    }
    return index;
  }

  @JsonValue
  public List<StoredMessage> toList() {
    return new ArrayList<>(bySeq.values());
  }

  public StoredMessage get(long seq) {
    return bySeq.get(seq);
  }

  public MessageIndex put(StoredMessage m) {
    StoredMessage old = bySeq.get(m.seq());
    TreePSet<VisibleAt> vis = old == null ? byVisibility
        : byVisibility.minus(new VisibleAt(old.visibleAtMillis(), old.seq()));
    return new MessageIndex(bySeq.plus(m.seq(), m),
        vis.plus(new VisibleAt(m.visibleAtMillis(), m.seq())),
        fresh - freshness(old) + freshness(m));
  }

  public MessageIndex remove(long seq) {
    StoredMessage old = bySeq.get(seq);
    if (old == null) {
      return this;
    }
    return new MessageIndex(bySeq.minus(seq),
        byVisibility.minus(new VisibleAt(old.visibleAtMillis(), seq)), fresh - freshness(old));
  }

  /** Messages visible at {@code nowMillis}, earliest visible first, at most {@code max}. */
  public List<StoredMessage> visible(long nowMillis, int max) {
    List<StoredMessage> out = new ArrayList<>(Math.min(max, 16));
    for (VisibleAt v : byVisibility) {
      if (v.millis() > nowMillis || out.size() >= max) {
        break;
      }
      out.add(bySeq.get(v.seq()));
    }
    return out;
  }

  /**
   * FIFO: what a receive at {@code nowMillis} may take, in sequence order: a group with a
   * message in flight is blocked, and a group whose next message is not visible yet yields
   * nothing after it either, so every group comes out strictly in order.
   */
  public List<StoredMessage> fifoReceivable(long nowMillis, int max) {
    java.util.Set<String> blocked = new java.util.HashSet<>();
    for (VisibleAt v : byVisibility.tailSet(new VisibleAt(nowMillis + 1, Long.MIN_VALUE))) {
      StoredMessage m = bySeq.get(v.seq());
      if (m.receiveCount() > 0) {
        blocked.add(m.groupId());
      }
    }
    List<StoredMessage> out = new ArrayList<>(Math.min(max, 16));
    for (StoredMessage m : bySeq.values()) {
      if (out.size() >= max) {
        break;
      }
      if (blocked.contains(m.groupId())) {
        continue;
      }
      if (m.visibleAtMillis() > nowMillis) {
        blocked.add(m.groupId());
        continue;
      }
      out.add(m);
    }
    return out;
  }

  /** As {@link #visible}, only messages with sequence numbers below {@code belowSeq}. */
  public List<StoredMessage> visibleBelow(long nowMillis, long belowSeq, int max) {
    List<StoredMessage> out = new ArrayList<>(Math.min(max, 16));
    for (VisibleAt v : byVisibility) {
      if (v.millis() > nowMillis || out.size() >= max) {
        break;
      }
      if (v.seq() < belowSeq) {
        out.add(bySeq.get(v.seq()));
      }
    }
    return out;
  }

  /** When the first message hidden at {@code nowMillis} becomes visible; MAX_VALUE if none. */
  public long nextVisibleAfter(long nowMillis) {
    VisibleAt next = byVisibility.ceiling(new VisibleAt(nowMillis + 1, Long.MIN_VALUE));
    return next == null ? Long.MAX_VALUE : next.millis();
  }

  /** Messages not visible at {@code nowMillis}, split into delayed and in flight. */
  public Hidden hidden(long nowMillis) {
    int delayed = 0;
    int inFlight = 0;
    for (VisibleAt v : byVisibility.tailSet(new VisibleAt(nowMillis + 1, Long.MIN_VALUE))) {
      if (bySeq.get(v.seq()).receiveCount() == 0) {
        delayed++;
      } else {
        inFlight++;
      }
    }
    return new Hidden(delayed, inFlight);
  }

  public record Hidden(int delayed, int inFlight) {}

  public int size() {
    return bySeq.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageIndex other && bySeq.equals(other.bySeq);
  }

  @Override
  public int hashCode() {
    return bySeq.hashCode();
  }
}
