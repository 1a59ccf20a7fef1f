package fabric.kinesis.service;

import fabric.kinesis.model.KinesisErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Shard iterators: where a reader is (the shard entity, the next record number, the journal
 * sequence number to read from) and when the iterator was issued. Opaque to clients
 * (base64); a garbled one is InvalidArgumentException, one older than 5 minutes
 * ExpiredIteratorException, as AWS. The caller's account is checked against the shard's,
 * so an edited iterator reads at most another position of the caller's own shard.
 */
public final class ShardIterators {
  /** AWS: an iterator is valid for 5 minutes after it was issued. */
  public static final long VALID_MILLIS = 5 * 60_000L;
  private static final String VERSION = "k1";

  private ShardIterators() {}

  /**
   * @param shardEntity the shard entity id ({@link StreamId#shardEntityId})
   * @param fromMillis AT_TIMESTAMP: records that arrived before it are skipped (0: none)
   */
  public record Position(String shardEntity, String shardId, long recordNumber,
      long journalFrom, long fromMillis, long issuedMillis) {
    /** The stream of the shard: its entity id is {@code <stream entity>/<created>/<shard>}. */
    public StreamId stream() {
      String[] parts = shardEntity.split("/");
      return new StreamId(parts[1], parts[0], parts[2]);
    }
  }

  public static String encode(Position p) {
    String text = String.join("|", VERSION, p.shardEntity(), p.shardId(),
        Long.toString(p.recordNumber()), Long.toString(p.journalFrom()),
        Long.toString(p.fromMillis()), Long.toString(p.issuedMillis()));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        text.getBytes(StandardCharsets.UTF_8));
  }

  public static Position decode(String iterator, String account, long nowMillis) {
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(iterator == null ? "" : iterator),
          StandardCharsets.UTF_8).split("\\|", -1);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (parts.length != 7 || !VERSION.equals(parts[0])
        || !parts[1].startsWith(account + "/") || parts[1].split("/").length != 5) {
      throw invalid();
    }
    Position p;
    try {
      p = new Position(parts[1], parts[2], Long.parseLong(parts[3]), Long.parseLong(parts[4]),
          Long.parseLong(parts[5]), Long.parseLong(parts[6]));
    } catch (NumberFormatException e) {
      throw invalid();
    }
    if (p.recordNumber() < 0 || p.journalFrom() < 1) {
      throw invalid();
    }
    if (nowMillis - p.issuedMillis() > VALID_MILLIS) {
      throw KinesisErrors.ExpiredIteratorException.exception("Iterator expired. The iterator "
          + "was created at time " + java.time.Instant.ofEpochMilli(p.issuedMillis())
          + " while right now it is " + java.time.Instant.ofEpochMilli(nowMillis)
          + " which is further in the future than the tolerated delay of "
          + VALID_MILLIS + " milliseconds.");
    }
    return p;
  }

  private static RuntimeException invalid() {
    return KinesisErrors.invalid("Invalid ShardIterator.");
  }
}
