package fabric.kinesis.shard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The journal index stays within its limit and spaces checkpoints by retention. */
class ShardIndexTest {
  @Test
  void theIndexNeverHoldsMoreThanItsLimitAndDropsTheOldest() {
    ShardIndex index = ShardIndex.EMPTY;
    for (int i = 0; i <= ShardIndex.MAX_CHECKPOINTS; i++) {
      index = index.after(new Checkpoint(i, i + 1, i * 5_000L), 5_000);
    }
    assertThat(index.size()).isEqualTo(ShardIndex.MAX_CHECKPOINTS);
    assertThat(index.forRecord(0).firstRecordNumber()).isEqualTo(1);
  }

  @Test
  void aCheckpointComesAtMostOncePerSpacing() {
    ShardIndex index = ShardIndex.EMPTY.after(new Checkpoint(0, 1, 0), 1_000)
        .after(new Checkpoint(5, 2, 999), 1_000)
        .after(new Checkpoint(9, 3, 1_000), 1_000);
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.forRecord(8).firstRecordNumber()).isZero();
  }

  @Test
  void longerRetentionSpacesCheckpointsSoTheLimitCoversIt() {
    assertThat(ShardIndex.spacingMillis(24)).isEqualTo(5_000);
    assertThat(ShardIndex.spacingMillis(8_760)).isEqualTo(1_051_200);
  }
}
