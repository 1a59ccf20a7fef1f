package fabric.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import fabric.core.entity.Counter;
import fabric.core.entity.Reply;
import fabric.core.topology.NodeLocation;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A follower starts from the journal, applies pushes in sequence order, ignores duplicates,
 * and catches up from the journal when a push or heartbeat shows it missed something.
 */
class FollowerEntityTest {
  private static final NodeLocation HERE = new NodeLocation("node-2", "us-east-1", "us-east-1b");
  private static final ActorTestKit testKit = ActorTestKit.create(
      PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load()));
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    journal.clearAll();
  }

  @Test
  void startsFromTheJournalThenAppliesPushesInOrderAndIgnoresDuplicates() {
    journal.persistForRecovery("Counter|c1", List.of(added(1), added(2), added(3)));
    ActorRef<Object> follower = spawn("c1");
    assertTotal(follower, 6);

    Replicate fourth = push("c1", 4, added(10));
    follower.tell(fourth);
    assertTotal(follower, 16);
    follower.tell(fourth); // a duplicate (a resend) changes nothing
    follower.tell(push("c1", 3, added(3), added(10))); // overlapping: only the new part counts
    assertTotal(follower, 16);
    assertThat(statusOf("c1").appliedSeqNr()).isEqualTo(4);
    assertThat(statusOf("c1").lagEvents()).isZero();
  }

  @Test
  void aGapInPushesIsFilledFromTheJournal() {
    journal.persistForRecovery("Counter|c2", List.of(added(1)));
    ActorRef<Object> follower = spawn("c2");
    assertTotal(follower, 1);

    // The leader wrote 2..4, but the push of 2..3 was lost; 4 arrives.
    journal.persistForRecovery("Counter|c2", List.of(added(2), added(3), added(4)));
    follower.tell(push("c2", 4, added(4)));
    assertTotal(follower, 10);
    assertThat(statusOf("c2").appliedSeqNr()).isEqualTo(4);
  }

  @Test
  void aHeartbeatAheadOfTheFollowerTriggersCatchUp() {
    journal.persistForRecovery("Counter|c3", List.of(added(5)));
    ActorRef<Object> follower = spawn("c3");
    assertTotal(follower, 5);

    journal.persistForRecovery("Counter|c3", List.of(added(7)));
    follower.tell(new Replicate("c3", 3, 2, List.of(), System.currentTimeMillis(), "node-1"));
    assertTotal(follower, 12);
  }

  @Test
  void pushesThatArriveDuringTheFirstCatchUpAreNotLost() {
    journal.persistForRecovery("Counter|c4", List.of(added(1), added(1)));
    ActorRef<Object> follower = spawn("c4");
    // Sent before the follower finished replaying: kept, then applied after the replay.
    follower.tell(push("c4", 3, added(100)));
    assertTotal(follower, 102);
  }

  @Test
  void writesAreRefusedAndNotApplied() {
    journal.persistForRecovery("Counter|c5", List.of(added(1)));
    ActorRef<Object> follower = spawn("c5");
    TestProbe<Reply> probe = testKit.createTestProbe();
    follower.tell(new Counter.Add(5, probe.getRef()));
    assertThat(probe.receiveMessage()).isInstanceOf(fabric.core.entity.Rejected.class);
    assertTotal(follower, 1);
  }

  private static ActorRef<Object> spawn(String id) {
    return testKit.spawn(FollowerEntity.create(new Counter(), FollowerIds.entityId(HERE.az(), id),
        HERE));
  }

  private static Counter.Added added(int amount) {
    return new Counter.Added(amount);
  }

  /** A push of events ending at {@code lastSeqNr}. */
  private static Replicate push(String id, long lastSeqNr, Counter.Added... events) {
    return new Replicate(id, lastSeqNr - events.length + 1, lastSeqNr,
        SerializedEvent.serializeAll(testKit.system(), List.of(events)),
        System.currentTimeMillis(), "node-1");
  }

  private static void assertTotal(ActorRef<Object> follower, long expected) {
    TestProbe<Reply> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      follower.tell(new Counter.Get(probe.getRef()));
      assertThat(probe.receiveMessage()).isEqualTo(new Counter.Total(expected));
      return null;
    });
  }

  private static FollowerStatus statusOf(String id) {
    return ReplicationStatus.get(testKit.system()).followers().stream()
        .filter(f -> f.resourceId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void failedCatchUpsBackOffToAtMostThirtySeconds() {
    assertThat(FollowerEntity.catchUpBackoff(0)).isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(FollowerEntity.catchUpBackoff(1)).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(FollowerEntity.catchUpBackoff(5)).isEqualTo(java.time.Duration.ofSeconds(16));
    assertThat(FollowerEntity.catchUpBackoff(6)).isEqualTo(FollowerEntity.MAX_CATCH_UP_BACKOFF);
    assertThat(FollowerEntity.catchUpBackoff(1_000)).isEqualTo(
        FollowerEntity.MAX_CATCH_UP_BACKOFF);
  }
}
