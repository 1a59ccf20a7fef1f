package fabric.drills.check;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.Op;
import org.junit.jupiter.api.Test;

class MessageDeliveryCheckerTest {
  private final QueueHistory h = new QueueHistory("q");

  private CheckResult check() {
    return MessageDeliveryChecker.check(h.history, "q");
  }

  @Test
  void everyAcknowledgedMessageReceivedPasses() {
    h.sendOk(1, "p1-1");
    h.sendOk(1, "p1-2");
    h.receiveNow(3, "p1-2", "p1-1");
    h.deleteNow(3, "p1-2", "p1-1");
    h.receiveNow(3);

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.checker()).isEqualTo("sqs-delivery q");
    assertThat(r.keysChecked()).isEqualTo(1);
    assertThat(r.counts()).containsEntry("sends_ok", 2L).containsEntry("messages_received", 2L)
        .containsEntry("deliveries", 2L).containsEntry("redeliveries", 0L)
        .containsEntry("lost", 0L);
  }

  @Test
  void anAcknowledgedSendNeverReceivedIsLost() {
    h.sendOk(1, "p1-1");
    Op lost = h.send(2, "p2-1");
    h.acked(lost);
    h.receiveNow(3, "p1-1");

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.counts()).containsEntry("lost", 1L);
    assertThat(r.violations()).singleElement().isInstanceOfSatisfying(LostWrite.class, lw -> {
      assertThat(lw.key()).isEqualTo("q");
      assertThat(lw.value()).isEqualTo("p2-1");
      assertThat(lw.process()).isEqualTo(2);
      assertThat(lw.invokeNanos()).isEqualTo(lost.timeNanos());
      assertThat(lw.ackNanos()).isEqualTo(lost.timeNanos() + 1_000_000);
      assertThat(lw.message()).contains("\"p2-1\"").contains("message id-p2-1")
          .contains("never received").contains("acknowledged at 4.000 ms");
    });
  }

  @Test
  void aMessageOnlyAReceiveWithoutAnswerGotIsLost() {
    h.sendOk(1, "p1-1");
    // The queue may have handed it out, but nobody saw it: it must come back and be seen.
    h.info(h.receive(3));

    assertThat(check().violations()).singleElement().isInstanceOf(LostWrite.class);
  }

  @Test
  void anUnknownSendMayOrMayNotArrive() {
    h.sendUnknown(1, "p1-1");
    h.sendUnknown(1, "p1-2");
    h.sendOk(1, "p1-3");
    h.receiveNow(3, "p1-3", "p1-2");

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.counts()).containsEntry("sends_unknown", 2L)
        .containsEntry("unknown_sends_received", 1L);
  }

  @Test
  void aRetriedSendCountsAsAcknowledgedOnceATryIs() {
    // A FIFO producer retries a send that timed out with the same deduplication id.
    h.sendUnknown(1, "g0:0");
    h.sendUnknown(1, "g0:0");
    h.sendOk(1, "g0:0");

    CheckResult r = check();

    assertThat(r.counts()).containsEntry("sends_ok", 1L).containsEntry("sends_unknown", 0L);
    assertThat(r.violations()).singleElement()
        .isInstanceOfSatisfying(LostWrite.class, lw -> assertThat(lw.value()).isEqualTo("g0:0"));
  }

  @Test
  void redeliveriesAreCountedNotJudged() {
    h.sendOk(1, "p1-1");
    h.sendOk(1, "p1-2");
    h.receiveNow(3, "p1-1", "p1-2");
    h.info(h.delete(3, "p1-1", "p1-2")); // unknown: both come back after their timeout
    h.receiveNow(4, "p1-1");
    h.deleteNow(4, "p1-1");
    h.receiveNow(4, "p1-2", "p1-1"); // back although deleted: at-least-once, counted

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.counts()).containsEntry("messages_received", 2L)
        .containsEntry("deliveries", 5L).containsEntry("redeliveries", 3L)
        .containsEntry("delivered_after_delete", 1L);
  }

  @Test
  void aMessageNoSendCarriedIsAPhantom() {
    h.sendOk(1, "p1-1");
    h.sendRefused(1, "p1-2");
    h.receiveNow(3, "p1-1", "p1-2", "nobody-sent-me");

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.violations()).hasSize(2).allSatisfy(v -> assertThat(v)
        .isInstanceOfSatisfying(QueueViolation.class,
            q -> assertThat(q.kind()).isEqualTo(QueueViolation.PHANTOM)));
    assertThat(r.violations().get(0).message()).contains("\"p1-2\"")
        .contains("only by sends the queue refused");
    assertThat(r.violations().get(1).message()).contains("\"nobody-sent-me\"")
        .contains("by no send");
  }

  @Test
  void otherQueuesDoNotCount() {
    h.sendOk(1, "p1-1");
    QueueHistory other = new QueueHistory("other");
    other.sendOk(1, "p1-1");
    other.receiveNow(2, "p1-1");

    assertThat(MessageDeliveryChecker.check(other.history, "other").verdict())
        .isEqualTo(Verdict.OK);
    h.history.invoke(5, Op.RECEIVE, "other", null);
    assertThat(check().violations()).hasSize(1);
  }

  @Test
  void aQueueWithoutAcknowledgedSendsIsInconclusive() {
    h.sendUnknown(1, "p1-1");

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.inconclusive()).singleElement()
        .satisfies(i -> assertThat(i.reason()).contains("no send was acknowledged"));
  }
}
