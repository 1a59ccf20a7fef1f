package fabric.drills.report;

import fabric.drills.check.CheckResult;
import fabric.drills.check.LinearizabilityChecker;
import fabric.drills.check.LostWritesChecker;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.util.List;
import java.util.Map;

/** A small drill run for report tests: two faults, some failures, a timeout. */
final class Drills {
  final TimedHistory t = new TimedHistory();

  Drills() {
    t.okWrite(1, "k1", 0, 10);
    t.okWrite(2, "k2", 20, 30);
    FaultEvent kill = t.at(1000).fault("kill-9", "node-2");
    t.failedWrite(1, "k1", 1100, 1200);
    Op timedOut = t.at(1300).write(2, "k2");
    t.at(2000).heal(kill);
    t.okWrite(1, "k1", 2500, 2600);
    FaultEvent partition = t.at(4000).fault("partition", "us-east-1a|<us-east-1b>");
    t.at(4500).heal(partition);
    t.okWrite(3, "k1", 4600, 4700);
    Op read = t.at(4800).history.invoke(3, Op.READ, "k1", null);
    t.at(4850).history.ok(read, OpValue.of("v5"));
    t.at(6000).info(timedOut);
  }

  /** What a final read would see if nothing was lost: v5 on k1, v1 on k2. */
  static Map<String, String> intactFinalValues() {
    return Map.of("k1", "v5", "k2", "v1");
  }

  DrillReport report(Map<String, String> finalValues) {
    List<CheckResult> checks = List.of(new LinearizabilityChecker().check(t.history),
        LostWritesChecker.checkRegisters(t.history, finalValues));
    return DrillReport.of("register-kill9", t.history, checks, RecoveryCalculator.standard());
  }
}
