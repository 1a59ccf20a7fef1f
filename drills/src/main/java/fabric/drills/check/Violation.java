package fabric.drills.check;

/** A definite anomaly found by a checker. */
public sealed interface Violation permits DynamoViolation, KinesisViolation, LostWrite,
    NodeDowned, NonLinearizable, QueueViolation, StuckReplica {
  /** The key (register, queue...) it was found on. */
  String key();

  /** One line for people: what is wrong, with values and times. */
  String message();
}
