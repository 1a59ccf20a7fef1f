package fabric.queue.attributes;

import fabric.core.serialization.CborSerializable;
import fabric.queue.SqsErrors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The settable attributes of a queue, with AWS's defaults and ranges (redrive policies
 * null when not set). Counts and
 * timestamps (ApproximateNumberOfMessages, QueueArn, CreatedTimestamp...) are computed by
 * the queue, not stored here, and cannot be set.
 */
public record QueueAttributes(
    int delaySeconds,
    int maximumMessageSizeBytes,
    int messageRetentionPeriodSeconds,
    int receiveMessageWaitTimeSeconds,
    int visibilityTimeoutSeconds,
    RedrivePolicy redrivePolicy,
    String redriveAllowPolicy,
    boolean fifo,
    boolean contentBasedDeduplication,
    String deduplicationScope,
    String fifoThroughputLimit,
    Map<String, String> passThrough) implements CborSerializable {

  public static final int MAX_DELAY_SECONDS = 900;
  public static final int MIN_MESSAGE_SIZE_BYTES = 1_024;
  public static final int MAX_MESSAGE_SIZE_BYTES = 262_144;
  public static final int MIN_RETENTION_SECONDS = 60;
  public static final int MAX_RETENTION_SECONDS = 1_209_600;
  public static final int MAX_WAIT_SECONDS = 20;
  public static final int MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

  /** Attributes the queue computes: asking to set one is InvalidAttributeName. */
  static final Set<String> READ_ONLY = Set.of("All", "ApproximateNumberOfMessages",
      "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
      "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn");
  /** Kept as given (encryption and access policy are not enforced by the queue itself). */
  static final Set<String> PASS_THROUGH = Set.of("KmsMasterKeyId",
      "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "Policy");

  public QueueAttributes {
    passThrough = Map.copyOf(passThrough);
  }

  public static QueueAttributes defaults(boolean fifo) {
    return new QueueAttributes(0, MAX_MESSAGE_SIZE_BYTES, 345_600, 0, 30, null, null, fifo,
        false, "queue", "perQueue", Map.of());
  }

  /**
   * The attributes of a new queue: defaults changed by {@code given}. FifoQueue may only be
   * given here, and must agree with the name.
   */
  public static QueueAttributes forCreate(String name, Map<String, String> given) {
    boolean fifo = QueueNames.isFifo(name);
    String fifoValue = given.get("FifoQueue");
    if (fifoValue != null) {
      boolean asked = bool("FifoQueue", fifoValue);
      if (asked != fifo) {
        QueueNames.validate(name, asked); // says which way the name and flag disagree
      }
    }
    QueueNames.validate(name, fifo);
    return defaults(fifo).with(given, true);
  }

  /** A copy with {@code changes} applied (SetQueueAttributes, or creation). */
  public QueueAttributes with(Map<String, String> changes, boolean creating) {
    int delay = delaySeconds;
    int maxSize = maximumMessageSizeBytes;
    int retention = messageRetentionPeriodSeconds;
    int wait = receiveMessageWaitTimeSeconds;
    int visibility = visibilityTimeoutSeconds;
    RedrivePolicy redrive = redrivePolicy;
    String redriveAllow = redriveAllowPolicy;
    boolean contentDedup = contentBasedDeduplication;
    String dedupScope = deduplicationScope;
    String throughput = fifoThroughputLimit;
    Map<String, String> pass = new LinkedHashMap<>(passThrough);
    for (Map.Entry<String, String> e : changes.entrySet()) {
      String name = e.getKey();
      String value = e.getValue() == null ? "" : e.getValue();
      switch (name) {
        case "DelaySeconds" -> delay = range(name, value, 0, MAX_DELAY_SECONDS);
        case "MaximumMessageSize" -> maxSize = range(name, value, MIN_MESSAGE_SIZE_BYTES,
            MAX_MESSAGE_SIZE_BYTES);
        case "MessageRetentionPeriod" -> retention = range(name, value, MIN_RETENTION_SECONDS,
            MAX_RETENTION_SECONDS);
        case "ReceiveMessageWaitTimeSeconds" -> wait = range(name, value, 0, MAX_WAIT_SECONDS);
        case "VisibilityTimeout" -> visibility = range(name, value, 0,
            MAX_VISIBILITY_TIMEOUT_SECONDS);
        case "RedrivePolicy" -> redrive = value.isEmpty() ? null : RedrivePolicy.parse(value);
        case "RedriveAllowPolicy" -> redriveAllow = value.isEmpty() ? null
            : RedriveAllowPolicy.validate(value);
        case "FifoQueue" -> {
          if (!creating && bool(name, value) != fifo) {
            throw SqsErrors.InvalidAttributeName.exception("FifoQueue cannot be changed "
                + "after the queue was created.");
          }
        }
        case "ContentBasedDeduplication" -> contentDedup = fifoOnly(name, bool(name, value));
        case "DeduplicationScope" -> dedupScope = fifoOnly(name,
            oneOf(name, value, "messageGroup", "queue"));
        case "FifoThroughputLimit" -> throughput = fifoOnly(name,
            oneOf(name, value, "perQueue", "perMessageGroupId"));
        default -> {
          if (PASS_THROUGH.contains(name)) {
            pass.put(name, value);
          } else if (READ_ONLY.contains(name)) {
            throw SqsErrors.InvalidAttributeName.exception("Attribute " + name
                + " is read-only: the queue computes it.");
          } else {
            throw SqsErrors.InvalidAttributeName.exception("Unknown Attribute " + name + ".");
          }
        }
      }
    }
    return new QueueAttributes(delay, maxSize, retention, wait, visibility, redrive,
        redriveAllow, fifo, contentDedup, dedupScope, throughput, pass);
  }

  /** The attributes as GetQueueAttributes names them (the settable ones). */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("DelaySeconds", Integer.toString(delaySeconds));
    m.put("MaximumMessageSize", Integer.toString(maximumMessageSizeBytes));
    m.put("MessageRetentionPeriod", Integer.toString(messageRetentionPeriodSeconds));
    m.put("ReceiveMessageWaitTimeSeconds", Integer.toString(receiveMessageWaitTimeSeconds));
    m.put("VisibilityTimeout", Integer.toString(visibilityTimeoutSeconds));
    if (redrivePolicy != null) {
      m.put("RedrivePolicy", redrivePolicy.toJson());
    }
    if (redriveAllowPolicy != null) {
      m.put("RedriveAllowPolicy", redriveAllowPolicy);
    }
    if (fifo) {
      m.put("FifoQueue", "true");
      m.put("ContentBasedDeduplication", Boolean.toString(contentBasedDeduplication));
      m.put("DeduplicationScope", deduplicationScope);
      m.put("FifoThroughputLimit", fifoThroughputLimit);
    }
    m.putAll(passThrough);
    return m;
  }

  private <T> T fifoOnly(String name, T value) {
    if (!fifo) {
      throw SqsErrors.InvalidAttributeName.exception("Attribute " + name
          + " applies to FIFO queues only.");
    }
    return value;
  }

  static int range(String name, String value, int min, int max) {
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw SqsErrors.InvalidAttributeValue.exception("Invalid value for the parameter "
          + name + ": '" + value + "' is not a whole number.");
    }
    if (n < min || n > max) {
      throw SqsErrors.InvalidAttributeValue.exception("Invalid value for the parameter "
          + name + ": " + n + " is outside " + min + ".." + max + ".");
    }
    return (int) n;
  }

  private static boolean bool(String name, String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw SqsErrors.InvalidAttributeValue.exception("Invalid value for the "
          + "parameter " + name + ": '" + value + "' is not true or false.");
    };
  }

  private static String oneOf(String name, String value, String a, String b) {
    if (!value.equals(a) && !value.equals(b)) {
      throw SqsErrors.InvalidAttributeValue.exception("Invalid value for the parameter "
          + name + ": '" + value + "'; use " + a + " or " + b + ".");
    }
    return value;
  }
}
