package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.Durations;
import fabric.drills.history.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what a FIFO queue promises beyond delivery (bodies are {@link FifoBody}s, each
 * group's sends made one after the other, each retried with its deduplication id until
 * acknowledged):
 * <ul>
 *   <li><b>order</b>: within a group, the first deliveries of acknowledged messages come in
 *       counter order. The deliveries are ordered by when their receive answered; that is
 *       the queue's order because a group's next message is only handed out once the one
 *       before is deleted (by its receiver, after its receive answered) or its visibility
 *       timeout expired (longer than any receive the workload waits for). A message whose
 *       send was never acknowledged may have been enqueued late and takes no part;
 *   <li><b>deleted stays deleted</b>: no receive sent after a delete of a message was
 *       acknowledged returns that message again ({@link QueueViolation#BACK_AFTER_DELETE});
 *   <li><b>exactly once</b>: one body, one message: a body delivered under two message ids
 *       was enqueued twice despite its deduplication id.
 * </ul>
 */
public final class FifoOrderChecker {
  public static final String NAME = "sqs-fifo";

  private FifoOrderChecker() {}

  /** The checker's name for one queue, as the reports show it. */
  public static String name(String queue) {
    return NAME + " " + queue;
  }

  public static CheckResult check(History history, String queue) {
    return check(history.calls(), queue);
  }

  public static CheckResult check(List<Call> calls, String queue) {
    QueueCalls q = QueueCalls.of(calls, queue);
    Set<String> acked = new HashSet<>();
    for (Call send : q.sends) {
      if (send.isOk()) {
        acked.add(QueueCalls.body(send));
      }
    }
    List<Violation> violations = new ArrayList<>();
    Map<Integer, QueueCalls.Delivery> latestFirst = new HashMap<>();
    Map<String, String> idOfBody = new HashMap<>();
    Set<String> enqueuedTwice = new HashSet<>();
    Set<Integer> groups = new HashSet<>();
    long firstDeliveries = 0;
    for (QueueCalls.Delivery d : q.deliveries) {
      FifoBody fifo = FifoBody.parse(d.body()).orElse(null);
      if (fifo == null) {
        continue; // no drill message: the delivery checker reports it
      }
      groups.add(fifo.group());
      String what = describe(d);
      Call delete = q.deletedBefore(d);
      if (delete != null) {
        violations.add(violation(queue, QueueViolation.BACK_AFTER_DELETE, d, "queue " + queue
            + ": deleted message came back: " + what + " (receive sent at "
            + Durations.ms(d.receive().startNanos()) + " ms), after p" + delete.process()
            + "'s delete of it was acknowledged at " + Durations.ms(delete.endNanos())
            + " ms"));
      }
      String firstId = idOfBody.putIfAbsent(d.body(), d.message().id());
      if (firstId == null) {
        firstDeliveries++;
        if (acked.contains(d.body())) {
          QueueCalls.Delivery previous = latestFirst.get(fifo.group());
          long previousCounter = previous == null ? -1
              : FifoBody.parse(previous.body()).orElseThrow().counter();
          if (fifo.counter() < previousCounter) {
            violations.add(violation(queue, QueueViolation.OUT_OF_ORDER, d, "queue " + queue
                + ": group " + fifo.groupId() + " out of order: first delivery of " + what
                + " after the first delivery of " + describe(previous)));
          } else {
            latestFirst.put(fifo.group(), d);
          }
        }
      } else if (!firstId.equals(d.message().id()) && enqueuedTwice.add(d.body())) {
        violations.add(violation(queue, QueueViolation.ENQUEUED_TWICE, d, "queue " + queue
            + ": enqueued twice despite its deduplication id: " + what + ", first delivered "
            + "as message " + firstId));
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("groups", (long) groups.size());
    counts.put("first_deliveries", firstDeliveries);
    return CheckResult.of(name(queue), 1, violations, List.of(), counts);
  }

  /** {@code "g1:3" (message m-17) received by p5 at 1200.000 ms}. */
  private static String describe(QueueCalls.Delivery d) {
    return "\"" + d.body() + "\" (message " + d.message().id() + ") received by p"
        + d.receive().process() + " at " + Durations.ms(d.receive().endNanos()) + " ms";
  }

  private static QueueViolation violation(String queue, String kind, QueueCalls.Delivery d,
      String message) {
    return new QueueViolation(queue, kind, d.body(), d.message().id(), d.receive().endNanos(),
        message);
  }
}
