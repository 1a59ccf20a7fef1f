package fabric.drills.report;

import fabric.drills.history.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the calls of a run ended.
 *
 * @param info indeterminate calls: INFO, and calls still pending when the run ended
 */
public record OperationCounts(long total, long ok, long fail, long info) {

  public static OperationCounts of(List<Call> calls) {
    long ok = 0;
    long fail = 0;
    long info = 0;
    for (Call c : calls) {
      switch (c.outcome()) {
        case OK -> ok++;
        case FAIL -> fail++;
        default -> info++;
      }
    }
    return new OperationCounts(calls.size(), ok, fail, info);
  }

  /** Counts per function ("read", "write"...), sorted by function. */
  public static Map<String, OperationCounts> byFunction(List<Call> calls) {
    Map<String, List<Call>> groups = new TreeMap<>();
    for (Call c : calls) {
      groups.computeIfAbsent(c.f(), f -> new ArrayList<>()).add(c);
    }
    Map<String, OperationCounts> counts = new TreeMap<>();
    groups.forEach((f, cs) -> counts.put(f, of(cs)));
    return counts;
  }
}
