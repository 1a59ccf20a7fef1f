package fabric.drills.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fabric.drills.check.CheckResult;
import fabric.drills.check.FifoOrderChecker;
import fabric.drills.check.MessageDeliveryChecker;
import fabric.drills.history.Call;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The reports of an SQS drill: its ops, counts, lost messages and FIFO violations. */
class QueueReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TimedHistory t = new TimedHistory();

  private static OpValue.Message m(String body) {
    return new OpValue.Message("id-" + body, body);
  }

  private void send(int process, String queue, String body, long fromMs, long toMs,
      boolean acked) {
    Op s = t.at(fromMs).history.invoke(process, Op.SEND, queue, OpValue.of(body));
    if (acked) {
      t.at(toMs).history.ok(s, m(body));
    } else {
      t.at(toMs).history.info(s, "UNAVAILABLE");
    }
  }

  private void receive(int process, String queue, long fromMs, long toMs, String... bodies) {
    Op r = t.at(fromMs).history.invoke(process, Op.RECEIVE, queue, null);
    t.at(toMs).history.ok(r, OpValue.messages(
        java.util.Arrays.stream(bodies).map(QueueReportTest::m).toList()));
  }

  private void delete(int process, String queue, long fromMs, long toMs, String... bodies) {
    OpValue ms = OpValue.messages(java.util.Arrays.stream(bodies).map(QueueReportTest::m)
        .toList());
    Op d = t.at(fromMs).history.invoke(process, Op.DELETE, queue, ms);
    t.at(toMs).history.ok(d, ms);
  }

  /**
   * A standard queue "s" and a FIFO queue "f.fifo"; node-2 (the FIFO queue's leader) killed
   * at 1000 ms, the FIFO queue back at 2500 ms; p1's send of p1-2 acknowledged but never
   * received, and g0:0 delivered again after its delete was acknowledged.
   */
  private DrillReport report() {
    send(1, "s", "p1-1", 0, 10, true);
    send(2, "f.fifo", "g0:0", 20, 30, true);
    receive(3, "s", 40, 50, "p1-1");
    delete(3, "s", 60, 70, "p1-1");
    receive(4, "f.fifo", 80, 90, "g0:0");
    delete(4, "f.fifo", 100, 110, "g0:0");
    FaultEvent kill = t.at(1000).fault("kill -9", "node-2");
    Op unknown = t.at(1100).history.invoke(2, Op.SEND, "f.fifo", OpValue.of("g0:1"));
    send(1, "s", "p1-2", 1200, 1300, true); // the standard queue was not hit
    t.at(1900).history.info(unknown, "DEADLINE_EXCEEDED");
    t.at(2000).heal(kill);
    send(2, "f.fifo", "g0:1", 2400, 2500, true);
    receive(4, "f.fifo", 2600, 2700, "g0:1", "g0:0");
    List<CheckResult> checks = List.of(MessageDeliveryChecker.check(t.history, "s"),
        MessageDeliveryChecker.check(t.history, "f.fifo"),
        FifoOrderChecker.check(t.history, "f.fifo"));
    return DrillReport.of("kill", t.history, checks, RecoveryCalculator.longestOutage(
        fault -> (Predicate<Call>) c -> c.key().equals("f.fifo")
            && c.startNanos() >= fault.startNanos(), Duration.ofMillis(1000)));
  }

  @Test
  void theJsonHasTheQueueOpsCountsLostMessagesAndViolations() throws Exception {
    JsonNode root = JSON.readTree(JsonReport.render(report()));

    assertThat(root.get("verdict").asText()).isEqualTo("FAIL");
    assertThat(root.get("operations_by_function").get("send").get("ok").asLong()).isEqualTo(4);
    assertThat(root.get("operations_by_function").get("send").get("info").asLong())
        .isEqualTo(1);
    assertThat(root.get("operations_by_function").get("receive").get("ok").asLong())
        .isEqualTo(3);
    assertThat(root.get("operations_by_function").get("delete").get("ok").asLong())
        .isEqualTo(2);
    // Measured on the FIFO queue only: its first success after the kill came at 2500 ms.
    assertThat(root.get("faults").get(0).get("recovery_ms").asDouble()).isEqualTo(1500.0);

    JsonNode delivery = root.get("checks").get(0);
    assertThat(delivery.get("checker").asText()).isEqualTo("sqs-delivery s");
    assertThat(delivery.get("verdict").asText()).isEqualTo("VIOLATION");
    assertThat(delivery.get("counts").get("lost").asLong()).isEqualTo(1);
    JsonNode fifo = root.get("checks").get(1).get("counts");
    assertThat(fifo.get("sends_ok").asLong()).isEqualTo(2);
    assertThat(fifo.get("sends_unknown").asLong()).isZero();
    assertThat(fifo.get("redeliveries").asLong()).isEqualTo(1);
    assertThat(fifo.get("delivered_after_delete").asLong()).isEqualTo(1);

    JsonNode lost = root.get("lost_writes").get(0);
    assertThat(lost.get("key").asText()).isEqualTo("s");
    assertThat(lost.get("value").asText()).isEqualTo("p1-2");
    assertThat(lost.get("ack_ms").asDouble()).isEqualTo(1300.0);

    JsonNode back = root.get("violations").get(0);
    assertThat(back.get("type").asText()).isEqualTo("queue_violation");
    assertThat(back.get("kind").asText()).isEqualTo("back_after_delete");
    assertThat(back.get("key").asText()).isEqualTo("f.fifo");
    assertThat(back.get("body").asText()).isEqualTo("g0:0");
    assertThat(back.get("message_id").asText()).isEqualTo("id-g0:0");
    assertThat(back.get("at_ms").asDouble()).isEqualTo(2700.0);
    assertThat(root.get("verdict_reasons").toString()).contains("1 acknowledged write(s) lost")
        .contains("1 consistency violation(s)");
  }

  @Test
  void theTextAndHtmlShowTheCountsAndTheOpsPerFunction() {
    DrillReport r = report();

    String text = TextReport.render(r);
    assertThat(text).contains("  send              4 ok        0 fail        1 info")
        .contains("check sqs-fifo f.fifo: VIOLATION (1 keys)\n  first_deliveries 2, groups 1")
        .contains("acknowledged send of \"p1-2\"")
        .contains("deleted message came back");

    String html = HtmlTimeline.render(r, t.history);
    assertThat(html).contains("<h2>Operations</h2>")
        .contains("<tr><td>receive</td><td>3</td><td>0</td><td>0</td></tr>")
        .contains("<h2>Checks</h2>").contains("redeliveries 1")
        .contains("<polyline class=\"info\"");
  }
}
