package fabric.drills.check;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import fabric.drills.history.SteppingClock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DynamoCheckerTest {
  private static final String T = "t";
  private final History h = new History(SteppingClock.millis());

  private void transfer(int p, String what, char outcome) {
    Op op = h.invoke(p, DynamoChecker.TRANSFER, T, OpValue.of(what));
    complete(op, outcome);
  }

  private void complete(Op op, char outcome) {
    switch (outcome) {
      case 'o' -> h.ok(op);
      case 'f' -> h.fail(op, "FAILED_PRECONDITION/TransactionCanceledException");
      default -> h.info(op, "DEADLINE_EXCEEDED");
    }
  }

  private void atomicRead(int p, String balances) {
    h.ok(h.invoke(p, DynamoChecker.ATOMIC_READ, T, null), OpValue.of(balances));
  }

  private void atomicReadFails(int p, char outcome) {
    complete(h.invoke(p, DynamoChecker.ATOMIC_READ, T, null), outcome);
  }

  private void put(int p, String id, char outcome) {
    complete(h.invoke(p, DynamoChecker.PUT, T, OpValue.of(id)), outcome);
  }

  private static Optional<Map<String, Long>> balances(String text) {
    return Optional.of(DynamoChecker.parseBalances(text));
  }

  private CheckResult balancesCheck(Optional<Map<String, Long>> last) {
    return DynamoChecker.balances(h.calls(), T, 300, last, 0);
  }

  @Test
  void balancesTextRoundTrips() {
    Map<String, Long> b = new LinkedHashMap<>();
    b.put("a", 100L);
    b.put("b", null);
    b.put("c", -3L);
    assertThat(DynamoChecker.balancesText(b)).isEqualTo("a=100 b=absent c=-3");
    assertThat(DynamoChecker.parseBalances("a=100 b=absent c=-3")).isEqualTo(b);
  }

  @Test
  void constantSumsPassAndEverythingIsCounted() {
    atomicRead(1, "a=100 b=100 c=100");
    transfer(0, "a>b:5", 'o');
    transfer(0, "c>a:500", 'f');
    transfer(2, "b>c:3", 'i'); // unknown: may land any time, never half of it
    atomicReadFails(1, 'f');
    atomicReadFails(1, 'i');
    atomicRead(1, "a=95 b=105 c=100");
    atomicRead(1, "a=95 b=102 c=103");

    CheckResult r = balancesCheck(balances("a=95 b=102 c=103"));

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.checker()).isEqualTo("dynamodb-balances t");
    assertThat(r.counts()).containsEntry("transfers_ok", 1L)
        .containsEntry("transfers_cancelled", 1L).containsEntry("transfers_unknown", 1L)
        .containsEntry("atomic_reads_ok", 3L).containsEntry("atomic_reads_conflict", 1L)
        .containsEntry("atomic_reads_unknown", 1L).containsEntry("torn_reads", 0L)
        .containsEntry("initial_sum", 300L).containsEntry("final_sum", 300L);
  }

  @Test
  void anAtomicReadThatSeesHalfATransferIsATornRead() {
    transfer(0, "a>b:5", 'i');
    atomicRead(1, "a=95 b=100 c=100"); // the debit without its credit

    CheckResult r = balancesCheck(balances("a=95 b=105 c=100"));

    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.violations()).singleElement().isInstanceOfSatisfying(DynamoViolation.class,
        v -> {
          assertThat(v.kind()).isEqualTo(DynamoViolation.TORN_READ);
          assertThat(v.message()).contains("sums to 295, not 300").contains("a=95 b=100");
        });
    assertThat(r.counts()).containsEntry("torn_reads", 1L);
  }

  @Test
  void aMissingAccountOrANegativeBalanceIsAViolation() {
    atomicRead(1, "a=100 b=absent c=200");
    atomicRead(1, "a=-5 b=205 c=100");

    CheckResult r = balancesCheck(balances("a=100 b=100 c=100"));

    assertThat(r.violations()).extracting(v -> ((DynamoViolation) v).kind())
        .containsExactly(DynamoViolation.TORN_READ, DynamoViolation.NEGATIVE_BALANCE);
  }

  @Test
  void aFinalSumThatDriftedFailsEvenIfEveryReadDuringTheWorkloadWasWhole() {
    atomicRead(1, "a=100 b=100 c=100");
    transfer(0, "a>b:5", 'i');

    CheckResult r = balancesCheck(balances("a=95 b=100 c=100"));

    assertThat(r.violations()).singleElement().isInstanceOfSatisfying(DynamoViolation.class,
        v -> {
          assertThat(v.kind()).isEqualTo(DynamoViolation.FINAL_SUM);
          assertThat(v.message()).contains("sums to 295, not the initial 300");
        });
    assertThat(r.counts()).containsEntry("final_sum", 295L);
  }

  @Test
  void noFinalReadIsInconclusive() {
    atomicRead(1, "a=100 b=100 c=100");

    CheckResult r = balancesCheck(Optional.empty());

    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.inconclusive()).singleElement()
        .satisfies(i -> assertThat(i.reason()).contains("final sum is unknown"));
  }

  @Test
  void callsOnOtherTablesDoNotCount() {
    h.ok(h.invoke(1, DynamoChecker.ATOMIC_READ, "other", null), OpValue.of("a=1"));

    CheckResult r = balancesCheck(balances("a=100 b=100 c=100"));

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.counts()).containsEntry("atomic_reads_ok", 0L);
  }

  @Test
  void everyAcknowledgedPutReadBackPasses() {
    put(0, "l-p0-1", 'o');
    put(0, "l-p0-2", 'i');
    put(1, "l-p1-1", 'i');
    put(1, "l-p1-2", 'f');

    CheckResult r = DynamoChecker.ledger(h, T, Map.of("l-p0-1", Optional.of("l-p0-1"),
        "l-p0-2", Optional.of("l-p0-2"), "l-p1-1", Optional.empty()));

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.checker()).isEqualTo("dynamodb-ledger t");
    assertThat(r.counts()).containsEntry("puts_ok", 1L).containsEntry("puts_unknown", 2L)
        .containsEntry("puts_failed", 1L).containsEntry("unknown_puts_present", 1L)
        .containsEntry("lost", 0L);
  }

  @Test
  void anAcknowledgedPutThatIsGoneIsALostWrite() {
    put(0, "l-p0-1", 'o');
    put(2, "l-p2-1", 'o');

    CheckResult r = DynamoChecker.ledger(h, T, Map.of("l-p0-1", Optional.of("l-p0-1"),
        "l-p2-1", Optional.empty()));

    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.violations()).singleElement().isInstanceOfSatisfying(LostWrite.class, w -> {
      assertThat(w.value()).isEqualTo("l-p2-1");
      assertThat(w.process()).isEqualTo(2);
      assertThat(w.message()).contains("is gone");
    });
    assertThat(r.counts()).containsEntry("lost", 1L);
  }

  @Test
  void anAcknowledgedPutWithAnotherValueIsAViolation() {
    put(0, "l-p0-1", 'o');

    CheckResult r = DynamoChecker.ledger(h, T, Map.of("l-p0-1", Optional.of("l-p9-9")));

    assertThat(r.violations()).singleElement().isInstanceOfSatisfying(DynamoViolation.class,
        v -> assertThat(v.kind()).isEqualTo(DynamoViolation.WRONG_VALUE));
  }

  @Test
  void anUnreadOrNoAcknowledgedPutIsInconclusive() {
    put(0, "l-p0-1", 'o');
    assertThat(DynamoChecker.ledger(h, T, Map.of()).verdict()).isEqualTo(Verdict.UNKNOWN);

    History none = new History(SteppingClock.millis());
    none.info(none.invoke(0, DynamoChecker.PUT, T, OpValue.of("l-p0-1")), "UNAVAILABLE");
    assertThat(DynamoChecker.ledger(none, T, Map.of()).inconclusive()).singleElement()
        .satisfies(i -> assertThat(i.reason()).isEqualTo("no put was acknowledged"));
  }
}
