package fabric.queue.entity;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import fabric.queue.entity.QueueCommand.HandleEntry;
import fabric.queue.entity.QueueCommand.SendEntry;
import fabric.queue.entity.QueueCommand.VisibilityEntry;
import fabric.queue.message.MessageAttribute;
import fabric.queue.message.MessageDigests;
import fabric.queue.message.OutgoingMessage;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A standard queue as the cluster runs it (ResourceEntity over QueueDefinition) on the
 * in-memory journal, every command, event and state round-tripped through jackson-cbor.
 * Time is the commands' clock: T0 plus whatever each step says.
 */
class QueueEntityTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String ID = "111122223333/orders";
  private static ActorTestKit kit;
  private EventSourcedBehaviorTestKit<EntityCommand, QueueEvent, QueueState> queue;

  @BeforeAll
  static void start() {
    kit = EntityTestKit.actorTestKit("QueueEntityTest");
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void create() {
    queue = EntityTestKit.entity(kit, new QueueDefinition(), ID);
    assertThat(run(r -> new QueueCommand.Create("us-east-1", Map.of(), Map.of(), T0, r)))
        .isInstanceOf(QueueReply.Done.class);
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return queue.runCommand(command::apply).reply();
  }

  private static void rejected(Reply reply, String code) {
    assertThat(reply).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.error().code()).isEqualTo(code));
  }

  private QueueReply.SendResults send(long at, String... bodies) {
    List<SendEntry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < bodies.length; i++) {
      entries.add(new SendEntry("e" + i, "m-" + at + "-" + i,
          new OutgoingMessage(bodies[i], Map.of(), null, null, null)));
    }
    return (QueueReply.SendResults) run(r -> new QueueCommand.Send(entries, T0 + at, r));
  }

  private List<QueueReply.ReceivedMessage> receive(long at, int max) {
    return ((QueueReply.Received) run(r -> new QueueCommand.Receive(max, null, T0 + at, r)))
        .messages();
  }

  private Map<String, String> attributes(long at) {
    return ((QueueReply.Attributes) run(r -> new QueueCommand.GetAttributes(List.of("All"),
        T0 + at, r))).attributes();
  }

  @Test
  void createIsIdempotentWithTheSameAttributesAndRefusedWithOthers() {
    assertThat(run(r -> new QueueCommand.Create("us-east-1", Map.of(), Map.of(), T0 + 5, r)))
        .isInstanceOf(QueueReply.Done.class);
    Reply other = run(r -> new QueueCommand.Create("us-east-1",
        Map.of("VisibilityTimeout", "60"), Map.of(), T0 + 5, r));
    rejected(other, "QueueAlreadyExists");
    assertThat(((Rejected) other).error().message()).contains("VisibilityTimeout");
    assertThat(attributes(0)).containsEntry("VisibilityTimeout", "30")
        .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:111122223333:orders")
        .containsEntry("CreatedTimestamp", Long.toString(T0 / 1000));
  }

  @Test
  void aDeletedQueueIsGoneAndItsNameWaitsSixtySeconds() {
    run(r -> new QueueCommand.Delete(T0 + 1_000, r));
    rejected(run(r -> new QueueCommand.Receive(1, null, T0 + 2_000, r)), "QueueDoesNotExist");
    rejected(run(r -> new QueueCommand.Create("us-east-1", Map.of(), Map.of(), T0 + 30_000, r)),
        "QueueDeletedRecently");
    assertThat(run(r -> new QueueCommand.Create("us-east-1", Map.of(), Map.of(),
        T0 + 61_001, r))).isInstanceOf(QueueReply.Done.class);
  }

  @Test
  void aMessageIsReceivedWithItsDigestsThenHiddenUntilItsVisibilityTimeoutEnds() {
    OutgoingMessage withAttributes = new OutgoingMessage("hello ✓",
        Map.of("trace", MessageAttribute.string("t-1")), null, null, null);
    QueueReply.SendResults sent = (QueueReply.SendResults) run(r -> new QueueCommand.Send(
        List.of(new SendEntry("a", "m-1", withAttributes)), T0, r));
    assertThat(sent.successful()).singleElement().satisfies(s -> {
      assertThat(s.md5OfBody()).isEqualTo(MessageDigests.md5OfBody("hello ✓"));
      assertThat(s.md5OfAttributes()).isEqualTo(
          MessageDigests.md5OfAttributes(withAttributes.attributes()));
    });

    List<QueueReply.ReceivedMessage> first = receive(1_000, 10);
    assertThat(first).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo("hello ✓");
      assertThat(m.messageId()).isEqualTo("m-1");
      assertThat(m.systemAttributes()).containsEntry("ApproximateReceiveCount", "1")
          .containsEntry("SentTimestamp", Long.toString(T0));
    });
    assertThat(receive(30_999, 10)).as("in flight for 30 s").isEmpty();
    assertThat(attributes(30_999)).containsEntry("ApproximateNumberOfMessagesNotVisible", "1")
        .containsEntry("ApproximateNumberOfMessages", "0");

    List<QueueReply.ReceivedMessage> second = receive(31_000, 10);
    assertThat(second).singleElement().satisfies(m -> assertThat(m.systemAttributes())
        .containsEntry("ApproximateReceiveCount", "2")
        .containsEntry("ApproximateFirstReceiveTimestamp", Long.toString(T0 + 1_000)));
    assertThat(second.get(0).receiptHandle()).isNotEqualTo(first.get(0).receiptHandle());
  }

  @Test
  void onlyTheLatestReceiptHandleDeletesAndDeletingTwiceSucceeds() {
    send(0, "m");
    String old = receive(0, 1).get(0).receiptHandle();
    String latest = receive(31_000, 1).get(0).receiptHandle();
    QueueReply.BatchResults stale = (QueueReply.BatchResults) run(r ->
        new QueueCommand.DeleteMessages(List.of(new HandleEntry("x", old)), T0 + 32_000, r));
    assertThat(stale.failed()).singleElement()
        .satisfies(f -> assertThat(f.code()).isEqualTo("ReceiptHandleIsInvalid"));
    for (int i = 0; i < 2; i++) {
      QueueReply.BatchResults ok = (QueueReply.BatchResults) run(r ->
          new QueueCommand.DeleteMessages(List.of(new HandleEntry("y", latest)), T0 + 33_000, r));
      assertThat(ok.successful()).containsExactly("y");
    }
    assertThat(receive(100_000, 10)).isEmpty();
    assertThat(attributes(100_000)).containsEntry("ApproximateNumberOfMessages", "0")
        .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
  }

  @Test
  void delayedMessagesAppearWhenTheirDelayEnds() {
    run(r -> new QueueCommand.Send(List.of(new SendEntry("a", "m-1",
        new OutgoingMessage("later", Map.of(), 10, null, null))), T0, r));
    assertThat(receive(9_999, 1)).isEmpty();
    assertThat(attributes(9_999)).containsEntry("ApproximateNumberOfMessagesDelayed", "1");
    assertThat(receive(10_000, 1)).extracting(QueueReply.ReceivedMessage::body)
        .containsExactly("later");
  }

  @Test
  void messagesOlderThanTheRetentionPeriodDisappear() {
    run(r -> new QueueCommand.SetAttributes(Map.of("MessageRetentionPeriod", "60"), T0, r));
    send(0, "old");
    send(30_000, "young");
    assertThat(receive(60_000, 10)).extracting(QueueReply.ReceivedMessage::body)
        .containsExactly("young");
    // "old" was dropped by that receive; "young" is in flight.
    assertThat(attributes(61_000)).containsEntry("ApproximateNumberOfMessages", "0")
        .containsEntry("ApproximateNumberOfMessagesNotVisible", "1");
  }

  @Test
  void visibilityCanBeShortenedForAMessageInFlightOnly() {
    send(0, "m");
    String handle = receive(0, 1).get(0).receiptHandle();
    QueueReply.BatchResults changed = (QueueReply.BatchResults) run(r ->
        new QueueCommand.ChangeVisibility(List.of(new VisibilityEntry("v", handle, 0)),
            T0 + 1_000, r));
    assertThat(changed.successful()).containsExactly("v");
    assertThat(receive(1_000, 1)).hasSize(1);
    QueueReply.BatchResults notInFlight = (QueueReply.BatchResults) run(r ->
        new QueueCommand.ChangeVisibility(List.of(new VisibilityEntry("w", handle, 10)),
            T0 + 2_000, r));
    assertThat(notInFlight.failed()).singleElement()
        .satisfies(f -> assertThat(f.code()).isEqualTo("ReceiptHandleIsInvalid"));
  }

  @Test
  void aBatchAcceptsItsGoodEntriesAndReportsTheBadOnes() {
    QueueReply.SendResults results = (QueueReply.SendResults) run(r -> new QueueCommand.Send(
        List.of(new SendEntry("good", "m-1", new OutgoingMessage("ok", Map.of(), null, null,
                null)),
            new SendEntry("bad", "m-2", new OutgoingMessage("bell\u0007", Map.of(), null, null,
                null))), T0, r));
    assertThat(results.successful()).extracting(QueueReply.Sent::entryId).containsExactly("good");
    assertThat(results.failed()).singleElement().satisfies(f -> {
      assertThat(f.entryId()).isEqualTo("bad");
      assertThat(f.code()).isEqualTo("InvalidMessageContents");
      assertThat(f.senderFault()).isTrue();
    });
    assertThat(receive(0, 10)).extracting(QueueReply.ReceivedMessage::body).containsExactly("ok");
  }

  @Test
  void receivesAreOldestFirstAndAtMostTen() {
    for (int i = 0; i < 15; i++) {
      send(i, "m" + i);
    }
    assertThat(receive(100, 10)).extracting(QueueReply.ReceivedMessage::body)
        .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    rejected(run(r -> new QueueCommand.Receive(11, null, T0, r)), "InvalidParameterValue");
    rejected(run(r -> new QueueCommand.Receive(1, 43_201, T0, r)), "InvalidParameterValue");
  }

  @Test
  void aPurgeEmptiesTheQueueOncePerMinute() {
    send(0, "a", "b");
    assertThat(run(r -> new QueueCommand.Purge(T0 + 1_000, r)))
        .isInstanceOf(QueueReply.Done.class);
    send(2_000, "after");
    rejected(run(r -> new QueueCommand.Purge(T0 + 30_000, r)), "PurgeQueueInProgress");
    assertThat(receive(3_000, 10)).extracting(QueueReply.ReceivedMessage::body)
        .containsExactly("after");
  }

  @Test
  void aRestartedQueueHasEveryMessageAndItsVisibility() {
    send(0, "a", "b", "c");
    String handle = receive(0, 1).get(0).receiptHandle();
    queue.restart();
    assertThat(receive(1_000, 10)).extracting(QueueReply.ReceivedMessage::body)
        .containsExactly("b", "c");
    QueueReply.BatchResults deleted = (QueueReply.BatchResults) run(r ->
        new QueueCommand.DeleteMessages(List.of(new HandleEntry("d", handle)), T0 + 2_000, r));
    assertThat(deleted.successful()).containsExactly("d");
  }

  @Test
  void tagsAreSetRemovedListedAndLimited() {
    run(r -> new QueueCommand.Tag(Map.of("team", "payments", "env", "dev"), T0, r));
    run(r -> new QueueCommand.Untag(List.of("env", "absent"), T0, r));
    assertThat(((QueueReply.Tags) run(r -> new QueueCommand.ListTags(T0, r))).tags())
        .containsExactly(Map.entry("team", "payments"));
    rejected(run(r -> new QueueCommand.Tag(Map.of("aws:owner", "x"), T0, r)),
        "InvalidParameterValue");
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 50; i++) {
      many.put("k" + i, "v");
    }
    rejected(run(r -> new QueueCommand.Tag(many, T0, r)), "InvalidParameterValue");
  }

  @Test
  void anEmptyReceiveWithAWaitTimeParksUntilAHiddenMessageShowsOrTheWaitEnds() {
    List<SendEntry> delayed = List.of(new SendEntry("d", "m-delayed",
        new OutgoingMessage("later", Map.of(), 5, null, null)));
    run(r -> new QueueCommand.Send(delayed, T0, r));
    QueueCommand.Receive poll = new QueueCommand.Receive(1, null, 20, T0 + 1_000, T0 + 1_000,
        kit.createTestProbe(Reply.class).getRef());
    var outcome = new QueueDefinition().decide(queue.getState(), poll);
    assertThat(outcome).isInstanceOfSatisfying(fabric.core.entity.Outcome.Park.class, park -> {
      assertThat(park.wakeAtMillis()).isEqualTo(T0 + 5_000); // the delay ends
      assertThat(park.deadlineMillis()).isEqualTo(T0 + 21_000); // asked + WaitTimeSeconds
      assertThat(park.onDeadline()).isEqualTo(new QueueReply.Received(List.of()));
    });
    // Decided again when the delay ended: the message, and the wait still counts from the ask.
    var again = new QueueDefinition().decide(queue.getState(), poll.at(T0 + 5_000));
    assertThat(again).isInstanceOf(fabric.core.entity.Outcome.Persist.class);
    assertThat(new QueueDefinition().decide(queue.getState(), poll.at(T0 + 21_000)))
        .as("past its deadline a receive answers, it does not wait")
        .isInstanceOf(fabric.core.entity.Outcome.Persist.class);
  }

  @Test
  void theQueuesReceiveWaitTimeIsTheDefaultAndZeroAnswersAtOnce() {
    run(r -> new QueueCommand.SetAttributes(Map.of("ReceiveMessageWaitTimeSeconds", "7"),
        T0, r));
    var probe = kit.createTestProbe(Reply.class).getRef();
    var byDefault = new QueueDefinition().decide(queue.getState(),
        new QueueCommand.Receive(1, null, null, T0, T0, probe));
    assertThat(byDefault).isInstanceOfSatisfying(fabric.core.entity.Outcome.Park.class,
        park -> assertThat(park.deadlineMillis()).isEqualTo(T0 + 7_000));
    assertThat(new QueueDefinition().decide(queue.getState(),
        new QueueCommand.Receive(1, null, 0, T0, T0, probe)))
        .isInstanceOf(fabric.core.entity.Outcome.Respond.class);
  }
}
