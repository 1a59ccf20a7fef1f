package fabric.dynamo.partition;

import fabric.dynamo.model.DynamoErrors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The capacity a partition meters outside its events, per node in memory: reads (not
 * events, so not event-sourced as {@link WriteCapacity}) of PROVISIONED tables against the
 * partition's RCU share, and reads and writes of PAY_PER_REQUEST tables against the
 * on-demand ceiling. A token bucket per partition: it refills at the rate per second, holds
 * up to the burst; a call is admitted while the bucket holds its least cost, then pays what
 * it really read (the bucket may go into debt, which later calls wait out, as DynamoDB).
 * Strong reads meter on the leader; an eventually consistent read on the follower that
 * answers it, and a new leader starts with a full bucket.
 */
public final class CapacityThrottle {
  /** Most partitions metered on one node (all forgotten, i.e. refilled, when it fills). */
  static final int MAX_BUCKETS = 100_000;
  private final CapacityLimits limits;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public CapacityThrottle(CapacityLimits limits) {
    this.limits = limits;
  }

  /** RCUs of a page read: its bytes in 4 KB units, at least 1 (DynamoDB's Query/Scan). */
  public static double pageUnits(long scannedBytes) {
    return Math.max(1, Math.ceil(scannedBytes / 4096.0));
  }

  /** Refuses a read when the partition's bucket cannot pay the least read. */
  public void admitRead(String partition, ReadCharge charge, long nowMillis) {
    if (charge != null) {
      admit(bucket(partition + "#r"), readRate(charge), charge.factor(), nowMillis,
          charge.unitsPerSecond() > 0);
    }
  }

  /** Pays for a read: {@code strongUnits} as a strongly consistent read costs. */
  public void chargeRead(String partition, ReadCharge charge, double strongUnits,
      long nowMillis) {
    if (charge != null) {
      bucket(partition + "#r").pay(readRate(charge), limits.readBurstSeconds(),
          strongUnits * charge.factor(), nowMillis);
    }
  }

  /** Refuses an on-demand write past the ceiling (provisioned writes: {@link WriteCapacity}). */
  public void admitOnDemandWrite(String partition, long nowMillis) {
    admit(bucket(partition + "#w"), limits.onDemandWriteUnits(), 1, nowMillis, false);
  }

  public void chargeOnDemandWrite(String partition, double units, long nowMillis) {
    bucket(partition + "#w").pay(limits.onDemandWriteUnits(), limits.readBurstSeconds(), units,
        nowMillis);
  }

  private double readRate(ReadCharge charge) {
    return charge.unitsPerSecond() > 0 ? charge.unitsPerSecond() : limits.onDemandReadUnits();
  }

  private void admit(Bucket bucket, double rate, double least, long nowMillis,
      boolean provisioned) {
    if (!bucket.has(rate, limits.readBurstSeconds(), least, nowMillis)) {
      throw DynamoErrors.ProvisionedThroughputExceededException.exception(provisioned
          ? "The level of configured provisioned throughput for the table was exceeded. "
              + "Consider increasing your provisioning level with the UpdateTable API."
          : "Throughput exceeds the current capacity of your table or index. DynamoDB is "
              + "automatically scaling your table or index so please try again shortly.");
    }
  }

  private Bucket bucket(String key) {
    Bucket b = buckets.get(key);
    if (b != null) {
      return b;
    }
    if (buckets.size() >= MAX_BUCKETS) {
      buckets.clear();
    }
    return buckets.computeIfAbsent(key, k -> new Bucket());
  }

  /** Starts full; the rate comes with each call, so UpdateTable applies at once. */
  private static final class Bucket {
    private double tokens = Double.NaN;
    private long atMillis;

    private void refill(double rate, long burstSeconds, long nowMillis) {
      double max = rate * burstSeconds;
      if (Double.isNaN(tokens)) {
        tokens = max;
      } else {
        tokens = Math.min(max, tokens + Math.max(0, nowMillis - atMillis) / 1000.0 * rate);
      }
      atMillis = Math.max(atMillis, nowMillis);
    }

    synchronized boolean has(double rate, long burstSeconds, double units, long nowMillis) {
      refill(rate, burstSeconds, nowMillis);
      return tokens >= units;
    }

    synchronized void pay(double rate, long burstSeconds, double units, long nowMillis) {
      refill(rate, burstSeconds, nowMillis);
      tokens -= units;
    }
  }
}
