package fabric.drills.check;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.Op;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private final RegisterHistory h = new RegisterHistory("x");

  private CheckResult check() {
    return new LinearizabilityChecker().check(h.history);
  }

  @Test
  void sequentialReadsOfTheLatestWriteAreLinearizable() {
    h.readNow(1, null);
    h.writeNow(1, "1");
    h.readNow(2, "1");
    h.writeNow(2, "2");
    h.readNow(1, "2");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aStaleReadAfterACompletedWriteIsAViolation() {
    h.writeNow(1, "1");
    h.writeNow(2, "2");
    h.readNow(3, "1");

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    NonLinearizable v = (NonLinearizable) r.violations().get(0);
    assertThat(v.key()).isEqualTo("x");
    assertThat(v.blockingOp()).startsWith("p3 read x -> \"1\"");
    assertThat(v.linearizedBefore()).isEqualTo(2);
    assertThat(v.candidateStates()).containsExactly("\"2\"");
    assertThat(v.message()).contains("Cannot place p3 read x -> \"1\"");
  }

  @Test
  void aReadOfAValueNeverWrittenIsAViolation() {
    h.writeNow(1, "1");
    h.readNow(2, "7");

    assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void aConcurrentWriteAndReadMayBeOrderedEitherWay() {
    Op w = h.write(1, "1");
    Op r1 = h.read(2);
    h.okRead(r1, null);
    Op r2 = h.read(2);
    h.okRead(r2, "1");
    h.ok(w);

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void twoReadsMayNotSeeAConcurrentWriteAndThenUnseeIt() {
    h.writeNow(1, "1");
    Op slow = h.write(1, "2");
    h.readNow(2, "2");
    h.readNow(3, "1");
    h.ok(slow);

    assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void aCasChainIsLinearizableInItsOnlyPossibleOrder() {
    h.writeNow(1, "0");
    Op second = h.cas(2, "1", "2");
    Op first = h.cas(3, "0", "1");
    h.ok(first);
    h.ok(second);
    h.readNow(1, "2");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void twoCasFromTheSameExpectedValueCannotBothSucceed() {
    h.writeNow(1, "0");
    Op a = h.cas(2, "0", "1");
    Op b = h.cas(3, "0", "2");
    h.ok(a);
    h.ok(b);

    assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void aFailedCasIsANoOp() {
    h.writeNow(1, "0");
    h.fail(h.cas(2, "0", "1"));
    h.readNow(3, "0");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aReadSeeingTheValueOfAFailedCasIsAViolation() {
    h.writeNow(1, "0");
    h.fail(h.cas(2, "0", "1"));
    h.readNow(3, "1");

    assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void anIndeterminateWriteMayHaveHappenedLate() {
    h.writeNow(1, "1");
    h.info(h.write(2, "2"));
    h.readNow(3, "1");
    h.readNow(3, "2");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void anIndeterminateWriteMayNeverHaveHappened() {
    h.writeNow(1, "1");
    h.info(h.write(2, "2"));
    h.readNow(3, "1");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void anIndeterminateWriteOnceSeenCannotBeUnseen() {
    h.writeNow(1, "1");
    h.info(h.write(2, "2"));
    h.readNow(3, "2");
    h.readNow(3, "1");

    assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void anIndeterminateCasTakesEffectOnlyIfItsExpectedValueMatched() {
    h.writeNow(1, "0");
    h.info(h.cas(2, "0", "1"));
    h.readNow(3, "0");
    h.readNow(3, "1");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);

    RegisterHistory mismatched = new RegisterHistory("x");
    mismatched.writeNow(1, "5");
    mismatched.info(mismatched.cas(2, "0", "1"));
    mismatched.readNow(3, "1");
    assertThat(new LinearizabilityChecker().check(mismatched.history).verdict())
        .isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void aReadMayBeExplainedByAChainOfIndeterminateOps() {
    h.writeNow(1, "0");
    h.info(h.write(2, "1"));
    h.info(h.cas(3, "1", "2"));
    h.readNow(4, "2");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aCallStillPendingAtTheEndIsTreatedAsIndeterminate() {
    h.writeNow(1, "1");
    h.write(2, "2");
    h.readNow(3, "2");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void failedAndIndeterminateReadsConstrainNothing() {
    h.writeNow(1, "1");
    h.fail(h.read(2));
    h.info(h.read(3));
    h.readNow(4, "1");

    assertThat(check().verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void theInitialValueIsConfigurable() {
    h.readNow(1, "0");

    assertThat(new LinearizabilityChecker("0", SearchLimits.DEFAULT).check(h.history).verdict())
        .isEqualTo(Verdict.OK);
    assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void keysAreCheckedIndependently() {
    h.ok(h.write(1, "a", "1"));
    h.okRead(h.read(2, "b"), null);
    h.ok(h.write(1, "b", "2"));
    h.okRead(h.read(2, "a"), "1");
    h.okRead(h.read(2, "b"), null);

    CheckResult r = check();

    assertThat(r.keysChecked()).isEqualTo(2);
    assertThat(r.violations()).extracting(Violation::key).containsExactly("b");
  }

  @Test
  void opsOfOtherFunctionsAreIgnored() {
    h.ok(h.send(1, "queue", "m1"));
    h.readNow(2, null);

    CheckResult r = check();

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.keysChecked()).isEqualTo(1);
  }

  @Test
  void theStateLimitYieldsUnknownInsteadOfSearchingOn() {
    // 12 concurrent writes then a read no order explains: proving that takes every subset of
    // the writes with each possible last write - 12 * 2^11 configurations - which the limit
    // cuts short.
    Op[] writes = new Op[12];
    for (int i = 0; i < writes.length; i++) {
      writes[i] = h.write(i, "w" + i);
    }
    for (Op w : writes) {
      h.ok(w);
    }
    h.readNow(99, "never written");

    CheckResult limited =
        new LinearizabilityChecker(null, SearchLimits.states(1_000)).check(h.history);

    assertThat(limited.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(limited.violations()).isEmpty();
    assertThat(limited.inconclusive()).singleElement().satisfies(i -> {
      assertThat(i.key()).isEqualTo("x");
      assertThat(i.reason()).contains("search limit");
    });
    assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
  }

  @Test
  void theMemoryLimitAlsoYieldsUnknown() {
    Op[] writes = new Op[12];
    for (int i = 0; i < writes.length; i++) {
      writes[i] = h.write(i, "w" + i);
    }
    for (Op w : writes) {
      h.ok(w);
    }
    h.readNow(99, "never written");

    SearchLimits tinyMemo = new SearchLimits(Long.MAX_VALUE, 64 * 1024);

    assertThat(new LinearizabilityChecker(null, tinyMemo).check(h.history).verdict())
        .isEqualTo(Verdict.UNKNOWN);
  }
}
