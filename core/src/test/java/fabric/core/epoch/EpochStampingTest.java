package fabric.core.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.entity.Counter;
import fabric.core.replication.SerializedEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class EpochStampingTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final EpochHistory TWO = new EpochHistory(List.of(
      new LeaderEpoch(1, 1, "a"), new LeaderEpoch(2, 3, "b")));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static EpochStamped stamped(long epoch, long seqNr, int amount) {
    return new EpochStamped(epoch, seqNr,
        SerializedEvent.of(testKit.system(), new Counter.Added(amount)));
  }

  @Test
  void writesCarryTheClaimedEpochAndConsecutiveSequenceNumbers() {
    var stamping = new EpochStamping<Counter.Added>(testKit.system(), "Counter|x", TWO);
    stamping.useEpoch(3);
    stamping.beginWrite(7);
    assertThat(stamping.toJournal(new Counter.Added(1))).isEqualTo(stamped(3, 7, 1));
    assertThat(stamping.toJournal(new Counter.Added(2))).isEqualTo(stamped(3, 8, 2));
  }

  @Test
  void replayKeepsTheHistoryAndReportsEachOrphan() {
    List<EpochStamped> orphans = new ArrayList<>();
    var stamping = new EpochStamping<Counter.Added>(testKit.system(), "Counter|x", TWO,
        orphans::add);
    assertThat(stamping.fromJournal(stamped(1, 1, 1), "").events().size()).isEqualTo(1);
    assertThat(stamping.fromJournal(stamped(1, 2, 2), "").events().head())
        .isEqualTo(new Counter.Added(2));
    assertThat(stamping.fromJournal(stamped(1, 3, 99), "").isEmpty()).isTrue();
    assertThat(stamping.fromJournal(stamped(2, 3, 3), "").events().head())
        .isEqualTo(new Counter.Added(3));
    assertThat(stamping.fromJournal(stamped(1, 4, 99), "").isEmpty()).isTrue();
    assertThat(orphans).containsExactly(stamped(1, 3, 99), stamped(1, 4, 99));
    assertThat(stamping.orphans()).isEqualTo(2);
  }

  @Test
  void twoLiveEventsAtOneSequenceNumberStopTheReplay() {
    var stamping = new EpochStamping<Counter.Added>(testKit.system(), "Counter|x", TWO);
    stamping.fromJournal(stamped(2, 3, 1), "");
    assertThatThrownBy(() -> stamping.fromJournal(stamped(2, 3, 2), ""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two writers within one epoch");
  }

  @Test
  void anEpochNeverGoesBack() {
    var stamping = new EpochStamping<Counter.Added>(testKit.system(), "Counter|x", TWO);
    stamping.useEpoch(4);
    assertThatThrownBy(() -> stamping.useEpoch(4)).isInstanceOf(IllegalStateException.class);
  }
}
