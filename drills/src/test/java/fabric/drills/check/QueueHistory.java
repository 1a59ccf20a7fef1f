package fabric.drills.check;

import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import fabric.drills.history.SteppingClock;
import java.util.Arrays;
import java.util.List;

/**
 * Terse hand-made queue histories: one event per line of test, 1 ms apart. A message's id is
 * {@code id-<body>} unless a test says otherwise.
 */
final class QueueHistory {
  final History history = new History(SteppingClock.millis());
  final String queue;

  QueueHistory(String queue) {
    this.queue = queue;
  }

  static OpValue.Message message(String body) {
    return new OpValue.Message("id-" + body, body);
  }

  private static List<OpValue.Message> messages(String... bodies) {
    return Arrays.stream(bodies).map(QueueHistory::message).toList();
  }

  Op send(int process, String body) {
    return history.invoke(process, Op.SEND, queue, OpValue.of(body));
  }

  /** The send is acknowledged; the queue calls the message {@code id-<body>}. */
  void acked(Op send) {
    history.ok(send, message(OpValue.text(send.value())));
  }

  void sendOk(int process, String body) {
    acked(send(process, body));
  }

  void sendUnknown(int process, String body) {
    info(send(process, body));
  }

  void sendRefused(int process, String body) {
    history.fail(send(process, body), "INVALID_ARGUMENT");
  }

  Op receive(int process) {
    return history.invoke(process, Op.RECEIVE, queue, null);
  }

  void received(Op receive, String... bodies) {
    history.ok(receive, OpValue.messages(messages(bodies)));
  }

  void received(Op receive, OpValue.Message... messages) {
    history.ok(receive, OpValue.messages(List.of(messages)));
  }

  /** A receive sent and answered with these messages, nothing in between. */
  void receiveNow(int process, String... bodies) {
    received(receive(process), bodies);
  }

  Op delete(int process, String... bodies) {
    return history.invoke(process, Op.DELETE, queue, OpValue.messages(messages(bodies)));
  }

  /** The delete answered: these of its messages were deleted. */
  void deleted(Op delete, String... bodies) {
    history.ok(delete, OpValue.messages(messages(bodies)));
  }

  void deleteNow(int process, String... bodies) {
    deleted(delete(process, bodies), bodies);
  }

  void info(Op invoke) {
    history.info(invoke, "DEADLINE_EXCEEDED");
  }
}
