package fabric.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RegionWarmUpTest {
  private static final long WARM_UP_NANOS = RegionWarmUp.WARM_UP.toNanos();
  private final AtomicLong nanos = new AtomicLong(123);
  private final RegionWarmUp<String> warmUp = new RegionWarmUp<>(nanos::get);

  @Test
  void regionsThatFormTheClusterTogetherAreWarmAtOnce() {
    assertThat(warmUp.warm(Set.of("node-1"))).containsExactly("node-1");
    nanos.addAndGet(WARM_UP_NANOS - 1);
    assertThat(warmUp.warm(Set.of("node-1", "node-2", "node-3"))).hasSize(3);
  }

  @Test
  void aRegionThatJoinsLaterIsWarmOnlyAfterItWasSeenForTheWarmUpPeriod() {
    warmUp.warm(Set.of("node-1", "node-2"));
    nanos.addAndGet(WARM_UP_NANOS);
    assertThat(warmUp.warm(Set.of("node-1", "node-2", "node-3")))
        .containsExactlyInAnyOrder("node-1", "node-2");
    nanos.addAndGet(WARM_UP_NANOS - 1);
    assertThat(warmUp.warm(Set.of("node-1", "node-2", "node-3")))
        .containsExactlyInAnyOrder("node-1", "node-2");
    nanos.incrementAndGet();
    assertThat(warmUp.warm(Set.of("node-1", "node-2", "node-3"))).hasSize(3);
  }

  @Test
  void aRegionThatLeftAndCameBackWarmsUpAgain() {
    warmUp.warm(Set.of("node-1", "node-2"));
    nanos.addAndGet(WARM_UP_NANOS);
    warmUp.warm(Set.of("node-1")); // node-2 crashed: forgotten
    assertThat(warmUp.warm(Set.of("node-1", "node-2"))).containsExactly("node-1");
  }
}
