package fabric.kinesis.model;

import java.math.BigInteger;

/**
 * A record's sequence number says where the record is: the journal sequence number of the
 * shard event that holds it and its index in that event. So any node can read the record
 * back from the journal without asking the shard, the numbers of a shard strictly increase
 * and are never reused (journal sequence numbers are not), and they compare across the
 * shard's life.
 *
 * <p>Printed as AWS prints them: 56 decimal digits, here "49" and the 54-digit zero-padded
 * value {@code journalSeqNr * 2^16 + index}; every number then has the same length, so they
 * compare the same as strings and as numbers.
 */
public final class SequenceNumbers {
  /** Records per shard event: a group-commit batch of PutRecords (500 records a call). */
  public static final int MAX_RECORDS_PER_EVENT = 1 << 16;
  static final String PREFIX = "49";
  static final int DIGITS = 56;
  private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63);

  private SequenceNumbers() {}

  /** A position: record {@code index} of the event at {@code journalSeqNr}. */
  public record Position(long journalSeqNr, int index) implements Comparable<Position> {
    public Position {
      if (journalSeqNr < 0 || journalSeqNr >= (1L << 47) || index < 0
          || index >= MAX_RECORDS_PER_EVENT) {
        throw new IllegalArgumentException("no record at " + journalSeqNr + "/" + index);
      }
    }

    @Override
    public int compareTo(Position other) {
      return Long.compare(value(), other.value());
    }

    long value() {
      return journalSeqNr << 16 | index;
    }

    /** The position just after this one (the next record, maybe in a later event). */
    public Position next() {
      return index + 1 < MAX_RECORDS_PER_EVENT ? new Position(journalSeqNr, index + 1)
          : new Position(journalSeqNr + 1, 0);
    }
  }

  public static String format(Position position) {
    String digits = Long.toString(position.value());
    return PREFIX + "0".repeat(DIGITS - PREFIX.length() - digits.length()) + digits;
  }

  /** Parses a sequence number this service handed out; anything else is refused with the
   *  member's name. */
  public static Position parse(String sequenceNumber, String member) {
    if (sequenceNumber == null || sequenceNumber.length() != DIGITS
        || !sequenceNumber.startsWith(PREFIX)
        || !sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw KinesisErrors.invalid("Invalid " + member + " '" + sequenceNumber + "': not a "
          + "sequence number of this stream");
    }
    BigInteger value = new BigInteger(sequenceNumber.substring(PREFIX.length()));
    if (value.compareTo(LIMIT) >= 0) {
      throw KinesisErrors.invalid("Invalid " + member + " '" + sequenceNumber + "': not a "
          + "sequence number of this stream");
    }
    long v = value.longValueExact();
    return new Position(v >>> 16, (int) (v & 0xFFFF));
  }
}
