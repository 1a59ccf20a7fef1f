package fabric.dynamo.partition;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The capacity settings (reference.conf, {@code fabric.dynamo.capacity}, is where their
 * defaults live): the burst a provisioned partition's read bucket holds, and the on-demand
 * ceiling, the RCU and WCU per second a PAY_PER_REQUEST partition serves before it throttles
 * too (AWS's default table quota, 40,000 each, as one partition's: a laptop serves far less,
 * so it only stops a runaway client).
 */
public record CapacityLimits(long readBurstSeconds, double onDemandReadUnits,
    double onDemandWriteUnits) {
  public CapacityLimits {
    if (readBurstSeconds < 1 || onDemandReadUnits <= 0 || onDemandWriteUnits <= 0) {
      throw new IllegalArgumentException("capacity limits must be positive: "
          + readBurstSeconds + ", " + onDemandReadUnits + ", " + onDemandWriteUnits);
    }
  }

  public static final CapacityLimits DEFAULT =
      fromConfig(ConfigFactory.defaultReference(CapacityLimits.class.getClassLoader()));

  public static CapacityLimits fromConfig(Config config) {
    Config c = config.getConfig("fabric.dynamo.capacity");
    return new CapacityLimits(c.getDuration("read-burst").toSeconds(),
        c.getDouble("on-demand-read-units"), c.getDouble("on-demand-write-units"));
  }
}
