package fabric.dynamo.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A split halves a partition's token range, the whole table's 2^64 tokens included. */
class PartitionSplitsTest {
  @Test
  void theMiddleOfTheWholeRangeIsZeroAndBothHalvesAreEqual() {
    assertThat(PartitionSplits.midToken(Long.MIN_VALUE, Long.MAX_VALUE)).isZero();
    long mid = PartitionSplits.midToken(0, Long.MAX_VALUE);
    assertThat(mid - 1 - 0).isEqualTo(Long.MAX_VALUE - mid);
  }

  @Test
  void smallRangesSplitIntoTwoNonEmptyHalves() {
    assertThat(PartitionSplits.midToken(0, 1)).isEqualTo(1);
    assertThat(PartitionSplits.midToken(-5, 4)).isEqualTo(0);
    assertThat(PartitionSplits.midToken(Long.MAX_VALUE - 1, Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
  }
}
