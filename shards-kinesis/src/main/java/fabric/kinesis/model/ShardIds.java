package fabric.kinesis.model;

/** Shard ids as Kinesis writes them: {@code shardId-} and a 12-digit index. */
public final class ShardIds {
  private static final String PREFIX = "shardId-";
  /** AWS: a stream has at most 10,000 shards at a time by default quotas; indexes grow with
   *  every reshard, and 12 digits never run out. */
  private static final long MAX_INDEX = 999_999_999_999L;

  private ShardIds() {}

  public static String of(long index) {
    if (index < 0 || index > MAX_INDEX) {
      throw new IllegalArgumentException("shard index " + index);
    }
    return String.format("%s%012d", PREFIX, index);
  }

  /** The index of {@code shardId}; the short forms AWS accepts ("1" or "shardId-1") too. */
  public static long indexOf(String shardId, String member) {
    String digits = shardId != null && shardId.startsWith(PREFIX)
        ? shardId.substring(PREFIX.length()) : shardId;
    if (digits == null || digits.isEmpty() || digits.length() > 12
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + shardId + "' at '" + member + "' failed to satisfy constraint: Member must "
          + "satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    return Long.parseLong(digits);
  }
}
