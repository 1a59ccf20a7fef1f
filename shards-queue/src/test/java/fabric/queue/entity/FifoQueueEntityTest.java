package fabric.queue.entity;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import fabric.queue.entity.QueueCommand.HandleEntry;
import fabric.queue.entity.QueueCommand.SendEntry;
import fabric.queue.message.OutgoingMessage;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FIFO: strict order per group, a group blocked while a message of it is in flight, dedup. */
class FifoQueueEntityTest {
  private static final long T0 = 1_700_000_000_000L;
  private static ActorTestKit kit;
  private static int queues;
  private EventSourcedBehaviorTestKit<EntityCommand, QueueEvent, QueueState> queue;

  @BeforeAll
  static void start() {
    kit = EntityTestKit.actorTestKit("FifoQueueEntityTest");
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private void create(Map<String, String> attributes) {
    queue = EntityTestKit.entity(kit, new QueueDefinition(),
        "111122223333/jobs-" + (queues++) + ".fifo");
    assertThat(run(r -> new QueueCommand.Create("us-east-1", attributes, Map.of(), T0, r)))
        .isInstanceOf(QueueReply.Done.class);
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return queue.runCommand(command::apply).reply();
  }

  private QueueReply.Sent send(long at, String group, String dedup, String body) {
    QueueReply.SendResults r = (QueueReply.SendResults) run(ref -> new QueueCommand.Send(
        List.of(new SendEntry("e", "m-" + body + "-" + at, new OutgoingMessage(body, Map.of(),
            null, group, dedup))), T0 + at, ref));
    assertThat(r.failed()).isEmpty();
    return r.successful().get(0);
  }

  private List<QueueReply.ReceivedMessage> receive(long at, int max) {
    return ((QueueReply.Received) run(r -> new QueueCommand.Receive(max, null, T0 + at, r)))
        .messages();
  }

  private static List<String> bodies(List<QueueReply.ReceivedMessage> messages) {
    return messages.stream().map(QueueReply.ReceivedMessage::body).toList();
  }

  @Test
  void eachGroupComesOutInOrderAndWaitsWhileOneOfItsMessagesIsInFlight() {
    create(Map.of());
    send(0, "a", "1", "a1");
    send(1, "b", "2", "b1");
    send(2, "a", "3", "a2");
    send(3, "b", "4", "b2");
    List<QueueReply.ReceivedMessage> first = receive(10, 1);
    assertThat(bodies(first)).containsExactly("a1");
    // Group a is blocked while a1 is in flight: only b comes out, in order.
    assertThat(bodies(receive(20, 10))).containsExactly("b1", "b2");
    assertThat(receive(30, 10)).isEmpty();
    run(r -> new QueueCommand.DeleteMessages(List.of(new HandleEntry("d",
        first.get(0).receiptHandle())), T0 + 40, r));
    assertThat(bodies(receive(50, 10))).containsExactly("a2");
  }

  @Test
  void aMessageWhoseVisibilityTimesOutComesBackBeforeTheRestOfItsGroup() {
    create(Map.of());
    send(0, "g", "1", "first");
    send(1, "g", "2", "second");
    assertThat(bodies(receive(10, 1))).containsExactly("first");
    assertThat(bodies(receive(31_000, 10))).containsExactly("first", "second");
  }

  @Test
  void aDuplicateWithinFiveMinutesIsAcceptedButEnqueuedOnce() {
    create(Map.of());
    QueueReply.Sent original = send(0, "g", "same", "one");
    QueueReply.Sent duplicate = send(60_000, "g", "same", "one again");
    assertThat(duplicate.messageId()).isEqualTo(original.messageId());
    assertThat(duplicate.sequenceNumber()).isEqualTo(original.sequenceNumber());
    assertThat(bodies(receive(61_000, 10))).containsExactly("one");

    QueueReply.Sent later = send(300_001, "g", "same", "after the window");
    assertThat(later.messageId()).isNotEqualTo(original.messageId());
    assertThat(new java.math.BigInteger(later.sequenceNumber()))
        .isGreaterThan(new java.math.BigInteger(original.sequenceNumber()));
  }

  @Test
  void contentBasedDeduplicationUsesTheBodysSha256() {
    create(Map.of("ContentBasedDeduplication", "true"));
    QueueReply.Sent a = send(0, "g", null, "same body");
    QueueReply.Sent b = send(1, "other-group", null, "same body");
    assertThat(b.messageId()).as("queue scope: one dedup id space").isEqualTo(a.messageId());
    List<QueueReply.ReceivedMessage> got = receive(10, 10);
    assertThat(bodies(got)).containsExactly("same body");
    assertThat(got.get(0).systemAttributes()).containsEntry("MessageGroupId", "g")
        .containsEntry("SequenceNumber", a.sequenceNumber())
        .containsKey("MessageDeduplicationId");
  }

  @Test
  void underMessageGroupScopeTheSameIdInAnotherGroupIsANewMessage() {
    create(Map.of("DeduplicationScope", "messageGroup"));
    QueueReply.Sent a = send(0, "g1", "id", "x");
    QueueReply.Sent b = send(1, "g2", "id", "x");
    assertThat(b.messageId()).isNotEqualTo(a.messageId());
    assertThat(bodies(receive(10, 10))).containsExactly("x", "x");
  }

  @Test
  void theDedupWindowSurvivesARestart() {
    create(Map.of());
    QueueReply.Sent original = send(0, "g", "k", "once");
    queue.restart();
    assertThat(send(1_000, "g", "k", "twice").messageId()).isEqualTo(original.messageId());
    assertThat(bodies(receive(2_000, 10))).containsExactly("once");
  }
}
