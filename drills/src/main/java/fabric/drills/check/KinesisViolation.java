package fabric.drills.check;

/**
 * A Kinesis stream broke its promise: a record read twice ({@link #DUPLICATE}), a shard's
 * records out of sequence-number order ({@link #OUT_OF_ORDER}), a partition key's
 * acknowledged records out of their counters' order ({@link #KEY_ORDER}), an acknowledged
 * record read at another shard or sequence number than its put answered
 * ({@link #WRONG_POSITION}), or a record read that no put sent or that its put was refused
 * ({@link #PHANTOM}), a child shard ListShards lists that no reader reached although its
 * parents were read to their end ({@link #UNFOLLOWED}). (An acknowledged record never read
 * is a {@link LostWrite}.)
 *
 * @param key the stream, or {@code stream/shardId}
 * @param atNanos when the read that showed it completed
 */
public record KinesisViolation(String key, String kind, long atNanos, String message)
    implements Violation {
  public static final String DUPLICATE = "duplicate";
  public static final String OUT_OF_ORDER = "out_of_order";
  public static final String KEY_ORDER = "key_order";
  public static final String WRONG_POSITION = "wrong_position";
  public static final String PHANTOM = "phantom";
  public static final String UNFOLLOWED = "unfollowed_shard";
}
