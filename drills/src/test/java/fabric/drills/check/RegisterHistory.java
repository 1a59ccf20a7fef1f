package fabric.drills.check;

import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import fabric.drills.history.SteppingClock;

/** Terse hand-made register histories: one event per line of test, 1 ms apart. */
final class RegisterHistory {
  final History history = new History(SteppingClock.millis());
  private final String defaultKey;

  RegisterHistory(String defaultKey) {
    this.defaultKey = defaultKey;
  }

  Op write(int process, String value) {
    return write(process, defaultKey, value);
  }

  Op write(int process, String key, String value) {
    return history.invoke(process, Op.WRITE, key, OpValue.of(value));
  }

  Op read(int process) {
    return read(process, defaultKey);
  }

  Op read(int process, String key) {
    return history.invoke(process, Op.READ, key, null);
  }

  Op cas(int process, String expected, String next) {
    return history.invoke(process, Op.CAS, defaultKey, OpValue.cas(expected, next));
  }

  Op send(int process, String queue, String message) {
    return history.invoke(process, "send", queue, OpValue.of(message));
  }

  void ok(Op invoke) {
    history.ok(invoke);
  }

  void okRead(Op invoke, String value) {
    history.ok(invoke, OpValue.of(value));
  }

  void fail(Op invoke) {
    history.fail(invoke, "rejected");
  }

  void info(Op invoke) {
    history.info(invoke, "DEADLINE_EXCEEDED");
  }

  /** A read invoked and answered with nothing in between. */
  void readNow(int process, String value) {
    okRead(read(process), value);
  }

  /** A write invoked and acknowledged with nothing in between. */
  void writeNow(int process, String value) {
    ok(write(process, value));
  }
}
