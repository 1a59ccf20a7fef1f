package fabric.dynamo.model;

import fabric.core.serialization.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;

/**
 * An item's primary key. Items of a partition are ordered by {@link #ORDER}: partition key
 * (by its hash, then its value: any fixed order will do), then sort key as DynamoDB sorts.
 *
 * @param range null when the table has no sort key
 * @param token {@link #token} of the partition key, kept: the order compares it first
 */
public record PrimaryKey(AttributeValue hash, AttributeValue range, long token)
    implements CborSerializable {

  public static PrimaryKey of(AttributeValue hash, AttributeValue range) {
    return new PrimaryKey(hash, range, token(hash));
  }

  /** Sorts before every key whose partition key has {@code token}: where a scan of a
   *  token range starts. */
  public static PrimaryKey firstOfToken(long token) {
    return new PrimaryKey(null, null, token);
  }

  public static final Comparator<PrimaryKey> ORDER = Comparator
      .comparingLong((PrimaryKey k) -> k.token())
      .thenComparing(PrimaryKey::hash, Comparator.nullsFirst(KeySchema.KEY_ORDER))
      .thenComparing(PrimaryKey::range,
          Comparator.nullsFirst(KeySchema.KEY_ORDER));

  /**
   * Where the partition key falls in the table's key space: the first 8 bytes of the MD5 of
   * its type and value, as an unsigned number shifted to a signed long (so that signed order
   * is the hash order). Partitions own ranges of it.
   */
  public static long token(AttributeValue partitionKey) {
    byte[] bytes = switch (partitionKey.type()) {
      case "S" -> ((AttributeValue.S) partitionKey).value().getBytes(StandardCharsets.UTF_8);
      case "N" -> ((AttributeValue.N) partitionKey).value().text()
          .getBytes(StandardCharsets.UTF_8);
      case "B" -> ((AttributeValue.B) partitionKey).value().toArray();
      default -> throw new IllegalArgumentException("not a key type: " + partitionKey.type());
    };
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(partitionKey.type().getBytes(StandardCharsets.US_ASCII));
      byte[] d = md5.digest(bytes);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return v ^ Long.MIN_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
