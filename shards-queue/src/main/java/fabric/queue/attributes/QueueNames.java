package fabric.queue.attributes;

import fabric.queue.SqsErrors;
import java.util.regex.Pattern;

/** SQS queue names: 1-80 letters, digits, hyphens and underscores; a FIFO queue's end in .fifo. */
public final class QueueNames {
  public static final int MAX_LENGTH = 80;
  public static final String FIFO_SUFFIX = ".fifo";
  private static final Pattern BASE = Pattern.compile("[A-Za-z0-9_-]+");

  private QueueNames() {}

  /**
   * Checks {@code name} for a queue that is FIFO or not; throws InvalidParameterValue that
   * says what is wrong.
   */
  public static void validate(String name, boolean fifo) {
    if (name == null || name.isEmpty()) {
      throw SqsErrors.MissingParameter.exception("The request must contain the parameter "
          + "QueueName.");
    }
    if (name.length() > MAX_LENGTH) {
      throw SqsErrors.InvalidParameterValue.exception("Queue name '" + abbreviate(name)
          + "' is " + name.length() + " characters long; the limit is " + MAX_LENGTH
          + " (with the .fifo suffix).");
    }
    boolean endsFifo = name.endsWith(FIFO_SUFFIX);
    if (fifo && !endsFifo) {
      throw SqsErrors.InvalidParameterValue.exception("The name of a FIFO queue must end "
          + "with the .fifo suffix: '" + name + "'.");
    }
    if (!fifo && endsFifo) {
      throw SqsErrors.InvalidParameterValue.exception("Queue name '" + name + "' ends with "
          + ".fifo but FifoQueue is not true: only FIFO queues may use the suffix.");
    }
    String base = endsFifo ? name.substring(0, name.length() - FIFO_SUFFIX.length()) : name;
    if (!BASE.matcher(base).matches()) {
      throw SqsErrors.InvalidParameterValue.exception("Queue name '" + abbreviate(name)
          + "' can only include alphanumeric characters, hyphens or underscores"
          + (fifo ? " before the .fifo suffix." : "."));
    }
  }

  public static boolean isFifo(String name) {
    return name != null && name.endsWith(FIFO_SUFFIX);
  }

  private static String abbreviate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }
}
