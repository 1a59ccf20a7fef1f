package fabric.core.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpochHistoryTest {
  private static final EpochHistory THREE_LEADERS = new EpochHistory(List.of(
      new LeaderEpoch(3, 9, "node-3"), new LeaderEpoch(1, 1, "node-1"),
      new LeaderEpoch(2, 5, "node-2")));

  @Test
  void theFirstLeaderClaimsEpochOne() {
    assertThat(EpochHistory.EMPTY.next(1, "node-1")).isEqualTo(new LeaderEpoch(1, 1, "node-1"));
    assertThat(EpochHistory.EMPTY.latest()).isEmpty();
  }

  @Test
  void theNextLeaderClaimsOnePastTheLatestWhateverTheOrderLoaded() {
    assertThat(THREE_LEADERS.latest()).contains(new LeaderEpoch(3, 9, "node-3"));
    assertThat(THREE_LEADERS.next(12, "node-1")).isEqualTo(new LeaderEpoch(4, 12, "node-1"));
  }

  @Test
  void anEventBeforeTheNextEpochStartsBelongsToTheHistory() {
    assertThat(THREE_LEADERS.supersededBy(1, 4)).isEmpty();
    assertThat(THREE_LEADERS.supersededBy(2, 8)).isEmpty();
    assertThat(THREE_LEADERS.supersededBy(3, 1_000)).isEmpty();
  }

  @Test
  void anEventAtOrPastALaterEpochsStartIsAnOrphan() {
    assertThat(THREE_LEADERS.supersededBy(1, 5)).contains(new LeaderEpoch(2, 5, "node-2"));
    assertThat(THREE_LEADERS.supersededBy(1, 9)).contains(new LeaderEpoch(2, 5, "node-2"));
    assertThat(THREE_LEADERS.supersededBy(2, 9)).contains(new LeaderEpoch(3, 9, "node-3"));
  }

  @Test
  void aLeaderThatRecoveredNothingNewSupersedesFromTheSameStart() {
    // Epoch 2 wrote nothing; epoch 3 started at the same sequence number.
    EpochHistory idle = new EpochHistory(List.of(new LeaderEpoch(1, 1, "a"),
        new LeaderEpoch(2, 4, "b"), new LeaderEpoch(3, 4, "c")));
    assertThat(idle.supersededBy(1, 4)).contains(new LeaderEpoch(2, 4, "b"));
    assertThat(idle.supersededBy(2, 4)).contains(new LeaderEpoch(3, 4, "c"));
    assertThat(idle.supersededBy(3, 4)).isEmpty();
  }

  @Test
  void eventsWrittenBeforeEpochsExistedCountAsEpochZero() {
    assertThat(THREE_LEADERS.supersededBy(0, 0)).isEmpty();
    assertThat(THREE_LEADERS.supersededBy(0, 1)).contains(new LeaderEpoch(1, 1, "node-1"));
  }

  @Test
  void oneEpochCannotBeClaimedTwice() {
    assertThatThrownBy(() -> THREE_LEADERS.with(new LeaderEpoch(2, 7, "node-9")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch 2 twice");
  }
}
