package fabric.kinesis.model;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Kinesis's 128-bit hash key space: a record's partition key is MD5-hashed into an
 * unsigned 128-bit integer (or the producer gives one, ExplicitHashKey), and the open shard
 * whose range holds it takes the record.
 */
public final class HashKeys {
  /** 2^128 - 1: the last hash key. */
  public static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
  /** AWS: a partition key is 1..256 Unicode characters. */
  public static final int MAX_PARTITION_KEY_CHARS = 256;

  private HashKeys() {}

  /** A shard's hash keys, both ends included. */
  public record Range(BigInteger start, BigInteger end) {
    public Range {
      if (start.signum() < 0 || end.compareTo(MAX) > 0 || start.compareTo(end) > 0) {
        throw new IllegalArgumentException("not a hash key range: " + start + ".." + end);
      }
    }

    public boolean contains(BigInteger key) {
      return start.compareTo(key) <= 0 && key.compareTo(end) <= 0;
    }
  }

  /** The hash key of a partition key: MD5 of its UTF-8 bytes, as an unsigned integer. */
  public static BigInteger ofPartitionKey(String partitionKey) {
    checkPartitionKey(partitionKey);
    try {
      byte[] md5 = MessageDigest.getInstance("MD5")
          .digest(partitionKey.getBytes(StandardCharsets.UTF_8));
      return new BigInteger(1, md5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  }

  /** Refuses a partition key Kinesis refuses (empty, or over 256 characters). */
  public static void checkPartitionKey(String partitionKey) {
    int chars = partitionKey == null ? 0 : partitionKey.codePointCount(0, partitionKey.length());
    if (chars < 1 || chars > MAX_PARTITION_KEY_CHARS) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value "
          + "at 'partitionKey' failed to satisfy constraint: Member must have length between "
          + "1 and " + MAX_PARTITION_KEY_CHARS);
    }
  }

  /** An ExplicitHashKey or NewStartingHashKey: a decimal integer in 0..2^128-1. */
  public static BigInteger parse(String decimal, String member) {
    if (decimal == null || decimal.isEmpty() || decimal.length() > 39
        || !decimal.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + decimal + "' at '" + member + "' failed to satisfy constraint: Member must "
          + "satisfy regular expression pattern: 0|([1-9]\\d{0,38})");
    }
    BigInteger key = new BigInteger(decimal);
    if (key.compareTo(MAX) > 0) {
      throw KinesisErrors.invalid("Invalid " + member + " " + decimal
          + ": hash keys are between 0 and 2^128 - 1");
    }
    return key;
  }

  /**
   * {@code shards} ranges that split the key space evenly, in order, as CreateStream and
   * UpdateShardCount lay them out: range i starts at i * 2^128 / shards.
   */
  public static List<Range> uniform(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards " + shards + " < 1");
    }
    BigInteger space = MAX.add(BigInteger.ONE);
    List<Range> ranges = new ArrayList<>(shards);
    BigInteger n = BigInteger.valueOf(shards);
    for (int i = 0; i < shards; i++) {
      BigInteger start = space.multiply(BigInteger.valueOf(i)).divide(n);
      BigInteger next = space.multiply(BigInteger.valueOf(i + 1L)).divide(n);
      ranges.add(new Range(start, next.subtract(BigInteger.ONE)));
    }
    return ranges;
  }
}
