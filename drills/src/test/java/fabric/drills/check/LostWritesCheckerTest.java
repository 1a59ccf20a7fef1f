package fabric.drills.check;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.Op;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LostWritesCheckerTest {
  private final RegisterHistory h = new RegisterHistory("k");

  private static Map<String, String> finalValue(String key, String value) {
    Map<String, String> m = new HashMap<>();
    m.put(key, value);
    return m;
  }

  private CheckResult checkFinal(String value) {
    return LostWritesChecker.checkRegisters(h.history, finalValue("k", value));
  }

  @Test
  void anAcknowledgedWriteMissingFromTheFinalReadIsReported() {
    h.writeNow(1, "a");
    Op b = h.write(2, "b");
    h.ok(b);

    CheckResult r = checkFinal("a");

    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.violations()).singleElement().isInstanceOfSatisfying(LostWrite.class, lw -> {
      assertThat(lw.key()).isEqualTo("k");
      assertThat(lw.value()).isEqualTo("b");
      assertThat(lw.process()).isEqualTo(2);
      assertThat(lw.invokeNanos()).isEqualTo(b.timeNanos());
      assertThat(lw.ackNanos()).isGreaterThan(lw.invokeNanos());
      assertThat(lw.message()).contains("\"b\"").contains("returned \"a\"");
    });
  }

  @Test
  void anIndeterminateWriteMissingFromTheFinalReadIsNotReported() {
    h.writeNow(1, "a");
    h.info(h.write(2, "b"));

    assertThat(checkFinal("a").verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aWriteOverwrittenByALaterWriteIsNotReported() {
    h.writeNow(1, "a");
    h.writeNow(2, "b");

    assertThat(checkFinal("b").verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aWriteOverwrittenByAConcurrentWriteIsNotReported() {
    Op a = h.write(1, "a");
    Op b = h.write(2, "b");
    h.ok(b);
    h.ok(a);

    // Either may have been linearized last: both final values are fine.
    assertThat(checkFinal("a").verdict()).isEqualTo(Verdict.OK);
    assertThat(checkFinal("b").verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aWriteOverwrittenByAnIndeterminateWriteInvokedEarlierIsNotReported() {
    // The timed-out write may still land after the acknowledged one.
    h.info(h.write(1, "a"));
    h.writeNow(2, "b");

    assertThat(checkFinal("a").verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aFinalValueFromAFailedWriteDoesNotExplainAnAcknowledgedOne() {
    h.writeNow(1, "a");
    h.fail(h.write(2, "b"));

    CheckResult r = checkFinal("b");

    assertThat(r.violations()).extracting(v -> ((LostWrite) v).value()).containsExactly("a");
  }

  @Test
  void aFinalValueNoWriteProducedLosesEveryAcknowledgedWrite() {
    h.writeNow(1, "a");
    h.writeNow(1, "b");

    CheckResult r = checkFinal(null);

    assertThat(r.violations()).extracting(v -> ((LostWrite) v).value())
        .containsExactly("a", "b");
    assertThat(r.violations().get(0).message()).contains("returned nil, which no write produced");
  }

  @Test
  void anAcknowledgedCasCountsAsAWrite() {
    h.writeNow(1, "a");
    h.ok(h.cas(2, "a", "b"));

    assertThat(checkFinal("b").verdict()).isEqualTo(Verdict.OK);
    assertThat(checkFinal("a").violations()).extracting(v -> ((LostWrite) v).value())
        .containsExactly("b");
  }

  @Test
  void aKeyWithoutAFinalReadIsInconclusive() {
    h.writeNow(1, "a");

    CheckResult r = LostWritesChecker.checkRegisters(h.history, Map.of());

    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.inconclusive()).singleElement()
        .satisfies(i -> assertThat(i.reason()).contains("no final read"));
  }

  @Test
  void keysWithoutAcknowledgedWritesAreNotChecked() {
    h.info(h.write(1, "a"));
    h.readNow(2, null);

    CheckResult r = LostWritesChecker.checkRegisters(h.history, Map.of());

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.keysChecked()).isZero();
  }

  @Test
  void everyAcknowledgedElementMustBeInTheFinalSet() {
    h.ok(h.send(1, "q", "m1"));
    h.ok(h.send(1, "q", "m2"));
    h.info(h.send(2, "q", "m3"));
    h.fail(h.send(2, "q", "m4"));

    CheckResult r = LostWritesChecker.checkSets(h.history, Set.of("send"),
        Map.of("q", Set.of("m1")));

    assertThat(r.keysChecked()).isEqualTo(1);
    assertThat(r.violations()).singleElement().isInstanceOfSatisfying(LostWrite.class, lw -> {
      assertThat(lw.value()).isEqualTo("m2");
      assertThat(lw.message()).contains("missing from the final read of 1 elements");
    });
  }

  @Test
  void aSetWithAllAcknowledgedElementsPasses() {
    h.ok(h.send(1, "q", "m1"));
    h.info(h.send(2, "q", "m2"));

    CheckResult r = LostWritesChecker.checkSets(h.history, Set.of("send"),
        Map.of("q", Set.of("m1", "m0")));

    assertThat(r.verdict()).isEqualTo(Verdict.OK);
  }
}
