package fabric.kinesis.shard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The journal index stays within its limit and spaces checkpoints by retention. */
class ShardIndexTest {
  @Test
  void theIndexNeverHoldsMoreThanItsLimitAndDropsTheOldest() {
    ShardIndex index = ShardIndex.EMPTY;
    for (int i = 0; i <= ShardIndex.MAX_CHECKPOINTS; i++) {
      index = index.after(new Checkpoint(i, i + 1, i * 5_000L, i * 5_000L), 5_000);
    }
    assertThat(index.size()).isEqualTo(ShardIndex.MAX_CHECKPOINTS);
    assertThat(index.forRecord(0).firstRecordNumber()).isEqualTo(1);
  }

  @Test
  void aCheckpointComesAtMostOncePerSpacing() {
    ShardIndex index = ShardIndex.EMPTY.after(new Checkpoint(0, 1, 0, 0), 1_000)
        .after(new Checkpoint(5, 2, 999, 999), 1_000)
        .after(new Checkpoint(9, 3, 1_000, 1_000), 1_000);
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.forRecord(8).firstRecordNumber()).isZero();
    assertThat(index.forRecord(8).lastArrivalMillis()).as("spans the records after it")
        .isEqualTo(999);
  }

  @Test
  void retentionFindsTheFirstCheckpointHoldingARecordYoungerThanTheCutoff() {
    ShardIndex index = ShardIndex.EMPTY.after(new Checkpoint(0, 2, 0, 0), 5_000)
        .after(new Checkpoint(3, 3, 1_000, 1_000), 5_000)          // spans 0..4, last at 1 s
        .after(new Checkpoint(5, 4, 7_200_000, 7_200_000), 5_000); // two hours later
    assertThat(index.firstHoldingArrivalAtOrAfter(1_000).firstRecordNumber()).isZero();
    assertThat(index.firstHoldingArrivalAtOrAfter(1_001).firstRecordNumber())
        .as("however long the gap to the next put").isEqualTo(5);
    assertThat(index.firstHoldingArrivalAtOrAfter(7_200_001)).isNull();
    // Checkpoints from snapshots before the last arrival was kept: the next one bounds it.
    ShardIndex legacy = ShardIndex.fromList(java.util.List.of(new Checkpoint(0, 2, 0, 0),
        new Checkpoint(5, 4, 7_200_000, 0)));
    assertThat(legacy.firstHoldingArrivalAtOrAfter(1_001).firstRecordNumber()).isZero();
    assertThat(legacy.firstHoldingArrivalAtOrAfter(7_200_001).firstRecordNumber())
        .isEqualTo(5);
  }

  @Test
  void longerRetentionSpacesCheckpointsSoTheLimitCoversIt() {
    assertThat(ShardIndex.spacingMillis(24)).isEqualTo(5_000);
    assertThat(ShardIndex.spacingMillis(8_760)).isEqualTo(1_051_200);
  }
}
