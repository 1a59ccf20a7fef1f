package fabric.drills.history;

import java.util.Objects;

/**
 * The argument or result of an op, kept to JSON-friendly shapes. A {@code null} OpValue means
 * "no value": a read's invocation, or a read that found the key absent.
 */
public sealed interface OpValue permits OpValue.Single, OpValue.Cas {

  /** One string: a written value, a read's result, a sent message. */
  record Single(String value) implements OpValue {
    public Single {
      // null is expressed by a null OpValue, so that "absent" has exactly one spelling.
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return '"' + value + '"';
    }
  }

  /** A compare-and-set: replace {@code expected} (null = absent) by {@code next}. */
  record Cas(String expected, String next) implements OpValue {
    @Override
    public String toString() {
      return show(expected) + "->" + show(next);
    }
  }

  /** A single value, or null for null. */
  static OpValue of(String value) {
    return value == null ? null : new Single(value);
  }

  static Cas cas(String expected, String next) {
    return new Cas(expected, next);
  }

  /** The register content a value stands for: a Single's string; null for null. */
  static String text(OpValue value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Single single) {
      return single.value();
    }
    throw new IllegalArgumentException("not a single value: " + value);
  }

  /** A register content for humans: quoted, or {@code nil} for absent. */
  static String show(String registerValue) {
    return registerValue == null ? "nil" : '"' + registerValue + '"';
  }
}
