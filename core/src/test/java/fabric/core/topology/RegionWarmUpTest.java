package fabric.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RegionWarmUpTest {
  private final AtomicLong nanos = new AtomicLong();
  private final RegionWarmUp<String> warmUp = new RegionWarmUp<>(nanos::get);

  @Test
  void aRegionIsWarmOnlyAfterItWasSeenForTheWarmUpPeriod() {
    assertThat(warmUp.warm(Set.of("node-1", "node-2"))).isEmpty();
    nanos.addAndGet(RegionWarmUp.WARM_UP.toNanos());
    assertThat(warmUp.warm(Set.of("node-1", "node-2", "node-3")))
        .containsExactlyInAnyOrder("node-1", "node-2");
    nanos.addAndGet(RegionWarmUp.WARM_UP.toNanos() - 1);
    assertThat(warmUp.warm(Set.of("node-1", "node-2", "node-3")))
        .containsExactlyInAnyOrder("node-1", "node-2");
    nanos.incrementAndGet();
    assertThat(warmUp.warm(Set.of("node-1", "node-2", "node-3"))).hasSize(3);
  }

  @Test
  void aRegionThatLeftAndCameBackWarmsUpAgain() {
    warmUp.warm(Set.of("node-1", "node-2"));
    nanos.addAndGet(RegionWarmUp.WARM_UP.toNanos());
    warmUp.warm(Set.of("node-1")); // node-2 crashed: forgotten
    assertThat(warmUp.warm(Set.of("node-1", "node-2"))).containsExactly("node-1");
  }
}
