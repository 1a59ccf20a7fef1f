package fabric.dynamo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When a partition is too hot to stay whole, and when it is too narrow to split again. */
class SplitPolicyTest {
  private final SplitPolicy policy = new SplitPolicy(1024, 1_000);

  @Test
  void aRateAboveTheLimitOverTheWholeWindowIsTooHot() {
    assertThat(policy.tooHot(2_001, 2_000)).isTrue();
    assertThat(policy.tooHot(2_000, 2_000)).as("exactly the limit").isFalse();
    assertThat(policy.tooHot(30_000, 1_999)).as("a burst shorter than the window").isFalse();
  }

  @Test
  void zeroTurnsThroughputSplitsOff() {
    assertThat(new SplitPolicy(1024, 0).tooHot(Long.MAX_VALUE / 2_000, 10_000)).isFalse();
    assertThatThrownBy(() -> new SplitPolicy(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPartitionSplitsForThroughputAtMostSixLevelsDeep() {
    assertThat(SplitPolicy.wideEnoughForThroughputSplit(Long.MIN_VALUE, Long.MAX_VALUE)).isTrue();
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    int depth = 0;
    while (SplitPolicy.wideEnoughForThroughputSplit(from, to)) {
      to = PartitionSplits.midToken(from, to) - 1; // keep the lower half, as a hot key would
      depth++;
    }
    assertThat(depth).isEqualTo(SplitPolicy.MAX_THROUGHPUT_SPLIT_DEPTH);
  }
}
