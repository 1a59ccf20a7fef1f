package fabric.drills.history;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The argument or result of an op, kept to JSON-friendly shapes. A {@code null} OpValue means
 * "no value": a read's invocation, or a read that found the key absent.
 */
public sealed interface OpValue
    permits OpValue.Single, OpValue.Cas, OpValue.Message, OpValue.Messages {

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

  /**
   * A queue message: a send's result (the id the queue gave it), or one message of a
   * receive or delete.
   */
  record Message(String id, String body) implements OpValue {
    public Message {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
      return id + ":\"" + body + '"';
    }
  }

  /** Queue messages in the order the queue gave them: a receive's result, a batch delete. */
  record Messages(List<Message> messages) implements OpValue {
    public Messages {
      messages = List.copyOf(messages);
    }

    @Override
    public String toString() {
      return messages.stream().map(m -> '"' + m.body() + '"')
          .collect(Collectors.joining(",", "[", "]"));
    }
  }

  /** A single value, or null for null. */
  static OpValue of(String value) {
    return value == null ? null : new Single(value);
  }

  static Cas cas(String expected, String next) {
    return new Cas(expected, next);
  }

  static Message message(String id, String body) {
    return new Message(id, body);
  }

  static Messages messages(List<Message> messages) {
    return new Messages(messages);
  }

  /** The messages a value holds: a Messages' list, a Message alone; none for anything else. */
  static List<Message> messagesOf(OpValue value) {
    if (value instanceof Messages ms) {
      return ms.messages();
    }
    if (value instanceof Message m) {
      return List.of(m);
    }
    return List.of();
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
