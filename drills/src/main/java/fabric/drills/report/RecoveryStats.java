package fabric.drills.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Recovery times over all faults. Percentiles are exact (nearest rank) over the recovered
 * faults: a drill has a handful of faults, so no histogram is needed.
 *
 * @param p50Ms null when no fault recovered; likewise p99Ms and maxMs
 */
public record RecoveryStats(int recovered, int unrecovered, Double p50Ms, Double p99Ms,
    Double maxMs) {

  public static RecoveryStats of(List<FaultRecovery> faults) {
    List<Double> ms = new ArrayList<>();
    for (FaultRecovery f : faults) {
      if (f.recovered()) {
        ms.add(f.recoveryMs());
      }
    }
    Collections.sort(ms);
    int unrecovered = faults.size() - ms.size();
    if (ms.isEmpty()) {
      return new RecoveryStats(0, unrecovered, null, null, null);
    }
    return new RecoveryStats(ms.size(), unrecovered, percentile(ms, 50), percentile(ms, 99),
        ms.get(ms.size() - 1));
  }

  /** Nearest rank: the smallest value with at least p% of the values at or below it. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
