package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.Durations;
import fabric.drills.history.History;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a queue delivered every acknowledged message (after the workload stopped and
 * the faults healed, the queue was drained): an acknowledged send whose body no OK receive
 * ever returned is lost, a {@link LostWrite}. A send that failed or timed out is unknown: it
 * may or may not arrive, and either is fine. A delivered body that no send carried, or only
 * sends the queue definitely refused, is a {@link QueueViolation#PHANTOM}.
 *
 * <p>Redeliveries (a message received again after its visibility timeout, or after a
 * failover) are counted, not judged: queues are at-least-once. So are messages delivered
 * again after their delete was acknowledged; for FIFO queues {@link FifoOrderChecker} makes
 * those a violation.
 *
 * <p>Bodies must be unique per queue (the workload sends each once; a FIFO retry carries
 * the same deduplication id). A queue without any acknowledged send is inconclusive: a drill
 * that sent nothing checked nothing.
 */
public final class MessageDeliveryChecker {
  public static final String NAME = "sqs-delivery";

  private MessageDeliveryChecker() {}

  /** The checker's name for one queue, as the reports show it. */
  public static String name(String queue) {
    return NAME + " " + queue;
  }

  public static CheckResult check(History history, String queue) {
    return check(history.calls(), queue);
  }

  public static CheckResult check(List<Call> calls, String queue) {
    QueueCalls q = QueueCalls.of(calls, queue);
    Map<String, Call> acked = new LinkedHashMap<>();
    Set<String> unknown = new HashSet<>();
    Set<String> refused = new HashSet<>();
    for (Call send : q.sends) {
      String body = QueueCalls.body(send);
      switch (send.outcome()) {
        case OK -> acked.putIfAbsent(body, send);
        case FAIL -> refused.add(body);
        default -> unknown.add(body);
      }
    }
    // A body is acknowledged once any try of it was (a FIFO retry with the same
    // deduplication id), else unknown if any try may have enqueued it, else refused.
    unknown.removeAll(acked.keySet());
    refused.removeAll(acked.keySet());
    refused.removeAll(unknown);
    List<Violation> violations = new ArrayList<>();
    Map<String, Integer> deliveries = new HashMap<>();
    long afterDelete = 0;
    long lastReceiveNanos = 0;
    for (QueueCalls.Delivery d : q.deliveries) {
      String body = d.body();
      lastReceiveNanos = Math.max(lastReceiveNanos, d.receive().endNanos());
      if (deliveries.merge(body, 1, Integer::sum) == 1 && !acked.containsKey(body)
          && !unknown.contains(body)) {
        String why = refused.contains(body) ? "only by sends the queue refused" : "by no send";
        violations.add(new QueueViolation(queue, QueueViolation.PHANTOM, body,
            d.message().id(), d.receive().endNanos(), "queue " + queue + ": received "
                + OpValue.show(body) + " (message " + d.message().id() + ") at "
                + Durations.ms(d.receive().endNanos()) + " ms, which was sent " + why));
      }
      if (q.deletedBefore(d) != null) {
        afterDelete++;
      }
    }
    long unknownArrived = unknown.stream().filter(deliveries::containsKey).count();
    for (Call send : acked.values()) {
      String body = QueueCalls.body(send);
      if (!deliveries.containsKey(body)) {
        String id = send.value() instanceof OpValue.Message m ? m.id() : "?";
        violations.add(new LostWrite(queue, body, send.process(), send.startNanos(),
            send.endNanos(), "queue " + queue + ": acknowledged send of " + OpValue.show(body)
                + " (message " + id + ") was never received: " + deliveries.size()
                + " distinct messages received, the last receive completed at "
                + Durations.ms(lastReceiveNanos) + " ms (p" + send.process() + ", sent at "
                + Durations.ms(send.startNanos()) + " ms, acknowledged at "
                + Durations.ms(send.endNanos()) + " ms)"));
      }
    }
    long total = deliveries.values().stream().mapToLong(Integer::longValue).sum();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("sends_ok", (long) acked.size());
    counts.put("sends_unknown", (long) unknown.size());
    counts.put("sends_failed", (long) refused.size());
    counts.put("unknown_sends_received", unknownArrived);
    counts.put("messages_received", (long) deliveries.size());
    counts.put("deliveries", total);
    counts.put("redeliveries", total - deliveries.size());
    counts.put("delivered_after_delete", afterDelete);
    counts.put("lost", violations.stream().filter(v -> v instanceof LostWrite).count());
    List<Inconclusive> inconclusive = acked.isEmpty()
        ? List.of(new Inconclusive(name(queue), queue, "no send was acknowledged"))
        : List.of();
    return CheckResult.of(name(queue), 1, violations, inconclusive, counts);
  }
}
