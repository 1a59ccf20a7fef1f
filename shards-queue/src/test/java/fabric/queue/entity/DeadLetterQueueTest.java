package fabric.queue.entity;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import fabric.queue.entity.QueueCommand.SendEntry;
import fabric.queue.message.MessageAttribute;
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
 * A message received maxReceiveCount times leaves for the dead-letter queue on the next
 * receive: hidden under a lease in the source, taken once by the DLQ with its id, body,
 * attributes and original timestamp, removed from the source once the DLQ has it.
 */
class DeadLetterQueueTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String DLQ_ARN = "arn:aws:sqs:us-east-1:111122223333:orders-dlq";
  private static ActorTestKit kit;
  private EventSourcedBehaviorTestKit<EntityCommand, QueueEvent, QueueState> source;
  private EventSourcedBehaviorTestKit<EntityCommand, QueueEvent, QueueState> dlq;

  @BeforeAll
  static void start() {
    kit = EntityTestKit.actorTestKit("DeadLetterQueueTest");
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void create() {
    dlq = EntityTestKit.entity(kit, new QueueDefinition(), "111122223333/orders-dlq");
    run(dlq, r -> new QueueCommand.Create("us-east-1", Map.of(), Map.of(), T0, r));
    source = EntityTestKit.entity(kit, new QueueDefinition(), "111122223333/orders");
    run(source, r -> new QueueCommand.Create("us-east-1", Map.of("RedrivePolicy",
        "{\"deadLetterTargetArn\":\"" + DLQ_ARN + "\",\"maxReceiveCount\":2}"), Map.of(), T0,
        r));
  }

  private static Reply run(EventSourcedBehaviorTestKit<EntityCommand, QueueEvent, QueueState> q,
      Function<ActorRef<Reply>, EntityCommand> command) {
    return q.runCommand(command::apply).reply();
  }

  private QueueReply.Received receive(
      EventSourcedBehaviorTestKit<EntityCommand, QueueEvent, QueueState> q, long at) {
    // VisibilityTimeout 0: visible again at once, so each receive counts.
    return (QueueReply.Received) run(q, r -> new QueueCommand.Receive(10, 0, T0 + at, r));
  }

  @Test
  void pastMaxReceiveCountAMessageMovesToTheDlqOnceKeepingItsIdBodyAndAttributes() {
    MessageAttribute kind = MessageAttribute.string("poison");
    run(source, r -> new QueueCommand.Send(List.of(new SendEntry("e", "m-1",
        new OutgoingMessage("bad job", Map.of("kind", kind), null, null, null))), T0, r));
    assertThat(receive(source, 1).messages()).hasSize(1);
    assertThat(receive(source, 2).messages()).hasSize(1);

    QueueReply.Received third = receive(source, 3);
    assertThat(third.messages()).as("not delivered a third time").isEmpty();
    assertThat(third.deadLetters().targetArn()).isEqualTo(DLQ_ARN);
    StoredMessage leaving = third.deadLetters().messages().get(0);
    assertThat(leaving.messageId()).isEqualTo("m-1");
    assertThat(leaving.deadLetterSourceArn())
        .isEqualTo("arn:aws:sqs:us-east-1:111122223333:orders");
    assertThat(receive(source, 4).deadLetters()).as("hidden while it moves").isNull();

    // The mover retries (an answer was lost): the DLQ still holds it once.
    run(dlq, r -> new QueueCommand.AcceptMoved(List.of(leaving), T0 + 5, r));
    run(dlq, r -> new QueueCommand.AcceptMoved(List.of(leaving), T0 + 6, r));
    run(source, r -> new QueueCommand.MovedOut(List.of(leaving.seq()), null, T0 + 7,
        r));
    assertThat(source.getState().messages().size()).isZero();

    List<QueueReply.ReceivedMessage> inDlq = receive(dlq, 10).messages();
    assertThat(inDlq).singleElement().satisfies(m -> {
      assertThat(m.messageId()).isEqualTo("m-1");
      assertThat(m.body()).isEqualTo("bad job");
      assertThat(m.attributes()).containsEntry("kind", kind);
      assertThat(m.systemAttributes())
          .containsEntry("SentTimestamp", Long.toString(T0))
          .containsEntry("DeadLetterQueueSourceArn",
              "arn:aws:sqs:us-east-1:111122223333:orders");
    });
  }

  @Test
  void aMoveThatNeverConfirmsHandsTheMessageOutAgainAfterItsLease() {
    run(source, r -> new QueueCommand.Send(List.of(new SendEntry("e", "m-2",
        new OutgoingMessage("job", Map.of(), null, null, null))), T0, r));
    receive(source, 1);
    receive(source, 2);
    assertThat(receive(source, 3).deadLetters().messages()).hasSize(1);
    long afterLease = 3 + MessageDecisions.DEAD_LETTER_LEASE_MILLIS;
    assertThat(receive(source, afterLease).deadLetters().messages())
        .extracting(StoredMessage::messageId).containsExactly("m-2");
  }

  /** A message dead-lettered from the source, now in the DLQ; returns what left. */
  private StoredMessage deadLetter(String messageId) {
    run(source, r -> new QueueCommand.Send(List.of(new SendEntry("e", messageId,
        new OutgoingMessage("job " + messageId, Map.of(), null, null, null))), T0, r));
    receive(source, 1);
    receive(source, 2);
    StoredMessage leaving = receive(source, 3).deadLetters().messages().get(0);
    run(dlq, r -> new QueueCommand.AcceptMoved(List.of(leaving), T0 + 4, r));
    run(source, r -> new QueueCommand.MovedOut(List.of(leaving.seq()), null, T0 + 5, r));
    return leaving;
  }

  @Test
  void aMoveTaskReturnsDeadLettersToTheirSourceAsNewAndThenCompletes() {
    deadLetter("m-3");
    run(dlq, r -> new QueueCommand.StartMoveTask("task-1", null, null, T0 + 10, r));
    assertThat(run(dlq, r -> new QueueCommand.StartMoveTask("task-2", null, null, T0 + 11, r)))
        .isInstanceOfSatisfying(fabric.core.entity.Rejected.class, x -> assertThat(
            x.error().code()).isEqualTo("UnsupportedOperation"));

    var batch = (QueueReply.MoveBatch) run(dlq, r -> new QueueCommand.TakeForMove("task-1",
        10, T0 + 12, r));
    assertThat(batch.moves()).singleElement().satisfies(move -> {
      assertThat(move.destinationArn()).isEqualTo("arn:aws:sqs:us-east-1:111122223333:orders");
      assertThat(move.message().receiveCount()).as("starts over").isZero();
      assertThat(move.message().deadLetterSourceArn()).isNull();
    });
    StoredMessage back = batch.moves().get(0).message();
    run(source, r -> new QueueCommand.AcceptMoved(List.of(back), T0 + 13, r));
    run(dlq, r -> new QueueCommand.MovedOut(List.of(back.seq()), "task-1", T0 + 14, r));

    var done = (QueueReply.MoveBatch) run(dlq, r -> new QueueCommand.TakeForMove("task-1", 10,
        T0 + 15, r));
    assertThat(done.moves()).isEmpty();
    assertThat(done.task().status()).isEqualTo(MoveTask.COMPLETED);
    assertThat(done.task().moved()).isEqualTo(1);
    assertThat(done.task().toMove()).isEqualTo(1);
    assertThat(receive(source, 20).messages()).extracting(QueueReply.ReceivedMessage::messageId)
        .containsExactly("m-3");
  }

  @Test
  void aCancelledMoveTaskMovesNothingMoreAndBadRatesAreRefused() {
    deadLetter("m-4");
    assertThat(run(dlq, r -> new QueueCommand.StartMoveTask("t", null, 501, T0 + 10, r)))
        .isInstanceOfSatisfying(fabric.core.entity.Rejected.class, x -> assertThat(
            x.error().code()).isEqualTo("InvalidParameterValue"));
    run(dlq, r -> new QueueCommand.StartMoveTask("t", null, 5, T0 + 10, r));
    var cancelled = (QueueReply.MoveTaskState) run(dlq, r -> new QueueCommand.CancelMoveTask(
        "t", T0 + 11, r));
    assertThat(cancelled.task().status()).isEqualTo(MoveTask.CANCELLED);
    var none = (QueueReply.MoveBatch) run(dlq, r -> new QueueCommand.TakeForMove("t", 10,
        T0 + 12, r));
    assertThat(none.moves()).isEmpty();
    assertThat(((QueueReply.MoveTasks) run(dlq, r -> new QueueCommand.ListMoveTasks(T0 + 13,
        r))).tasks()).extracting(MoveTask::status).containsExactly(MoveTask.CANCELLED);
  }
}
