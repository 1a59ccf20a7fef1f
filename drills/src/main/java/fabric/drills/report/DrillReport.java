package fabric.drills.report;

import fabric.drills.check.CheckResult;
import fabric.drills.check.Inconclusive;
import fabric.drills.check.LostWrite;
import fabric.drills.check.Verdict;
import fabric.drills.check.Violation;
import fabric.drills.history.Call;
import fabric.drills.history.History;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a drill concluded: what ran, what was injected, how fast it recovered, what the
 * checkers found, and the verdict with its reasons.
 *
 * @param durationNanos the time of the last recorded event
 * @param violations definite anomalies other than lost writes (e.g. non-linearizable keys)
 * @param inconclusive keys a checker could not decide
 * @param verdictReasons why the verdict is FAIL; empty for PASS
 */
public record DrillReport(String drill, long durationNanos, OperationCounts operations,
    Map<String, OperationCounts> operationsByFunction, List<FaultRecovery> faults,
    RecoveryStats recovery, List<CheckSummary> checks, List<LostWrite> lostWrites,
    List<Violation> violations, List<Inconclusive> inconclusive, DrillVerdict verdict,
    List<String> verdictReasons) {

  /**
   * One checker's conclusion, without its findings (those are in the report's lists).
   *
   * @param counts what it counted that is no violation (e.g. a queue's redeliveries)
   */
  public record CheckSummary(String checker, Verdict verdict, int keysChecked,
      Map<String, Long> counts) {
    public CheckSummary {
      counts = Collections.unmodifiableMap(new TreeMap<>(counts));
    }
  }

  public DrillReport {
    // Sorted, so that reports diff well between runs.
    operationsByFunction = Collections.unmodifiableMap(new TreeMap<>(operationsByFunction));
    faults = List.copyOf(faults);
    checks = List.copyOf(checks);
    lostWrites = List.copyOf(lostWrites);
    violations = List.copyOf(violations);
    inconclusive = List.copyOf(inconclusive);
    verdictReasons = List.copyOf(verdictReasons);
  }

  /**
   * Builds the report of a finished run. The verdict is FAIL if any acknowledged write was lost,
   * any violation was found, any key could not be checked (a drill that could not be checked
   * did not pass), or any fault was not seen to recover.
   */
  public static DrillReport of(String drill, History history, List<CheckResult> results,
      RecoveryCalculator recoveryCalculator) {
    List<Call> calls = history.calls();
    List<FaultRecovery> faults = recoveryCalculator.compute(history);
    List<CheckSummary> checks = new ArrayList<>();
    List<LostWrite> lost = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    List<Inconclusive> inconclusive = new ArrayList<>();
    for (CheckResult r : results) {
      checks.add(new CheckSummary(r.checker(), r.verdict(), r.keysChecked(), r.counts()));
      for (Violation v : r.violations()) {
        if (v instanceof LostWrite lw) {
          lost.add(lw);
        } else {
          violations.add(v);
        }
      }
      inconclusive.addAll(r.inconclusive());
    }
    List<String> reasons = new ArrayList<>();
    if (!lost.isEmpty()) {
      reasons.add(lost.size() + " acknowledged write(s) lost");
    }
    if (!violations.isEmpty()) {
      reasons.add(violations.size() + " consistency violation(s)");
    }
    if (!inconclusive.isEmpty()) {
      reasons.add(inconclusive.size() + " key(s) could not be checked");
    }
    for (FaultRecovery f : faults) {
      if (!f.recovered()) {
        reasons.add("no recovery observed after " + f.label());
      }
    }
    return new DrillReport(drill, history.lastEventNanos(), OperationCounts.of(calls),
        OperationCounts.byFunction(calls), faults, RecoveryStats.of(faults), checks, lost,
        violations, inconclusive, reasons.isEmpty() ? DrillVerdict.PASS : DrillVerdict.FAIL,
        reasons);
  }
}
