package fabric.core.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import fabric.core.testkit.EntityTestKit;
import fabric.core.topology.NodeLocation;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A definition that says a journal prefix is no longer needed gets it deleted, but only up
 * to the older of the two snapshots kept, and the entity still recovers (from its snapshot)
 * and keeps answering; a resource gone for good loses its whole journal and its snapshots;
 * a definition that says nothing keeps every event.
 */
class JournalDeletionTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final NodeLocation HERE = new NodeLocation("node-1", "us-east-1", "us-east-1a");
  private static final ActorTestKit testKit = EntityTestKit.withSnapshots();
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private static final SnapshotTestKit snapshots = SnapshotTestKit.create(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static List<Long> snapshotSequenceNumbers(String persistenceId) {
    return EntityTestKit.snapshotSequenceNumbers(snapshots, persistenceId);
  }

  private static void add(ActorRef<EntityCommand> entity, TestProbe<Reply> replies, int times) {
    for (int i = 0; i < times; i++) {
      entity.tell(new Counter.Add(1, replies.getRef()));
      replies.receiveMessage(PATIENCE);
    }
  }

  @Test
  void aDeletablePrefixGoesUpToTheOlderKeptSnapshotAndRecoveryStillWorks() {
    // Each Add(1) is one event, so the total is the sequence number; all but the newest
    // event are deletable.
    var counter = new Counter(total -> 4, total -> total - 1);
    TestProbe<Reply> replies = testKit.createTestProbe();
    ActorRef<EntityCommand> entity = testKit.spawn(ResourceEntity.create(counter, "d1", HERE));
    add(entity, replies, 6);
    // One snapshot (at 4): the leader knows of no second one, so nothing is deleted.
    replies.awaitAssert(PATIENCE, () -> {
      assertThat(snapshotSequenceNumbers("Counter|d1")).containsExactly(4L);
      return null;
    });
    assertThat(journal.persistedInStorage("Counter|d1")).hasSize(6);

    add(entity, replies, 6); // snapshots at 8 and 12: events up to 8 go (not 11)
    replies.awaitAssert(PATIENCE, () -> {
      assertThat(snapshotSequenceNumbers("Counter|d1")).containsExactly(8L, 12L);
      assertThat(journal.persistedInStorage("Counter|d1")).hasSize(4); // 9..12
      return null;
    });

    testKit.stop(entity);
    ActorRef<EntityCommand> again = testKit.spawn(ResourceEntity.create(counter, "d1", HERE));
    again.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(12));
    again.tell(new Counter.Add(5, replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(17));

    // A restart whose newest snapshot is missing falls back to the older one (8), and every
    // event after it is still there.
    testKit.stop(again);
    org.apache.pekko.persistence.Persistence.get(
            org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(testKit.system()))
        .snapshotStoreFor("", ConfigFactory.empty())
        .tell(new org.apache.pekko.persistence.SnapshotProtocol.DeleteSnapshots("Counter|d1",
            org.apache.pekko.persistence.SnapshotSelectionCriteria.create(12L, Long.MAX_VALUE,
                12L, 0L)), org.apache.pekko.actor.ActorRef.noSender());
    replies.awaitAssert(PATIENCE, () -> {
      assertThat(snapshotSequenceNumbers("Counter|d1")).containsExactly(8L);
      return null;
    });
    ActorRef<EntityCommand> fallback = testKit.spawn(ResourceEntity.create(counter, "d1",
        HERE));
    fallback.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(17));
  }

  @Test
  void aResourceGoneForGoodLosesItsWholeJournalAndItsSnapshots() {
    var counter = new Counter(total -> 4, total -> total >= 6 ? Long.MAX_VALUE : 0);
    TestProbe<Reply> replies = testKit.createTestProbe();
    // Through the front, as sharding runs it: batches take the other write path.
    ActorRef<Counter.Command> leader = testKit.spawn(ResourceEntity.leader(counter, "g1",
        HERE));
    for (int i = 0; i < 5; i++) {
      leader.tell(new Counter.Add(1, replies.getRef()));
      replies.receiveMessage(PATIENCE);
    }
    assertThat(journal.persistedInStorage("Counter|g1")).hasSize(5);
    leader.tell(new Counter.Add(1, replies.getRef()));
    replies.receiveMessage(PATIENCE);
    replies.awaitAssert(PATIENCE, () -> {
      assertThat(journal.persistedInStorage("Counter|g1")).isEmpty();
      assertThat(snapshotSequenceNumbers("Counter|g1")).isEmpty();
      return null;
    });

    testKit.stop(leader);
    ActorRef<Counter.Command> again = testKit.spawn(ResourceEntity.leader(new Counter(),
        "g1", HERE));
    again.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(0));
  }

  @Test
  void byDefaultEveryEventStays() {
    var counter = new Counter(total -> 4);
    TestProbe<Reply> replies = testKit.createTestProbe();
    ActorRef<EntityCommand> entity = testKit.spawn(ResourceEntity.create(counter, "k1", HERE));
    add(entity, replies, 13);
    replies.awaitAssert(PATIENCE, () -> {
      assertThat(snapshotSequenceNumbers("Counter|k1")).containsExactly(8L, 12L);
      return null;
    });
    assertThat(journal.persistedInStorage("Counter|k1")).hasSize(13);
  }
}
