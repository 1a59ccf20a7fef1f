package fabric.drills.history;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One event of a history: a client process invoking an operation, or the completion of that
 * invocation. A completion carries the process, function and key of its invocation.
 *
 * @param index position in the history; real-time order of the events as the recorder saw them
 * @param process the client thread that ran the op; a process has at most one op in flight
 * @param f the function: {@link #READ}, {@link #WRITE}, {@link #CAS}, {@link #SEND},
 *     {@link #RECEIVE}, {@link #DELETE}
 * @param key the register, object or queue the op is about
 * @param value the argument (invocation) or result (completion); may be null
 * @param timeNanos when the event happened, in nanoseconds since the run started
 * @param error what went wrong, for FAIL and INFO completions; otherwise null
 */
public record Op(long index, int process, OpType type, String f, String key, OpValue value,
    long timeNanos, String error) {
  public static final String READ = "read";
  public static final String WRITE = "write";
  public static final String CAS = "cas";
  /** A queue's SendMessage: invoked with the body, OK with the {@link OpValue.Message}. */
  public static final String SEND = "send";
  /** A queue's ReceiveMessage: OK with the {@link OpValue.Messages} received (maybe none). */
  public static final String RECEIVE = "receive";
  /** A queue's DeleteMessageBatch: invoked with the messages, OK with those deleted. */
  public static final String DELETE = "delete";

  public Op {
    if (index < 0) {
      throw new IllegalArgumentException("negative index " + index);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
    Objects.requireNonNull(key, "key");
  }

  public Optional<String> errorText() {
    return Optional.ofNullable(error);
  }

  /** A completion of the given type for this invocation. */
  Op complete(long completionIndex, OpType completionType, OpValue result, long nanos,
      String errorText) {
    return new Op(completionIndex, process, completionType, f, key, result, nanos, errorText);
  }

  @Override
  public String toString() {
    return "#" + index + " p" + process + " " + type.name().toLowerCase(Locale.ROOT)
        + " " + f + " " + key + (value == null ? "" : " " + value)
        + " @" + Durations.ms(timeNanos) + "ms" + (error == null ? "" : " (" + error + ")");
  }
}
