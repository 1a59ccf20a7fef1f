package fabric.kinesis.service;

import com.typesafe.config.Config;

/**
 * Kinesis's configurable limits, read from {@code fabric.kinesis} (defaults in the module's
 * reference.conf, the one place they live).
 *
 * @param maxOpenShards open shards an account may have in the region, over all its
 *     streams (AWS: 500 in the large regions; checked by {@link AccountShards})
 * @param enforceLimits the seed's per-shard limits (1 MiB/s or 1,000 records/s in; 2 MiB/s
 *     and 5 GetRecords/s out); off for benchmarks of the machine rather than of AWS's limits
 */
public record KinesisSettings(int maxOpenShards, boolean enforceLimits) {
  public static final KinesisSettings DEFAULT = new KinesisSettings(500, true);

  public KinesisSettings {
    if (maxOpenShards < 1) {
      throw new IllegalArgumentException("fabric.kinesis.max-open-shards " + maxOpenShards);
    }
  }

  public static KinesisSettings from(Config config) {
    return new KinesisSettings(config.getInt("fabric.kinesis.max-open-shards"),
        config.getBoolean("fabric.kinesis.enforce-limits"));
  }
}
