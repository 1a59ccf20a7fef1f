package fabric.drills.check;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.Call;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpType;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Histories of a simulated atomic register with concurrent clients: always linearizable; and
 * one corrupted read turns each into a violation. Seeds are fixed, so a failure reproduces.
 */
class LinearizabilityRandomizedTest {
  /** Odd seeds: two keys, moderate concurrency; even: one hot key, 8 clients, 10% INFO. */
  private static RegisterSimulation.Config config(long seed) {
    return seed % 2 == 1
        ? new RegisterSimulation.Config(5, 2, 40, 0.05)
        : new RegisterSimulation.Config(8, 1, 60, 0.10);
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 30);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void historiesOfAnAtomicRegisterAreLinearizable(long seed) {
    History h = RegisterSimulation.run(seed, config(seed)).history();

    CheckResult r = new LinearizabilityChecker().check(h);

    assertThat(r.violations()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.OK);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aReadOfANeverWrittenValueIsAViolation(long seed) {
    History h = RegisterSimulation.run(seed, config(seed)).history();
    Call read = RegisterSimulation.okReads(h, seed).get(0);

    History corrupted = RegisterSimulation.withValue(h, read.completion().index(), "never");
    CheckResult r = new LinearizabilityChecker().check(corrupted);

    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.violations()).singleElement().extracting(Violation::key).isEqualTo(read.key());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aReadOfADefinitelyOverwrittenValueIsAViolation(long seed) {
    History h = RegisterSimulation.run(seed, config(seed)).history();
    Call read = null;
    String stale = null;
    for (Call candidate : RegisterSimulation.okReads(h, seed)) {
      stale = RegisterSimulation.definitelyOverwrittenValue(h, candidate);
      if (stale != null) {
        read = candidate;
        break;
      }
    }
    assertThat(read).as("a read after two sequential writes").isNotNull();

    History corrupted = RegisterSimulation.withValue(h, read.completion().index(), stale);
    CheckResult r = new LinearizabilityChecker().check(corrupted);

    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.violations()).singleElement().extracting(Violation::key).isEqualTo(read.key());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theFinalValuesOfAnAtomicRegisterLoseNoAcknowledgedWrite(long seed) {
    RegisterSimulation.Run run = RegisterSimulation.run(seed, config(seed));

    CheckResult r = LostWritesChecker.checkRegisters(run.history(), run.finalValues());

    assertThat(r.violations()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void theSimulationProducesEveryKindOfOutcome() {
    long info = 0;
    long casOk = 0;
    long casFail = 0;
    for (long seed : seeds().toArray()) {
      History h = RegisterSimulation.run(seed, config(seed)).history();
      info += h.calls().stream().filter(Call::isIndeterminate).count();
      casOk += RegisterSimulation.count(h, OpType.OK, Op.CAS);
      casFail += RegisterSimulation.count(h, OpType.FAIL, Op.CAS);
    }
    assertThat(info).isPositive();
    assertThat(casOk).isPositive();
    assertThat(casFail).isPositive();
  }
}
