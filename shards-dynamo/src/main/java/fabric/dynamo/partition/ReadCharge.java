package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;

/**
 * How a caller's read is metered against its partition's read capacity (reads are not
 * events, so this rides on the read command): {@code factor} 1 for a strongly consistent
 * read, 0.5 for an eventually consistent one (DynamoDB's half price), and the partition's
 * share of a PROVISIONED table's RCU ({@code unitsPerSecond}, 0 = on demand, where only the
 * configured ceiling applies). A null charge: a read the service makes for itself (a split's
 * copy, a transaction's own reads), never throttled.
 */
public record ReadCharge(double factor, double unitsPerSecond) implements CborSerializable {
  public static ReadCharge of(boolean consistentRead, double unitsPerSecond) {
    return new ReadCharge(consistentRead ? 1 : 0.5, unitsPerSecond);
  }
}
