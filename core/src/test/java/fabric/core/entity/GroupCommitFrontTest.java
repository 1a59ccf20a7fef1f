package fabric.core.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import fabric.core.topology.NodeLocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands that arrive while the entity writes are written together in the next journal
 * write, answered in arrival order, and each answer reflects exactly the commands before it.
 */
class GroupCommitFrontTest {
  private static final NodeLocation HERE = new NodeLocation("node-1", "us-east-1", "us-east-1a");
  private static final ActorTestKit testKit = ActorTestKit.create(
      PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load()));
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private final List<Integer> writeSizes = new ArrayList<>();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void recordWrites() {
    journal.clearAll();
    journal.withPolicy(new ProcessingPolicy<JournalOperation>() {
      @Override
      public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
        if (op instanceof WriteEvents write) {
          synchronized (writeSizes) {
            writeSizes.add(write.batch().size());
          }
        }
        return ProcessingSuccess$.MODULE$;
      }
    });
  }

  @Test
  void concurrentCommandsShareJournalWritesAndAreAnsweredInOrder() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c1", HERE));
    TestProbe<Reply> replies = testKit.createTestProbe();
    int commands = 300;
    for (int i = 1; i <= commands; i++) {
      front.tell(new Counter.Add(i, replies.getRef()));
    }
    long expected = 0;
    for (int i = 1; i <= commands; i++) {
      expected += i;
      assertThat(replies.receiveMessage(Duration.ofSeconds(10)))
          .isEqualTo(new Counter.Total(expected));
    }
    synchronized (writeSizes) {
      assertThat(writeSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(commands);
      assertThat(writeSizes.size()).as("journal writes for %d commands", commands)
          .isLessThan(commands);
      assertThat(writeSizes).allMatch(n -> n <= GroupCommitFront.MAX_BATCH_COMMANDS);
    }
  }

  @Test
  void aRefusalInABatchWritesNothingForItAndTheOthersStillApply() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c2", HERE));
    TestProbe<Reply> replies = testKit.createTestProbe();
    front.tell(new Counter.Add(5, replies.getRef()));
    front.tell(new Counter.Add(-1, replies.getRef()));
    front.tell(new Counter.Add(7, replies.getRef()));
    assertThat(replies.receiveMessage()).isEqualTo(new Counter.Total(5));
    assertThat(replies.receiveMessage()).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.error().code()).isEqualTo("InvalidArgument"));
    assertThat(replies.receiveMessage()).isEqualTo(new Counter.Total(12));
    // Only after the acknowledgements: a read sent while a write is in flight is answered
    // from the last durable state, which may not hold that write yet.
    front.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage()).isEqualTo(new Counter.Total(12));
  }

  @Test
  void aReadSentAfterAnAcknowledgedWriteSeesThatWrite() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c5", HERE));
    TestProbe<Reply> writes = testKit.createTestProbe();
    TestProbe<Reply> reads = testKit.createTestProbe();
    for (int i = 1; i <= 100; i++) {
      front.tell(new Counter.Add(1, writes.getRef()));
      Reply ack = writes.receiveMessage(Duration.ofSeconds(10));
      front.tell(new Counter.Get(reads.getRef()));
      Counter.Total seen = (Counter.Total) reads.receiveMessage(Duration.ofSeconds(10));
      assertThat(seen.value()).as("read after ack %s", ack).isGreaterThanOrEqualTo(i);
    }
  }

  @Test
  void readsAreAnsweredWhileAWriteIsInFlightWithTheLastDurableState() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c6", HERE));
    TestProbe<Reply> probe = testKit.createTestProbe();
    front.tell(new Counter.Get(probe.getRef())); // before recovery: queued, then answered
    assertThat(probe.receiveMessage()).isEqualTo(new Counter.Total(0));
    for (int i = 0; i < 20; i++) {
      front.tell(new Counter.Add(10, probe.getRef()));
      front.tell(new Counter.Get(probe.getRef()));
    }
    List<Reply> all = probe.receiveSeveralMessages(40, Duration.ofSeconds(10));
    long lastTotal = 0;
    for (Reply r : all) {
      long v = ((Counter.Total) r).value();
      assertThat(v).isBetween(0L, 200L);
      if (v > lastTotal) {
        lastTotal = v;
      }
    }
    assertThat(lastTotal).isEqualTo(200);
  }

  @Test
  void aRestartedEntityRecoversEveryBatchedEvent() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c3", HERE));
    TestProbe<Reply> replies = testKit.createTestProbe();
    for (int i = 0; i < 50; i++) {
      front.tell(new Counter.Add(2, replies.getRef()));
    }
    replies.receiveSeveralMessages(50, Duration.ofSeconds(10));
    testKit.stop(front);

    ActorRef<Counter.Command> again = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c3", HERE));
    again.tell(new Counter.Get(replies.getRef()));
    assertThat(replies.receiveMessage()).isEqualTo(new Counter.Total(100));
  }

  @Test
  void stopFinishesTheWriteInFlightAndTheQueueBeforeStopping() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c4", HERE));
    TestProbe<Reply> replies = testKit.createTestProbe();
    TestProbe<Object> watcher = testKit.createTestProbe();
    AtomicInteger sent = new AtomicInteger();
    for (int i = 0; i < 20; i++) {
      front.tell(new Counter.Add(1, replies.getRef()));
      sent.incrementAndGet();
    }
    // What sharding sends on passivation and hand-off (untyped: it is not a Counter command).
    @SuppressWarnings("unchecked")
    ActorRef<Object> untyped = (ActorRef<Object>) (ActorRef<?>) front;
    untyped.tell(GroupCommitFront.Stop.INSTANCE);
    assertThat(replies.receiveSeveralMessages(sent.get(), Duration.ofSeconds(10)))
        .last().isEqualTo(new Counter.Total(20));
    watcher.expectTerminated(front, Duration.ofSeconds(10));
  }

  @Test
  void aWaitingCommandIsAnsweredAfterTheWriteThatSatisfiesIt() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c7", HERE));
    TestProbe<Reply> waiter = testKit.createTestProbe();
    TestProbe<Reply> writer = testKit.createTestProbe();
    long now = System.currentTimeMillis();
    front.tell(new Counter.WaitFor(10, now, now + 60_000, waiter.getRef()));
    front.tell(new Counter.Add(4, writer.getRef()));
    assertThat(writer.receiveMessage()).isEqualTo(new Counter.Total(4));
    waiter.expectNoMessage(Duration.ofMillis(200)); // 4 < 10: still waiting
    front.tell(new Counter.Add(6, writer.getRef()));
    assertThat(writer.receiveMessage()).isEqualTo(new Counter.Total(10));
    assertThat(waiter.receiveMessage()).isEqualTo(new Counter.Total(10));
  }

  @Test
  void aWaitEndsWithTheDeadlineAnswerWhenNothingChanges() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c8", HERE));
    TestProbe<Reply> waiter = testKit.createTestProbe();
    long now = System.currentTimeMillis();
    front.tell(new Counter.WaitFor(1, now, now + 300, waiter.getRef()));
    assertThat(waiter.receiveMessage()).isEqualTo(new Counter.Total(0));
  }

  @Test
  void stoppingAnswersEveryWaitingCommand() {
    ActorRef<Counter.Command> front = testKit.spawn(
        GroupCommitFront.create(new Counter(), "c9", HERE));
    TestProbe<Reply> waiter = testKit.createTestProbe();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 3; i++) {
      front.tell(new Counter.WaitFor(1, now, now + 600_000, waiter.getRef()));
    }
    front.tell(new Counter.Get(waiter.getRef())); // answered after the waits were parked
    assertThat(waiter.receiveMessage()).isEqualTo(new Counter.Total(0));
    @SuppressWarnings("unchecked")
    ActorRef<Object> untyped = (ActorRef<Object>) (ActorRef<?>) front;
    untyped.tell(GroupCommitFront.Stop.INSTANCE);
    assertThat(waiter.receiveSeveralMessages(3)).containsOnly(new Counter.Total(0));
  }
}
