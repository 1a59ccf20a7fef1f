package fabric.drills.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The record of a drill run, Jepsen-style: an append-only, thread-safe list of op events
 * (invocations and their completions) and, on the same clock, the faults that were injected.
 *
 * <p>Client threads call {@link #invoke} right before sending a request and then exactly one of
 * {@link #ok}, {@link #fail} or {@link #info} with the handle it returned. A process (client
 * thread) has at most one op in flight; after a timeout it records {@code info} and may go on.
 *
 * <p>Index and timestamp are taken under one lock, so the index order is the real-time order the
 * recorder observed, and times never go backwards along it.
 */
public final class History {
  private final LongSupplier clock;
  private final List<Op> ops = new ArrayList<>();
  private final Map<Integer, Op> pendingByProcess = new HashMap<>();
  private final List<FaultEvent> faults = new ArrayList<>();
  // By identity: two identical faults started within one clock tick stay distinct handles.
  private final Map<FaultEvent, Integer> faultIndex = new IdentityHashMap<>();
  private long lastNanos;

  /**
   * @param nanosSinceStart the run's clock; must not go backwards
   */
  public History(LongSupplier nanosSinceStart) {
    this.clock = Objects.requireNonNull(nanosSinceStart, "nanosSinceStart");
  }

  /** A history whose time 0 is now, on {@link System#nanoTime()}. */
  public static History startingNow() {
    long t0 = System.nanoTime();
    return new History(() -> System.nanoTime() - t0);
  }

  /**
   * Rebuilds a recorded history (from JSON, or edited by a test), checking that it is well
   * formed: indexes 0, 1, 2... in order, every completion matching its process's pending
   * invocation. The result cannot record further events.
   */
  public static History of(List<Op> ops, List<FaultEvent> faults) {
    History h = new History(() -> {
      throw new IllegalStateException("a rebuilt history is read-only");
    });
    synchronized (h) {
      for (Op op : ops) {
        h.append(op);
      }
      h.faults.addAll(faults);
      for (FaultEvent f : faults) {
        h.lastNanos = Math.max(h.lastNanos, f.endOr(f.startNanos()));
      }
    }
    return h;
  }

  /** Records that {@code process} is about to send a request; returns the handle to complete. */
  public synchronized Op invoke(int process, String f, String key, OpValue value) {
    return append(new Op(ops.size(), process, OpType.INVOKE, f, key, value, now(), null));
  }

  /** The op took effect; the recorded value is the invocation's (writes, cas). */
  public Op ok(Op invoke) {
    return ok(invoke, invoke.value());
  }

  /** The op took effect with this result (a read's value, null if the key was absent). */
  public synchronized Op ok(Op invoke, OpValue result) {
    return complete(invoke, OpType.OK, result, null);
  }

  /** The op definitely did not take effect. */
  public synchronized Op fail(Op invoke, String error) {
    return complete(invoke, OpType.FAIL, invoke.value(), error);
  }

  /** The outcome is unknown (timeout, broken connection): the op may still take effect. */
  public synchronized Op info(Op invoke, String error) {
    return complete(invoke, OpType.INFO, invoke.value(), error);
  }

  /** Records the start of a fault; pass the result to {@link #faultHealed} when it is over. */
  public synchronized FaultEvent faultStarted(String name, String target) {
    FaultEvent f = new FaultEvent(name, target, now(), null);
    faultIndex.put(f, faults.size());
    faults.add(f);
    return f;
  }

  /** Records the end of a fault started by {@link #faultStarted}; pass the handle it returned. */
  public synchronized FaultEvent faultHealed(FaultEvent started) {
    Integer i = faultIndex.get(started);
    if (i == null) {
      throw new IllegalArgumentException("not a fault started in this history: " + started);
    }
    if (faults.get(i).healed()) {
      throw new IllegalStateException("fault already healed: " + faults.get(i));
    }
    FaultEvent healed = started.healedAt(now());
    faults.set(i, healed);
    return healed;
  }

  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  public synchronized List<FaultEvent> faults() {
    return List.copyOf(faults);
  }

  /** Every invocation with its completion (or none), in invocation order. */
  public synchronized List<Call> calls() {
    List<Op> invokes = new ArrayList<>();
    List<Op> completions = new ArrayList<>();
    Map<Integer, Integer> open = new HashMap<>();
    for (Op op : ops) {
      if (op.type() == OpType.INVOKE) {
        open.put(op.process(), invokes.size());
        invokes.add(op);
        completions.add(null);
      } else {
        completions.set(open.remove(op.process()), op);
      }
    }
    List<Call> calls = new ArrayList<>(invokes.size());
    for (int i = 0; i < invokes.size(); i++) {
      calls.add(new Call(invokes.get(i), completions.get(i)));
    }
    return calls;
  }

  /** The time of the latest event (op or fault start/end): the run's length so far. */
  public synchronized long lastEventNanos() {
    return lastNanos;
  }

  private long now() {
    long t = clock.getAsLong();
    if (t < lastNanos) {
      throw new IllegalStateException("clock went backwards: " + t + " < " + lastNanos);
    }
    lastNanos = t;
    return t;
  }

  private Op complete(Op invoke, OpType type, OpValue value, String error) {
    if (pendingByProcess.get(invoke.process()) != invoke) {
      throw new IllegalStateException("not the pending op of process " + invoke.process()
          + ": " + invoke);
    }
    return append(invoke.complete(ops.size(), type, value, now(), error));
  }

  private Op append(Op op) {
    if (op.index() != ops.size()) {
      throw new IllegalArgumentException("expected index " + ops.size() + ": " + op);
    }
    Op pending = pendingByProcess.get(op.process());
    if (op.type() == OpType.INVOKE) {
      if (pending != null) {
        throw new IllegalStateException("process " + op.process()
            + " already has an op in flight: " + pending);
      }
      pendingByProcess.put(op.process(), op);
    } else {
      if (pending == null || !pending.f().equals(op.f()) || !pending.key().equals(op.key())) {
        throw new IllegalArgumentException("completion without a matching invocation: " + op);
      }
      pendingByProcess.remove(op.process());
    }
    ops.add(op);
    lastNanos = Math.max(lastNanos, op.timeNanos());
    return op;
  }
}
