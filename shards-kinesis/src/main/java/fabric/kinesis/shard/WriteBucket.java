package fabric.kinesis.shard;

import fabric.core.serialization.CborSerializable;

/**
 * A shard's write limits as the seed gives them: 1 MiB/s and 1,000 records/s, as two token
 * buckets refilled continuously and holding one second's worth (so a burst of one second
 * passes, a sustained excess does not). Event-sourced (the puts carry their time), so a new
 * leader throttles as the old one would have.
 */
public record WriteBucket(double records, double bytes, long atMillis)
    implements CborSerializable {
  public static final int RECORDS_PER_SECOND = 1_000;
  public static final int BYTES_PER_SECOND = 1024 * 1024;
  /**
   * Clocks of serving nodes a little behind the bucket's (NTP keeps them within
   * milliseconds) count as the bucket's time, as before; further behind is a clock that went
   * back. While nodes' clocks disagree by more than this, puts through them alternately
   * refill the bucket: the limits are loose then, never a stop.
   */
  static final long CLOCK_STEP_BACK_MILLIS = 1_000;
  public static final WriteBucket FULL = new WriteBucket(RECORDS_PER_SECOND, BYTES_PER_SECOND,
      0);

  private WriteBucket at(long nowMillis) {
    if (nowMillis < atMillis - CLOCK_STEP_BACK_MILLIS) {
      // A clock that went back (the put's serving node's clock was ahead and is right again,
      // or nodes disagree): how long ago the last put was is unknown, so the bucket is full
      // again and counts on from now. Waiting for the old time instead stopped the shard's
      // writes for as long as the clock had been ahead (an hour in the clock-skew drill).
      return new WriteBucket(RECORDS_PER_SECOND, BYTES_PER_SECOND, nowMillis);
    }
    long at = Math.max(atMillis, nowMillis);
    double seconds = (at - atMillis) / 1000.0;
    return new WriteBucket(Math.min(RECORDS_PER_SECOND, records + seconds * RECORDS_PER_SECOND),
        Math.min(BYTES_PER_SECOND, bytes + seconds * BYTES_PER_SECOND), at);
  }

  /** How many of {@code sizes} (in order) the bucket admits at {@code nowMillis}. */
  public int admits(int[] sizes, long nowMillis) {
    WriteBucket b = at(nowMillis);
    double r = b.records;
    double s = b.bytes;
    int n = 0;
    while (n < sizes.length && r >= 1 && s >= sizes[n]) {
      r -= 1;
      s -= sizes[n];
      n++;
    }
    return n;
  }

  /** The bucket after {@code count} records of {@code totalBytes} at {@code nowMillis}. */
  public WriteBucket consume(int count, long totalBytes, long nowMillis) {
    WriteBucket b = at(nowMillis);
    return new WriteBucket(b.records - count, b.bytes - totalBytes, b.atMillis);
  }
}
