package fabric.drills.report;

import fabric.drills.history.Call;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * When the system was back after each fault. The harness only records when a fault started and
 * ended; recovery is read off the op history, so it measures what clients saw.
 *
 * <p><b>Definition.</b> A fault F's window runs from its start to the start of the next fault
 * that begins at or after F was healed (or to the end of the run), so faults that overlap share
 * one disruption. Within the calls affected by F (all calls by default), let the <em>last
 * disruption</em> be the latest-invoked disrupted call invoked before the window ends (see
 * {@link #defaultDisruption}). F <em>recovered</em> at the first OK completion inside the
 * window that comes after that invocation: from then on, every affected op invoked in the window
 * succeeded. {@code recovery_ms} = recovered-at minus fault start. Calls that were already in
 * flight when the system came back may still time out afterwards without moving the recovery:
 * they were sent to the old, dead route. If there is no such completion (still failing when the
 * window ended), the fault is reported as not recovered.
 *
 * <p>A fault without visible effect recovers at the first OK completion after it started.
 *
 * <p>{@link #longestOutage} measures differently, for faults whose effect starts late (a
 * partitioned leader keeps answering reads until it fences itself): the fault recovered at
 * the end of the longest stretch of its window without any OK completion, if that stretch
 * is an outage at all (at least {@code minOutage}); else at the first OK completion.
 */
public final class RecoveryCalculator {
  private final Function<FaultEvent, Predicate<Call>> affected;
  private final Predicate<Call> disruption;
  private final boolean byLongestGap;
  private final long minOutageNanos;

  /**
   * @param affected the calls a fault can affect, e.g. the keys led by the killed node
   * @param disruption whether a call shows the system unavailable
   */
  public RecoveryCalculator(Function<FaultEvent, Predicate<Call>> affected,
      Predicate<Call> disruption) {
    this(affected, disruption, false, 0);
  }

  private RecoveryCalculator(Function<FaultEvent, Predicate<Call>> affected,
      Predicate<Call> disruption, boolean byLongestGap, long minOutageNanos) {
    this.affected = Objects.requireNonNull(affected, "affected");
    this.disruption = Objects.requireNonNull(disruption, "disruption");
    this.byLongestGap = byLongestGap;
    this.minOutageNanos = minOutageNanos;
  }

  /**
   * Recovery = the end of the longest stretch, from the fault's start until the window ends,
   * in which no affected call completed OK; the fault's start counts as the first edge. A
   * longest stretch shorter than {@code minOutage} (e.g. the client deadline) is no outage:
   * the fault then recovered at the first OK completion after its start.
   */
  public static RecoveryCalculator longestOutage(
      Function<FaultEvent, Predicate<Call>> affected, Duration minOutage) {
    return new RecoveryCalculator(affected, call -> false, true, minOutage.toNanos());
  }

  /** Every call counts for every fault; disruption as {@link #defaultDisruption}. */
  public static RecoveryCalculator standard() {
    return new RecoveryCalculator(fault -> call -> true, RecoveryCalculator::defaultDisruption);
  }

  /**
   * An indeterminate call (timeout, pending at the end) or a FAIL, except a failed cas: that
   * is normally a mismatch of the expected value - an answer from a working system.
   */
  public static boolean defaultDisruption(Call c) {
    return c.outcome() == OpType.INFO
        || (c.outcome() == OpType.FAIL && !Op.CAS.equals(c.f()));
  }

  public List<FaultRecovery> compute(History history) {
    List<FaultEvent> faults = history.faults();
    List<Call> calls = history.calls();
    List<FaultRecovery> result = new ArrayList<>(faults.size());
    for (FaultEvent f : faults) {
      result.add(compute(f, windowEnd(f, faults), calls));
    }
    return result;
  }

  private FaultRecovery compute(FaultEvent fault, long windowEnd, List<Call> calls) {
    if (byLongestGap) {
      return longestGap(fault, windowEnd, calls);
    }
    Predicate<Call> inScope = affected.apply(fault);
    long lastDisruptedInvoke = -1;
    for (Call c : calls) {
      if (c.startNanos() < windowEnd && inScope.test(c) && disruption.test(c)) {
        lastDisruptedInvoke = Math.max(lastDisruptedInvoke, c.invoke().index());
      }
    }
    Op firstOk = null;
    for (Call c : calls) {
      if (!c.isOk() || !inScope.test(c)) {
        continue;
      }
      Op done = c.completion();
      boolean inWindow = done.timeNanos() >= fault.startNanos() && done.timeNanos() < windowEnd;
      if (inWindow && done.index() > lastDisruptedInvoke
          && (firstOk == null || done.index() < firstOk.index())) {
        firstOk = done;
      }
    }
    return new FaultRecovery(fault.name(), fault.target(), fault.startNanos(), fault.endNanos(),
        firstOk == null ? null : firstOk.timeNanos());
  }

  private FaultRecovery longestGap(FaultEvent fault, long windowEnd, List<Call> calls) {
    Predicate<Call> inScope = affected.apply(fault);
    List<Long> oks = new ArrayList<>();
    for (Call c : calls) {
      if (c.isOk() && inScope.test(c)) {
        long done = c.completion().timeNanos();
        if (done >= fault.startNanos() && done < windowEnd) {
          oks.add(done);
        }
      }
    }
    if (oks.isEmpty()) {
      return new FaultRecovery(fault.name(), fault.target(), fault.startNanos(),
          fault.endNanos(), null);
    }
    oks.sort(Long::compare);
    long previous = fault.startNanos();
    long longest = -1;
    long recoveredAt = oks.get(0);
    for (long ok : oks) {
      if (ok - previous > longest) {
        longest = ok - previous;
        recoveredAt = ok;
      }
      previous = ok;
    }
    if (longest < minOutageNanos) {
      recoveredAt = oks.get(0);
    }
    return new FaultRecovery(fault.name(), fault.target(), fault.startNanos(), fault.endNanos(),
        recoveredAt);
  }

  /** The start of the first other fault that begins once this one is healed; else +infinity. */
  private static long windowEnd(FaultEvent fault, List<FaultEvent> all) {
    long end = Long.MAX_VALUE;
    long healed = fault.endOr(Long.MAX_VALUE);
    for (FaultEvent other : all) {
      if (other != fault && other.startNanos() >= healed
          && other.startNanos() > fault.startNanos()) {
        end = Math.min(end, other.startNanos());
      }
    }
    return end;
  }
}
