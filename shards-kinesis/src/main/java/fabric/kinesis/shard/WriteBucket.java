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
  public static final WriteBucket FULL = new WriteBucket(RECORDS_PER_SECOND, BYTES_PER_SECOND,
      0);

  private WriteBucket at(long nowMillis) {
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
