package fabric.drills.history;

import java.util.Locale;
import java.util.Objects;

/**
 * An invocation paired with its completion. A call whose completion is missing (still pending
 * when the run ended) counts as INFO: nobody knows whether it took effect.
 *
 * <p>Real-time order is taken from the event indexes, not the clock: the recorder appends
 * "invoke" before the request leaves and "ok" after the answer arrived, under one lock, so
 * {@code a.precedes(b)} means a's answer was in before b's request was sent - whatever the clock
 * resolution.
 *
 * @param completion the OK, FAIL or INFO event; null while (or if forever) pending
 */
public record Call(Op invoke, Op completion) {
  /** Returned by {@link #returnIndex()} and {@link #endNanos()} for calls that may never end. */
  public static final long NEVER = Long.MAX_VALUE;

  public Call {
    Objects.requireNonNull(invoke, "invoke");
    if (invoke.type() != OpType.INVOKE) {
      throw new IllegalArgumentException("not an invocation: " + invoke);
    }
    if (completion != null && (completion.type() == OpType.INVOKE
        || completion.process() != invoke.process()
        || completion.index() <= invoke.index())) {
      throw new IllegalArgumentException("completion " + completion + " does not match " + invoke);
    }
  }

  /** OK, FAIL or INFO; a pending call is INFO. */
  public OpType outcome() {
    return completion == null ? OpType.INFO : completion.type();
  }

  public boolean isOk() {
    return outcome() == OpType.OK;
  }

  /** Whether the outcome is unknown: INFO or pending. Such a call may take effect at any time. */
  public boolean isIndeterminate() {
    return outcome() == OpType.INFO;
  }

  public int process() {
    return invoke.process();
  }

  public String f() {
    return invoke.f();
  }

  public String key() {
    return invoke.key();
  }

  public long startNanos() {
    return invoke.timeNanos();
  }

  /** When the answer came: the completion's time for OK and FAIL; {@link #NEVER} otherwise. */
  public long endNanos() {
    return isIndeterminate() ? NEVER : completion.timeNanos();
  }

  /** The completion's index for OK and FAIL; {@link #NEVER} for indeterminate calls. */
  public long returnIndex() {
    return isIndeterminate() ? NEVER : completion.index();
  }

  /** The result for an OK call (a read's value); the request's value otherwise. */
  public OpValue value() {
    return isOk() ? completion.value() : invoke.value();
  }

  /** Whether this call's answer arrived before {@code other} was invoked (real-time order). */
  public boolean precedes(Call other) {
    return returnIndex() < other.invoke().index();
  }

  /** For explanations, e.g. {@code p2 read x -> "3" ok [1.200 ms, 1.500 ms]}. */
  public String describe() {
    String v = invoke.value() == null ? "" : " " + invoke.value();
    String result = isOk() && Op.READ.equals(f()) ? " -> " + OpValue.show(OpValue.text(value()))
        : "";
    String end = completion == null ? "pending"
        : Durations.ms(completion.timeNanos()) + " ms";
    return "p" + process() + " " + f() + " " + key() + v + result + " "
        + outcome().name().toLowerCase(Locale.ROOT)
        + " [" + Durations.ms(startNanos()) + " ms, " + end + "]";
  }
}
