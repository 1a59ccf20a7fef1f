package fabric.core.entity;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.testkit.EntityTestKit;
import fabric.core.topology.NodeLocation;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An entity snapshots at the interval its definition gives for its current state (here 4
 * events while the total is under 20, then 16), and keeps only its newest two snapshots.
 */
class SnapshotScheduleTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final NodeLocation HERE = new NodeLocation("node-1", "us-east-1", "us-east-1a");
  private static final ActorTestKit testKit = EntityTestKit.withSnapshots();
  private static final SnapshotTestKit snapshots = SnapshotTestKit.create(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static List<Long> snapshotSequenceNumbers(String persistenceId) {
    return EntityTestKit.snapshotSequenceNumbers(snapshots, persistenceId);
  }

  @Test
  void snapshotsComeAtTheIntervalTheStateAsksForAndOnlyTheNewestTwoStay() {
    var counter = new Counter(total -> total < 20 ? 4 : 16);
    TestProbe<Reply> replies = testKit.createTestProbe();
    ActorRef<EntityCommand> entity = testKit.spawn(ResourceEntity.create(counter, "s1", HERE));
    for (int i = 1; i <= 12; i++) {
      entity.tell(new Counter.Add(1, replies.getRef()));
      replies.receiveMessage(PATIENCE);
    }
    // Snapshots at 4, 8 and 12; the one at 4 is deleted once 12 is saved.
    replies.awaitAssert(PATIENCE, () -> {
      assertThat(snapshotSequenceNumbers("Counter|s1")).containsExactly(8L, 12L);
      return null;
    });
    for (int i = 13; i <= 40; i++) {
      entity.tell(new Counter.Add(1, replies.getRef()));
      replies.receiveMessage(PATIENCE);
    }
    // 16 and 20 (Pekko asks with the state before the event: 19 < 20, so every 4), then
    // every 16 events: 32; nothing at 24, 28, 36 or 40.
    replies.awaitAssert(PATIENCE, () -> {
      assertThat(snapshotSequenceNumbers("Counter|s1")).containsExactly(20L, 32L);
      return null;
    });

    testKit.stop(entity);
    ActorRef<EntityCommand> again = testKit.spawn(ResourceEntity.create(counter, "s1", HERE));
    again.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(40));
  }
}
