package fabric.drills.history;

import java.util.Objects;

/**
 * A fault the harness injected, on the same clock as the ops.
 *
 * @param name what was done: "kill-9", "sigstop", "partition"...
 * @param target whom it was done to: "node-2", "us-east-1a|us-east-1b"...
 * @param endNanos when the fault was healed (process restarted, SIGCONT, partition lifted);
 *     null if it was still active when the run ended
 */
public record FaultEvent(String name, String target, long startNanos, Long endNanos) {
  public FaultEvent {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    if (endNanos != null && endNanos < startNanos) {
      throw new IllegalArgumentException("fault " + name + " ends before it starts");
    }
  }

  public boolean healed() {
    return endNanos != null;
  }

  public FaultEvent healedAt(long nanos) {
    return new FaultEvent(name, target, startNanos, nanos);
  }

  /** The end, or {@code otherwise} for a fault that was never healed. */
  public long endOr(long otherwise) {
    return endNanos == null ? otherwise : endNanos;
  }
}
