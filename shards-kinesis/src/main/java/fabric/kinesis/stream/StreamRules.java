package fabric.kinesis.stream;

import fabric.kinesis.model.KinesisErrors;
import java.util.Collection;
import java.util.Map;

/** Kinesis's checks on stream settings, with its messages. */
final class StreamRules {
  static final int MIN_RETENTION_HOURS = 24;
  static final int MAX_RETENTION_HOURS = 8_760;
  /** AWS: 50 tags per stream; keys 1..128 characters, values up to 256. */
  static final int MAX_TAGS = 50;
  static final int MAX_TAG_KEY_CHARS = 128;
  static final int MAX_TAG_VALUE_CHARS = 256;
  /** AWS: 20 enhanced fan-out consumers per stream. */
  static final int MAX_CONSUMERS = 20;
  /** AWS: an on-demand stream starts with 4 shards. */
  static final int ON_DEMAND_SHARDS = 4;
  /** AWS: UpdateShardCount at most 10 times per rolling 24 hours per stream. */
  static final int MAX_SCALINGS_PER_DAY = 10;
  static final long SCALING_WINDOW_MILLIS = 24 * 3_600_000L;
  static final String PROVISIONED = "PROVISIONED";
  static final String ON_DEMAND = "ON_DEMAND";

  private StreamRules() {}

  static String mode(String mode) {
    if (mode == null || mode.isEmpty()) {
      return PROVISIONED;
    }
    if (!PROVISIONED.equals(mode) && !ON_DEMAND.equals(mode)) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + mode + "' at 'streamModeDetails.streamMode' failed to satisfy constraint: Member "
          + "must satisfy enum value set: [PROVISIONED, ON_DEMAND]");
    }
    return mode;
  }

  static void shardCount(int shardCount, int maxOpenShards) {
    if (shardCount < 1) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + shardCount + "' at 'shardCount' failed to satisfy constraint: Member must have "
          + "value greater than or equal to 1");
    }
    if (shardCount > maxOpenShards) {
      throw KinesisErrors.LimitExceededException.exception("This request would exceed the "
          + "shard limit for the account. Requested " + shardCount + " shards, the limit is "
          + maxOpenShards + ".");
    }
  }

  static void retention(int hours, String stream, int current, boolean increase) {
    if (hours < MIN_RETENTION_HOURS || hours > MAX_RETENTION_HOURS) {
      throw KinesisErrors.invalid("Minimum allowed retention period is " + MIN_RETENTION_HOURS
          + " hours. Maximum allowed retention period is " + MAX_RETENTION_HOURS + " hours. "
          + "Requested retention period (" + hours + " hours) is out of range.");
    }
    if (increase && hours < current) {
      throw KinesisErrors.invalid("Requested retention period (" + hours + " hours) for "
          + "stream " + stream + " can not be shorter than existing retention period ("
          + current + " hours). Use DecreaseRetentionPeriod API.");
    }
    if (!increase && hours > current) {
      throw KinesisErrors.invalid("Requested retention period (" + hours + " hours) for "
          + "stream " + stream + " can not be longer than existing retention period ("
          + current + " hours). Use IncreaseRetentionPeriod API.");
    }
  }

  static void tags(Map<String, String> existing, Map<String, String> added,
      Collection<String> removed) {
    for (Map.Entry<String, String> t : added.entrySet()) {
      if (t.getKey().isEmpty() || t.getKey().length() > MAX_TAG_KEY_CHARS
          || t.getValue().length() > MAX_TAG_VALUE_CHARS) {
        throw KinesisErrors.invalid("Tag keys must be 1 to " + MAX_TAG_KEY_CHARS
            + " characters and values at most " + MAX_TAG_VALUE_CHARS + ": " + t.getKey());
      }
    }
    java.util.Set<String> keys = new java.util.HashSet<>(existing.keySet());
    keys.removeAll(removed);
    keys.addAll(added.keySet());
    if (keys.size() > MAX_TAGS) {
      throw KinesisErrors.LimitExceededException.exception("A stream may have at most "
          + MAX_TAGS + " tags; this request would leave " + keys.size() + ".");
    }
  }
}
