package fabric.dynamo.service;

import com.typesafe.config.Config;

/**
 * When a partition splits, as DynamoDB splits one: past a size, or when it sustains more
 * writes than one partition serves.
 *
 * @param sizeBytes a partition larger than this splits in two (DynamoDB: 10 GB)
 * @param writesPerSecond a partition that took more write events per second than this,
 *     measured over at least {@link #RATE_WINDOW_MILLIS}, splits in two (DynamoDB: a
 *     partition serves 1,000 WCU); 0 turns throughput splits off
 */
public record SplitPolicy(long sizeBytes, long writesPerSecond) {
  /** DynamoDB splits a partition at 10 GB; an emulator on one laptop much earlier. */
  public static final long DEFAULT_SIZE_BYTES = 256L * 1024 * 1024;
  public static final long DEFAULT_WRITES_PER_SECOND = 1_000;
  public static final SplitPolicy DEFAULT =
      new SplitPolicy(DEFAULT_SIZE_BYTES, DEFAULT_WRITES_PER_SECOND);
  /** The shortest time a write rate is measured over: a burst shorter than this is what
   *  the partition's burst capacity is for, not a reason to split. */
  public static final long RATE_WINDOW_MILLIS = 2_000;
  /**
   * A partition narrower than 1/2^this of the token space never splits for throughput:
   * writes that stay hot after that many halvings are one hot key (or a few), which no
   * split spreads (DynamoDB's answer is the same: throttling on the key); the limit stops
   * a hot key from splitting its partition over and over.
   */
  public static final int MAX_THROUGHPUT_SPLIT_DEPTH = 6;

  public SplitPolicy {
    if (sizeBytes < 1 || writesPerSecond < 0) {
      throw new IllegalArgumentException("split size " + sizeBytes + " B and rate "
          + writesPerSecond + "/s: the size must be positive, the rate not negative");
    }
  }

  /** From {@code fabric.dynamo.partition-split-size} and
   *  {@code fabric.dynamo.partition-split-writes-per-second}. */
  public static SplitPolicy from(Config config) {
    return new SplitPolicy(config.getBytes("fabric.dynamo.partition-split-size"),
        config.getLong("fabric.dynamo.partition-split-writes-per-second"));
  }

  /** Whether {@code events} write events over {@code millis} (at least the window) are
   *  more than one partition takes. */
  boolean tooHot(long events, long millis) {
    return writesPerSecond > 0 && millis >= RATE_WINDOW_MILLIS
        && events * 1_000 > writesPerSecond * millis;
  }

  /** Whether a partition of tokens {@code [from, to]} may still split for throughput. */
  static boolean wideEnoughForThroughputSplit(long from, long to) {
    return Long.compareUnsigned(to - from, -1L >>> MAX_THROUGHPUT_SPLIT_DEPTH) > 0;
  }
}
