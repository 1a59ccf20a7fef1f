package fabric.core.entity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The commands a {@link GroupCommitFront} holds because they wait for a change
 * ({@link Outcome.Park}, a long poll): each with a timer for its wake time or deadline. At
 * most {@code max}; beyond that, and when stopping, a wait ends at once with its deadline
 * answer. Owned by the front's actor (not thread-safe).
 */
final class ParkedCommands {
  private final TimerScheduler<Object> timers;
  private final int max;
  private final Map<Long, Waiting> parked = new LinkedHashMap<>();
  private long nextId;

  /** The timer message of one waiting command. */
  record Wake(long id) {}

  private record Waiting(long id, ParkableCommand command, Outcome.Park<?, ?> park,
      long parkedAtNanos) {
    /** The command at the caller's clock now: its time plus what passed while it waited. */
    ParkableCommand retimed() {
      return command.at(command.nowMillis() + (System.nanoTime() - parkedAtNanos) / 1_000_000);
    }

    /** Re-timed, or null after answering it if its deadline has come. */
    ParkableCommand againOrAnswer() {
      ParkableCommand again = retimed();
      if (again.nowMillis() >= park.deadlineMillis()) {
        again.replyTo().tell(park.onDeadline());
        return null;
      }
      return again;
    }
  }

  ParkedCommands(TimerScheduler<Object> timers, int max) {
    this.timers = timers;
    this.max = max;
  }

  void park(CommandBatch.Parked p, boolean stopping) {
    long now = p.command().nowMillis();
    long wakeAt = Math.min(p.park().wakeAtMillis(), p.park().deadlineMillis());
    if (stopping || parked.size() >= max || p.park().deadlineMillis() <= now) {
      p.command().replyTo().tell(p.park().onDeadline());
      return;
    }
    Waiting w = new Waiting(nextId++, p.command(), p.park(), System.nanoTime());
    parked.put(w.id(), w);
    timers.startSingleTimer(w.id(), new Wake(w.id()), Duration.ofMillis(Math.max(1,
        wakeAt - now)));
  }

  /** Its timer fired: the command to decide again, or null (answered, or gone). */
  EntityCommand woken(Wake wake) {
    Waiting w = parked.remove(wake.id());
    return w == null ? null : w.againOrAnswer();
  }

  /** The state changed: every waiting command, re-timed, to decide again (in order). */
  List<EntityCommand> wakeAll() {
    List<EntityCommand> again = new ArrayList<>(parked.size());
    for (Waiting w : parked.values()) {
      timers.cancel(w.id());
      ParkableCommand c = w.againOrAnswer();
      if (c != null) {
        again.add(c);
      }
    }
    parked.clear();
    return again;
  }

  /** Stopping: every waiting command gets its deadline's answer now. */
  void endAll() {
    for (Waiting w : parked.values()) {
      timers.cancel(w.id());
      w.command().replyTo().tell(w.park().onDeadline());
    }
    parked.clear();
  }
}
