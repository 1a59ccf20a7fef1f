package fabric.drills.check;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import org.junit.jupiter.api.Test;

class FifoOrderCheckerTest {
  private final QueueHistory h = new QueueHistory("q.fifo");

  private CheckResult check() {
    return FifoOrderChecker.check(h.history, "q.fifo");
  }

  private static QueueViolation only(CheckResult r) {
    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.violations()).hasSize(1);
    return (QueueViolation) r.violations().get(0);
  }

  @Test
  void firstDeliveriesInCounterOrderPass() {
    h.sendOk(1, "g0:0");
    h.sendOk(1, "g1:0");
    h.sendOk(1, "g0:1");
    h.sendOk(1, "g1:1");
    h.receiveNow(3, "g1:0", "g1:1", "g0:0");
    h.deleteNow(3, "g1:0", "g1:1", "g0:0");
    h.receiveNow(4, "g0:1");
    h.deleteNow(4, "g0:1");

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.checker()).isEqualTo("sqs-fifo q.fifo");
    assertThat(r.counts()).containsEntry("groups", 2L).containsEntry("first_deliveries", 4L);
  }

  @Test
  void aGroupDeliveredOutOfOrderFails() {
    h.sendOk(1, "g0:0");
    h.sendOk(1, "g0:1");
    h.receiveNow(3, "g0:1");
    h.deleteNow(3, "g0:1");
    h.receiveNow(4, "g0:0");

    QueueViolation v = only(check());

    assertThat(v.kind()).isEqualTo(QueueViolation.OUT_OF_ORDER);
    assertThat(v.key()).isEqualTo("q.fifo");
    assertThat(v.body()).isEqualTo("g0:0");
    assertThat(v.messageId()).isEqualTo("id-g0:0");
    assertThat(v.message()).contains("group g0 out of order")
        .contains("first delivery of \"g0:0\"").contains("after the first delivery of \"g0:1\"");
  }

  @Test
  void aBatchOutOfOrderFails() {
    h.sendOk(1, "g0:0");
    h.sendOk(1, "g0:1");
    h.receiveNow(3, "g0:1", "g0:0");

    assertThat(only(check()).kind()).isEqualTo(QueueViolation.OUT_OF_ORDER);
  }

  @Test
  void aRedeliveryOfAnEarlierMessageIsNoOrderViolation() {
    h.sendOk(1, "g0:0");
    h.sendOk(1, "g0:1");
    h.receiveNow(3, "g0:0", "g0:1");
    Op delete = h.delete(3, "g0:0", "g0:1");
    h.deleted(delete, "g0:1"); // g0:0's entry failed: it comes back after its timeout
    h.receiveNow(4, "g0:0");
    h.deleteNow(4, "g0:0");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aMessageWhoseSendWasNeverAcknowledgedMayArriveLate() {
    h.sendUnknown(1, "g0:0"); // given up: it may have been enqueued at any time
    h.sendOk(1, "g0:1");
    h.receiveNow(3, "g0:1");
    h.deleteNow(3, "g0:1");
    h.receiveNow(3, "g0:0");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aMessageBackAfterItsDeleteWasAcknowledgedFails() {
    h.sendOk(1, "g0:0");
    h.receiveNow(3, "g0:0");
    h.deleteNow(3, "g0:0");
    h.receiveNow(4, "g0:0");

    QueueViolation v = only(check());

    assertThat(v.kind()).isEqualTo(QueueViolation.BACK_AFTER_DELETE);
    assertThat(v.message()).contains("deleted message came back")
        .contains("\"g0:0\" (message id-g0:0) received by p4 at 8.000 ms")
        .contains("after p3's delete of it was acknowledged at 6.000 ms");
  }

  @Test
  void aMessageReceivedWhileItsDeleteWasInFlightIsNoViolation() {
    h.sendOk(1, "g0:0");
    h.receiveNow(3, "g0:0");
    Op delete = h.delete(3, "g0:0");
    Op receive = h.receive(4);
    h.deleted(delete, "g0:0");
    h.received(receive, "g0:0"); // the visibility timeout may have expired first

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aMessageBackAfterAnUnansweredDeleteIsNoViolation() {
    h.sendOk(1, "g0:0");
    h.receiveNow(3, "g0:0");
    h.info(h.delete(3, "g0:0"));
    h.receiveNow(4, "g0:0");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void oneBodyUnderTwoMessageIdsWasEnqueuedTwice() {
    h.sendUnknown(1, "g0:0");
    h.sendOk(1, "g0:0"); // the retry carried the same deduplication id
    h.receiveNow(3, "g0:0");
    h.deleteNow(3, "g0:0");
    h.received(h.receive(3), new OpValue.Message("another-id", "g0:0"));

    CheckResult r = check();

    assertThat(r.violations()).extracting(v -> ((QueueViolation) v).kind())
        .containsExactly(QueueViolation.BACK_AFTER_DELETE, QueueViolation.ENQUEUED_TWICE);
    assertThat(r.violations().get(1).message())
        .contains("enqueued twice despite its deduplication id")
        .contains("first delivered as message id-g0:0");
  }

  @Test
  void bodiesThatAreNoFifoDrillMessagesAreLeftToTheDeliveryCheck() {
    h.sendOk(1, "g0:0");
    h.receiveNow(3, "not-a-fifo-body", "g0:0");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aFifoBodyParsesAndPrints() {
    FifoBody b = new FifoBody(2, 17);

    assertThat(b.toString()).isEqualTo("g2:17");
    assertThat(b.groupId()).isEqualTo("g2");
    assertThat(b.deduplicationId()).isEqualTo("g2-17");
    assertThat(FifoBody.parse("g2:17")).contains(b);
    assertThat(FifoBody.parse("p1-2")).isEmpty();
    assertThat(FifoBody.parse("g2:")).isEmpty();
  }
}
