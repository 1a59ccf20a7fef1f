package fabric.drills.check;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one checker found in one history.
 *
 * @param checker the checker's name, e.g. "linearizability", "lost-writes"
 * @param verdict VIOLATION if there is any violation, else UNKNOWN if any key was inconclusive,
 *     else OK
 * @param keysChecked how many keys had something to check
 * @param counts what the checker counted that is no violation, e.g. a queue's redeliveries
 *     (sorted by name; empty for checkers that count nothing)
 */
public record CheckResult(String checker, Verdict verdict, int keysChecked,
    List<Violation> violations, List<Inconclusive> inconclusive, Map<String, Long> counts) {

  public CheckResult {
    violations = List.copyOf(violations);
    inconclusive = List.copyOf(inconclusive);
    counts = Collections.unmodifiableMap(new TreeMap<>(counts));
    Verdict derived = verdictOf(violations, inconclusive);
    if (verdict != derived) {
      throw new IllegalArgumentException("verdict " + verdict + " but the findings say "
          + derived);
    }
  }

  /** A result whose verdict follows from its findings. */
  public static CheckResult of(String checker, int keysChecked, List<Violation> violations,
      List<Inconclusive> inconclusive) {
    return of(checker, keysChecked, violations, inconclusive, Map.of());
  }

  /** A result whose verdict follows from its findings, with what the checker counted. */
  public static CheckResult of(String checker, int keysChecked, List<Violation> violations,
      List<Inconclusive> inconclusive, Map<String, Long> counts) {
    return new CheckResult(checker, verdictOf(violations, inconclusive), keysChecked, violations,
        inconclusive, counts);
  }

  private static Verdict verdictOf(List<Violation> violations, List<Inconclusive> inconclusive) {
    Verdict v = Verdict.OK;
    if (!inconclusive.isEmpty()) {
      v = v.and(Verdict.UNKNOWN);
    }
    if (!violations.isEmpty()) {
      v = v.and(Verdict.VIOLATION);
    }
    return v;
  }
}
