package fabric.dynamo.stream;

import fabric.dynamo.model.DynamoErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A shard iterator: which partition's journal, from which sequence number, issued when
 * (DynamoDB's iterators expire after 15 minutes). Opaque to clients.
 */
public record ShardIterator(String account, String table, String tableId, String partition,
    long fromSeqNr, long issuedAtMillis) {
  static final long LIFETIME_MILLIS = 15 * 60_000;

  String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(String.join("|", account,
        table, tableId, partition, Long.toString(fromSeqNr), Long.toString(issuedAtMillis))
        .getBytes(StandardCharsets.UTF_8));
  }

  static ShardIterator decode(String text, long nowMillis) {
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8)
          .split("\\|", -1);
    } catch (IllegalArgumentException e) {
      parts = new String[0];
    }
    ShardIterator it;
    try {
      it = new ShardIterator(parts[0], parts[1], parts[2], parts[3],
          Long.parseLong(parts[4]), Long.parseLong(parts[5]));
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw DynamoErrors.validation("Invalid ShardIterator");
    }
    if (nowMillis - it.issuedAtMillis() > LIFETIME_MILLIS) {
      throw DynamoErrors.ExpiredIteratorException.exception("Iterator expired. The iterator "
          + "was created more than 15 minutes ago.");
    }
    return it;
  }

  /** DynamoDB Streams' sequence numbers: decimal strings of 21 digits. */
  public static String sequenceNumber(long seqNr) {
    return String.format("%021d", seqNr);
  }
}
