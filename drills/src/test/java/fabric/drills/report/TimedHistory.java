package fabric.drills.report;

import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import fabric.drills.history.SteppingClock;

/** Histories whose events happen at the millisecond the test says: {@code at(1500).ok(w)}. */
final class TimedHistory {
  static final long MS = SteppingClock.MS;

  private final SteppingClock clock = new SteppingClock(1);
  final History history = new History(clock);
  private int nextValue;

  TimedHistory at(long ms) {
    clock.set(ms * MS);
    return this;
  }

  Op write(int process, String key) {
    return history.invoke(process, Op.WRITE, key, OpValue.of("v" + nextValue++));
  }

  Op cas(int process, String key) {
    return history.invoke(process, Op.CAS, key, OpValue.cas("x", "v" + nextValue++));
  }

  void ok(Op invoke) {
    history.ok(invoke);
  }

  void fail(Op invoke) {
    history.fail(invoke, "UNAVAILABLE");
  }

  void info(Op invoke) {
    history.info(invoke, "DEADLINE_EXCEEDED");
  }

  FaultEvent fault(String name, String target) {
    return history.faultStarted(name, target);
  }

  void heal(FaultEvent fault) {
    history.faultHealed(fault);
  }

  /** A write on {@code key} invoked at {@code fromMs} and acknowledged at {@code toMs}. */
  void okWrite(int process, String key, long fromMs, long toMs) {
    Op w = at(fromMs).write(process, key);
    at(toMs).ok(w);
  }

  void failedWrite(int process, String key, long fromMs, long toMs) {
    Op w = at(fromMs).write(process, key);
    at(toMs).fail(w);
  }
}
