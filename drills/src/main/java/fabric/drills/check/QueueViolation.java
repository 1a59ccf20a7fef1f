package fabric.drills.check;

/**
 * A queue delivered what it must not have: a FIFO group's messages out of order, a message
 * back after its delete was acknowledged, one send enqueued twice despite its deduplication
 * id, or a message that no send could have produced. (A lost message is a {@link LostWrite}.)
 *
 * @param key the queue
 * @param kind {@link #OUT_OF_ORDER}, {@link #BACK_AFTER_DELETE}, {@link #ENQUEUED_TWICE} or
 *     {@link #PHANTOM}
 * @param body the message's body
 * @param messageId the id the queue delivered it under
 * @param atNanos when the offending receive completed
 */
public record QueueViolation(String key, String kind, String body, String messageId,
    long atNanos, String message) implements Violation {
  public static final String OUT_OF_ORDER = "out_of_order";
  public static final String BACK_AFTER_DELETE = "back_after_delete";
  public static final String ENQUEUED_TWICE = "enqueued_twice";
  public static final String PHANTOM = "phantom";
}
