package fabric.queue.entity;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.Reply;
import fabric.core.entity.ResourceEntity;
import fabric.core.testkit.EntityTestKit;
import fabric.queue.entity.QueueCommand.SendEntry;
import fabric.queue.message.OutgoingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A queue longer than its in-memory window (4 fresh messages here, 10,000 in the fabric)
 * keeps the rest only in its journal and reads it back as receives drain memory: every
 * message comes out once, in order, also after a restart; the state stays at the window.
 */
class QueueBacklogTest {
  private static final int WINDOW = 4;
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = EntityTestKit.actorTestKit("QueueBacklogTest");
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static ActorRef<QueueCommand> leader(String id) {
    return kit.spawn(ResourceEntity.leader(new QueueDefinition(WINDOW), id,
        EntityTestKit.LOCATION));
  }

  private static Reply ask(ActorRef<QueueCommand> queue,
      java.util.function.Function<ActorRef<Reply>, QueueCommand> command) {
    TestProbe<Reply> probe = kit.createTestProbe();
    queue.tell(command.apply(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(15));
  }

  private static void sendAll(ActorRef<QueueCommand> queue, int from, int to) {
    for (int i = from; i < to; i += 3) { // batches of up to 3: events hold several messages
      List<SendEntry> entries = new ArrayList<>();
      for (int j = i; j < Math.min(i + 3, to); j++) {
        entries.add(new SendEntry("e" + j, "m-" + j,
            new OutgoingMessage("body " + j, Map.of(), null, null, null)));
      }
      assertThat(ask(queue, r -> new QueueCommand.Send(entries, System.currentTimeMillis(), r)))
          .isInstanceOf(QueueReply.SendResults.class);
    }
  }

  /** Receives (3 at a time) and deletes until at least {@code count} messages came out;
   *  returns their bodies. */
  private static List<String> drain(ActorRef<QueueCommand> queue, int count) {
    List<String> bodies = new ArrayList<>();
    for (int polls = 0; bodies.size() < count && polls < 30; polls++) {
      long now = System.currentTimeMillis();
      var received = (QueueReply.Received) ask(queue, r -> new QueueCommand.Receive(3, 60, 1,
          now, now, r));
      for (QueueReply.ReceivedMessage m : received.messages()) {
        bodies.add(m.body());
        ask(queue, r -> new QueueCommand.DeleteMessages(List.of(new QueueCommand.HandleEntry(
            "d", m.receiptHandle())), System.currentTimeMillis(), r));
      }
    }
    return bodies;
  }

  private static List<String> bodies(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("body " + i);
    }
    return out;
  }

  private static Map<String, String> counts(ActorRef<QueueCommand> queue) {
    return ((QueueReply.Attributes) ask(queue, r -> new QueueCommand.GetAttributes(
        List.of("All"), System.currentTimeMillis(), r))).attributes();
  }

  @Test
  void messagesBeyondTheWindowComeBackFromTheJournalInOrder() {
    ActorRef<QueueCommand> queue = leader("111122223333/long");
    ask(queue, r -> new QueueCommand.Create("us-east-1", Map.of(), Map.of(),
        System.currentTimeMillis(), r));
    sendAll(queue, 0, 25);
    assertThat(counts(queue)).containsEntry("ApproximateNumberOfMessages", "25");
    assertThat(drain(queue, 25)).containsExactlyElementsOf(bodies(0, 25));
    assertThat(counts(queue)).containsEntry("ApproximateNumberOfMessages", "0");
  }

  @Test
  void aRestartedQueueStillHasEveryMessageOfItsBacklog() {
    ActorRef<QueueCommand> queue = leader("111122223333/restarted");
    ask(queue, r -> new QueueCommand.Create("us-east-1", Map.of(), Map.of(),
        System.currentTimeMillis(), r));
    sendAll(queue, 0, 20);
    List<String> first = drain(queue, 6);
    kit.stop(queue);

    ActorRef<QueueCommand> again = leader("111122223333/restarted");
    sendAll(again, 20, 24);
    List<String> rest = drain(again, 24 - first.size()); // a receive may return fewer than 3
    List<String> all = new ArrayList<>(first);
    all.addAll(rest);
    assertThat(all).containsExactlyElementsOf(bodies(0, 24));
  }

  @Test
  void aPurgeEmptiesTheBacklogToo() {
    ActorRef<QueueCommand> queue = leader("111122223333/purged");
    ask(queue, r -> new QueueCommand.Create("us-east-1", Map.of(), Map.of(),
        System.currentTimeMillis(), r));
    sendAll(queue, 0, 12);
    ask(queue, r -> new QueueCommand.Purge(System.currentTimeMillis(), r));
    sendAll(queue, 100, 103);
    assertThat(counts(queue)).containsEntry("ApproximateNumberOfMessages", "3");
    assertThat(drain(queue, 3)).containsExactlyElementsOf(bodies(100, 103));
  }
}
