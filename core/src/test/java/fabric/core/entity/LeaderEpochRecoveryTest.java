package fabric.core.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import fabric.core.epoch.EpochHistory;
import fabric.core.epoch.EpochStamped;
import fabric.core.epoch.LeaderEpoch;
import fabric.core.epoch.LeaderEpochStore;
import fabric.core.epoch.LeaderEpochs;
import fabric.core.replication.SerializedEvent;
import fabric.core.topology.NodeLocation;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A leader claims an epoch before it answers, stamps its events with it, and its replay
 * drops what a superseded leader wrote at or past a later epoch's start: the unacknowledged
 * orphans a partitioned leader can leave in a replicated journal.
 */
class LeaderEpochRecoveryTest {
  /**
   * How long a reply may take: the first test of the class also pays for the actor system's
   * and the journal's warm-up, which on a loaded CI machine took over the 3 s default.
   */
  private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(20);
  private static final NodeLocation HERE = new NodeLocation("node-1", "us-east-1", "us-east-1a");
  private static final ActorTestKit testKit = ActorTestKit.create(
      PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load()));
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private static final LeaderEpochStore epochs = LeaderEpochs.get(testKit.system()).store();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static EpochHistory epochsOf(String id) {
    return epochs.load("Counter|" + id).toCompletableFuture().join();
  }

  private static EpochStamped stamped(long epoch, long seqNr, int amount) {
    return new EpochStamped(epoch, seqNr,
        SerializedEvent.of(testKit.system(), new Counter.Added(amount)));
  }

  @Test
  void everyLeaderStartClaimsTheNextEpochFromWhereItsReplayEnded() {
    TestProbe<Reply> replies = testKit.createTestProbe();
    ActorRef<Counter.Command> first = testKit.spawn(
        GroupCommitFront.create(new Counter(), "e1", HERE));
    first.tell(new Counter.Add(2, replies.getRef()));
    first.tell(new Counter.Add(3, replies.getRef()));
    replies.receiveSeveralMessages(2, PATIENCE);
    testKit.stop(first);
    assertThat(epochsOf("e1").epochs()).containsExactly(new LeaderEpoch(1, 1, "node-1"));
    assertThat(journal.persistedInStorage("Counter|e1"))
        .containsExactly(stamped(1, 1, 2), stamped(1, 2, 3));

    ActorRef<Counter.Command> second = testKit.spawn(
        GroupCommitFront.create(new Counter(), "e1", HERE));
    second.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(5));
    assertThat(epochsOf("e1").latest()).contains(new LeaderEpoch(2, 3, "node-1"));
  }

  @Test
  void aSupersededLeadersUnacknowledgedTailIsDroppedOnReplay() {
    // Epoch 1 wrote seqNr 1 (acknowledged) and 2 (timed out, landed on one replica only);
    // epoch 2 recovered seqNr 1 and wrote its own event 2; the journal then holds epoch 1's
    // event 3 too (it kept writing while cut off). What stays: 1 and epoch 2's 2.
    String pid = "Counter|o1";
    epochs.claim(pid, new LeaderEpoch(1, 1, "node-a")).toCompletableFuture().join();
    epochs.claim(pid, new LeaderEpoch(2, 2, "node-b")).toCompletableFuture().join();
    journal.persistForRecovery(pid, List.of(stamped(1, 1, 5), stamped(2, 2, 7),
        stamped(1, 3, 1000)));

    TestProbe<Reply> replies = testKit.createTestProbe();
    ActorRef<Counter.Command> leader = testKit.spawn(
        GroupCommitFront.create(new Counter(), "o1", HERE));
    leader.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(12));
    // It claims from after the highest sequence number in the journal, orphan included, so
    // its own events never share a sequence number with anything there.
    assertThat(epochsOf("o1").latest()).contains(new LeaderEpoch(3, 4, "node-1"));

    leader.tell(new Counter.Add(1, replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(13));
    testKit.stop(leader);
    ActorRef<Counter.Command> again = testKit.spawn(
        GroupCommitFront.create(new Counter(), "o1", HERE));
    again.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(13));
  }

  @Test
  void eventsWrittenBeforeEpochsExistedStillReplay() {
    journal.persistForRecovery("Counter|old", List.of(new Counter.Added(4),
        new Counter.Added(6)));
    TestProbe<Reply> replies = testKit.createTestProbe();
    ActorRef<Counter.Command> leader = testKit.spawn(
        GroupCommitFront.create(new Counter(), "old", HERE));
    leader.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage(PATIENCE)).isEqualTo(new Counter.Total(10));
  }

  @Test
  void aLeaderWhoseEpochWasTakenMeanwhileAnswersNothingAndStops() {
    // Another leader claims epoch 1 after this one loaded the (empty) history: simulated by
    // a store that loses every claim.
    LeaderEpochs extension = LeaderEpochs.get(testKit.system());
    LeaderEpochStore real = extension.store();
    extension.use(new LeaderEpochStore() {
      @Override
      public java.util.concurrent.CompletionStage<EpochHistory> load(String persistenceId) {
        return real.load(persistenceId);
      }

      @Override
      public java.util.concurrent.CompletionStage<Boolean> claim(String persistenceId,
          LeaderEpoch epoch) {
        return java.util.concurrent.CompletableFuture.completedFuture(false);
      }
    });
    try {
      TestProbe<Reply> replies = testKit.createTestProbe();
      ActorRef<Counter.Command> loser = testKit.spawn(
          GroupCommitFront.create(new Counter(), "lost", HERE));
      loser.tell(new Counter.Add(1, replies.getRef()));
      assertThat(replies.receiveMessage(PATIENCE)).isInstanceOfSatisfying(Rejected.class,
          r -> assertThat(r.error().code()).isEqualTo("ServiceUnavailable"));
      replies.expectTerminated(loser, PATIENCE);
      assertThat(journal.persistedInStorage("Counter|lost")).isEmpty();
    } finally {
      extension.use(real);
    }
  }
}
