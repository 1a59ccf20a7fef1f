package fabric.kinesis.model;

import java.math.BigInteger;

/**
 * A record's sequence number is its shard's record number (records are numbered from 0 in
 * arrival order), so the numbers of a shard strictly increase, are never reused, compare
 * across the shard's life, and a reader can skip to one without an index of every record.
 *
 * <p>Printed as AWS prints them: 56 decimal digits, here "49" and the 54-digit zero-padded
 * record number; every number then has the same length, so they compare the same as strings
 * and as numbers.
 */
public final class SequenceNumbers {
  /** Records per shard event: more than a PutRecords call (500) can carry, with room for a
   *  service that merges calls. */
  public static final int MAX_RECORDS_PER_EVENT = 1 << 16;
  static final String PREFIX = "49";
  static final int DIGITS = 56;

  private SequenceNumbers() {}

  public static String format(long recordNumber) {
    if (recordNumber < 0) {
      throw new IllegalArgumentException("record number " + recordNumber);
    }
    String digits = Long.toString(recordNumber);
    return PREFIX + "0".repeat(DIGITS - PREFIX.length() - digits.length()) + digits;
  }

  /** Parses a sequence number this service handed out; anything else is refused with the
   *  member's name. */
  public static long parse(String sequenceNumber, String member) {
    if (sequenceNumber == null || sequenceNumber.length() != DIGITS
        || !sequenceNumber.startsWith(PREFIX)
        || !sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw notOurs(sequenceNumber, member);
    }
    BigInteger value = new BigInteger(sequenceNumber.substring(PREFIX.length()));
    if (value.bitLength() > 63) {
      throw notOurs(sequenceNumber, member);
    }
    return value.longValueExact();
  }

  private static RuntimeException notOurs(String sequenceNumber, String member) {
    return KinesisErrors.invalid("Invalid " + member + " '" + sequenceNumber + "': not a "
        + "sequence number of this stream");
  }
}
