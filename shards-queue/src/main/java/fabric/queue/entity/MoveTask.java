package fabric.queue.entity;

import fabric.core.serialization.CborSerializable;

/**
 * A message move task (StartMessageMoveTask) of a dead-letter queue: moves the messages the
 * queue held when it started back to their source queues, or to {@code destinationArn}.
 *
 * @param destinationArn null = each message back to the queue it was dead-lettered from
 * @param maxPerSecond null = as fast as the fabric goes
 * @param status RUNNING, COMPLETED, CANCELLED or FAILED
 * @param belowSeq the task moves the messages with sequence numbers below this (those there
 *     when it started)
 * @param lastActiveAtMillis when a mover last took messages: a task that is RUNNING but idle
 *     for {@link #DRIVER_LEASE_MILLIS} lost its mover (its node died) and is resumed
 */
public record MoveTask(String handle, String destinationArn, Integer maxPerSecond,
    String status, long moved, long toMove, long belowSeq, long startedAtMillis,
    long lastActiveAtMillis, String failureReason) implements CborSerializable {
  public static final String RUNNING = "RUNNING";
  public static final String COMPLETED = "COMPLETED";
  public static final String CANCELLED = "CANCELLED";
  public static final String FAILED = "FAILED";
  /** How many tasks a queue remembers (ListMessageMoveTasks returns up to 10). */
  static final int KEPT = 10;
  public static final long DRIVER_LEASE_MILLIS = 60_000;
  /** AWS's ceiling for MaxNumberOfMessagesPerSecond. */
  public static final int MAX_PER_SECOND = 500;

  public boolean running() {
    return RUNNING.equals(status);
  }

  MoveTask ended(String newStatus, String reason, long atMillis) {
    return new MoveTask(handle, destinationArn, maxPerSecond, newStatus, moved, toMove,
        belowSeq, startedAtMillis, atMillis, reason);
  }

  MoveTask active(long atMillis, long movedMore) {
    return new MoveTask(handle, destinationArn, maxPerSecond, status, moved + movedMore,
        toMove, belowSeq, startedAtMillis, atMillis, failureReason);
  }
}
