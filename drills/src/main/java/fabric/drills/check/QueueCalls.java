package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One queue's part of a history, as the queue checkers read it: its sends, and the messages
 * its OK receives delivered, in the order the answers arrived (a receive's messages in the
 * order the queue gave them), and for each body the first acknowledged delete of it.
 */
final class QueueCalls {
  /** One message as one OK receive delivered it. */
  record Delivery(Call receive, OpValue.Message message) {
    String body() {
      return message.body();
    }
  }

  final List<Call> sends = new ArrayList<>();
  final List<Delivery> deliveries = new ArrayList<>();
  /** Body to the OK delete that removed it first (lowest return index). */
  final Map<String, Call> firstDelete = new HashMap<>();

  private QueueCalls() {}

  static QueueCalls of(List<Call> calls, String queue) {
    QueueCalls q = new QueueCalls();
    List<Call> receives = new ArrayList<>();
    for (Call c : calls) {
      if (!c.key().equals(queue)) {
        continue;
      }
      switch (c.f()) {
        case Op.SEND -> q.sends.add(c);
        case Op.RECEIVE -> {
          if (c.isOk()) {
            receives.add(c);
          }
        }
        case Op.DELETE -> {
          if (c.isOk()) {
            for (OpValue.Message m : OpValue.messagesOf(c.value())) {
              q.firstDelete.merge(m.body(), c,
                  (a, b) -> a.returnIndex() <= b.returnIndex() ? a : b);
            }
          }
        }
        default -> { }
      }
    }
    receives.sort(Comparator.comparingLong(Call::returnIndex));
    for (Call r : receives) {
      for (OpValue.Message m : OpValue.messagesOf(r.value())) {
        q.deliveries.add(new Delivery(r, m));
      }
    }
    return q;
  }

  /** The body a send carried. */
  static String body(Call send) {
    return OpValue.text(send.invoke().value());
  }

  /**
   * The acknowledged delete of the delivery's message that completed before its receive was
   * sent, if any: the queue delivered a message it had confirmed deleting.
   */
  Call deletedBefore(Delivery d) {
    Call delete = firstDelete.get(d.body());
    return delete != null && delete.precedes(d.receive()) ? delete : null;
  }
}
