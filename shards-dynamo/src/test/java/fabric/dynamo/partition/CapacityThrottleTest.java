package fabric.dynamo.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import org.junit.jupiter.api.Test;

class CapacityThrottleTest {
  private static final String P = "111122223333/t/tid/p0";

  /** Admitted reads, then pays them, until throttled; returns how many got through. */
  private static int readsUntilThrottled(CapacityThrottle throttle, ReadCharge charge,
      double strongUnits, long now) {
    for (int i = 0; i < 10_000; i++) {
      try {
        throttle.admitRead(P, charge, now);
      } catch (ServiceException e) {
        assertThat(e.error().code()).isEqualTo("ProvisionedThroughputExceededException");
        return i;
      }
      throttle.chargeRead(P, charge, strongUnits, now);
    }
    return -1;
  }

  @Test
  void aProvisionedPartitionServesItsBurstOfStrongReadsThenThrottlesUntilRefilled() {
    var throttle = new CapacityThrottle(new CapacityLimits(10, 1_000, 1_000));
    // 2 RCU/s, 10 s of burst: 20 one-unit strong reads, then none until time passes.
    assertThat(readsUntilThrottled(throttle, ReadCharge.of(true, 2), 1, 0)).isEqualTo(20);
    assertThat(readsUntilThrottled(throttle, ReadCharge.of(true, 2), 1, 1_000)).isEqualTo(2);
  }

  @Test
  void eventuallyConsistentReadsCostHalf() {
    var throttle = new CapacityThrottle(new CapacityLimits(10, 1_000, 1_000));
    assertThat(readsUntilThrottled(throttle, ReadCharge.of(false, 2), 1, 0)).isEqualTo(40);
  }

  @Test
  void aReadPaysWhatItReadAndTheDebtIsWaitedOut() {
    var throttle = new CapacityThrottle(new CapacityLimits(1, 1_000, 1_000));
    ReadCharge charge = ReadCharge.of(true, 4);
    throttle.admitRead(P, charge, 0);
    throttle.chargeRead(P, charge, CapacityThrottle.pageUnits(40 * 4096), 0); // 40 RCU page
    assertThatThrownBy(() -> throttle.admitRead(P, charge, 8_000))
        .isInstanceOf(ServiceException.class); // 36 in debt, 32 refilled
    throttle.admitRead(P, charge, 10_000);
  }

  @Test
  void onDemandPartitionsThrottleOnlyPastTheCeiling() {
    var throttle = new CapacityThrottle(new CapacityLimits(1, 5, 3));
    assertThat(readsUntilThrottled(throttle, ReadCharge.of(true, 0), 1, 0)).isEqualTo(5);
    int writes = 0;
    try {
      for (; writes < 100; writes++) {
        throttle.admitOnDemandWrite(P, 0);
        throttle.chargeOnDemandWrite(P, 1, 0);
      }
    } catch (ServiceException e) {
      assertThat(e.error().code()).isEqualTo("ProvisionedThroughputExceededException");
    }
    assertThat(writes).isEqualTo(3);
  }

  @Test
  void theServicesOwnReadsAreNotMetered() {
    var throttle = new CapacityThrottle(new CapacityLimits(1, 1, 1));
    for (int i = 0; i < 100; i++) {
      throttle.admitRead(P, null, 0);
      throttle.chargeRead(P, null, 100, 0);
    }
  }

  @Test
  void theDefaultsComeFromReferenceConf() {
    assertThat(CapacityLimits.DEFAULT).isEqualTo(new CapacityLimits(300, 40_000, 40_000));
  }
}
