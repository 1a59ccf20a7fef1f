package fabric.drills.report;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.check.CheckResult;
import fabric.drills.check.LinearizabilityChecker;
import fabric.drills.check.LostWritesChecker;
import fabric.drills.check.Verdict;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrillReportTest {
  private final Drills drill = new Drills();

  @Test
  void aCleanRunPasses() {
    DrillReport r = drill.report(Drills.intactFinalValues());

    assertThat(r.verdict()).isEqualTo(DrillVerdict.PASS);
    assertThat(r.verdictReasons()).isEmpty();
    assertThat(r.drill()).isEqualTo("register-kill9");
    assertThat(r.durationNanos()).isEqualTo(6000 * TimedHistory.MS);
    assertThat(r.checks()).extracting(DrillReport.CheckSummary::verdict)
        .containsExactly(Verdict.OK, Verdict.OK);
  }

  @Test
  void operationsAreCountedByOutcomeAndFunction() {
    DrillReport r = drill.report(Drills.intactFinalValues());

    assertThat(r.operations()).isEqualTo(new OperationCounts(7, 5, 1, 1));
    assertThat(r.operationsByFunction()).containsOnlyKeys("read", "write");
    assertThat(r.operationsByFunction().get("write")).isEqualTo(new OperationCounts(6, 4, 1, 1));
  }

  @Test
  void faultsCarryTheirRecoveryAndItsPercentiles() {
    DrillReport r = drill.report(Drills.intactFinalValues());

    assertThat(r.faults()).extracting(FaultRecovery::recoveryMs).containsExactly(1600.0, 700.0);
    assertThat(r.recovery()).isEqualTo(new RecoveryStats(2, 0, 700.0, 1600.0, 1600.0));
  }

  @Test
  void aLostWriteFailsTheDrill() {
    DrillReport r = drill.report(Map.of("k1", "v4", "k2", "v1"));

    assertThat(r.verdict()).isEqualTo(DrillVerdict.FAIL);
    assertThat(r.lostWrites()).extracting(lw -> lw.value()).containsExactly("v5");
    assertThat(r.violations()).isEmpty();
    assertThat(r.verdictReasons()).containsExactly("1 acknowledged write(s) lost");
  }

  @Test
  void anUncheckableKeyAndAnUnrecoveredFaultFailTheDrill() {
    TimedHistory t = new TimedHistory();
    t.okWrite(1, "k", 0, 10);
    t.at(100).fault("kill-9", "node-1");
    t.failedWrite(1, "k", 200, 300);

    DrillReport r = DrillReport.of("d", t.history,
        List.of(LostWritesChecker.checkRegisters(t.history, Map.of())),
        RecoveryCalculator.standard());

    assertThat(r.verdict()).isEqualTo(DrillVerdict.FAIL);
    assertThat(r.verdictReasons()).containsExactly("1 key(s) could not be checked",
        "no recovery observed after kill-9 @ node-1");
    assertThat(r.recovery()).isEqualTo(new RecoveryStats(0, 1, null, null, null));
  }

  @Test
  void aViolationFailsTheDrill() {
    TimedHistory t = new TimedHistory();
    t.okWrite(1, "k", 0, 10);
    Op read = t.at(20).history.invoke(2, Op.READ, "k", null);
    t.at(30).history.ok(read, OpValue.of("never written"));
    CheckResult lin = new LinearizabilityChecker().check(t.history);

    DrillReport r = DrillReport.of("d", t.history, List.of(lin), RecoveryCalculator.standard());

    assertThat(r.verdict()).isEqualTo(DrillVerdict.FAIL);
    assertThat(r.violations()).hasSize(1);
    assertThat(r.verdictReasons()).containsExactly("1 consistency violation(s)");
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> sorted = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);

    assertThat(RecoveryStats.percentile(sorted, 50)).isEqualTo(5.0);
    assertThat(RecoveryStats.percentile(sorted, 99)).isEqualTo(10.0);
    assertThat(RecoveryStats.percentile(List.of(42.0), 50)).isEqualTo(42.0);
  }
}
